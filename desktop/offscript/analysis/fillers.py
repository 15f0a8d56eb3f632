"""Filled pauses (um, uh...) and lexical fillers (like, you know, I mean...) in recognised words.

Filled pauses are recognised by spelling alone (um/umm/uhm, uh/uhh, er/err/erm, ah, eh, hm/hmm,
mm/mhm); ``'er`` (elided "her"), "her" and "are" never match.

Lexical fillers are real words, so each has a context rule deciding whether it is *used as a
filler* here. The strongest evidence is a phrase break around it (a recogniser comma, a filled
pause next to it, or a silence ≥ ``GAP_BREAK_S``); the word classes of the neighbours decide the
rest:

- **like**: a verb after a subject or modal ("I like", "would like"); a comparison after
  look/sound/seem/something/just... or before a determiner or name ("like a cache", "like Redis");
  a filler when set off by breaks, before a number ("like five minutes"), an intensifier or a
  subject pronoun ("like really slow", "like we had"), or at a sentence start.
- **you know**: a verb after do/if/as/what... or before an object ("you know the answer");
  a filler when set off by commas or at a break before a clause. "yknow"/"y'know" always.
- **I mean**: meaningful after what/which/if... or before by/to/it/that ("what I mean by");
  a filler at a break.
- **kind of / sort of** (also kinda/sorta): a noun after a determiner ("a kind of cache",
  "what sort of"); otherwise a hedge, counted as filler.
- **so**: a filler at a sentence start (or after a filled pause / long gap / okay, alright...)
  unless "so that/far/much/many..."; the mid-sentence conjunction "..., so we" is meaningful.
- **basically**: always. **actually**: only when set off on both sides or next to a filled pause.
  **literally**: unless sentence-final or after take/translate/interpret.
- **right**: the tag question "right?" and a sentence-initial "Right, ...".

Each word of a multi-word filler is tagged ``lexical_filler``; only the first has
``continues=False``, so an occurrence is counted once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from offscript.analysis.tokens import (
    CONJUNCTIONS,
    COPULAS,
    DETERMINERS,
    INTENSIFIERS,
    NUMBER_WORDS,
    SUBJECT_PRONOUNS,
    Token,
    break_after,
    break_before,
    core_at,
    filled_pause_form,
    make_tokens,
    wordset,
)
from offscript.analysis.words import TaggedWord, Word

MIN_SPEAKING_S = 0.05  # same guard as pace: shorter spans are timing glitches
_LIKE_VERB_PREV = SUBJECT_PRONOUNS | wordset(
    "would 'd i'd we'd you'd they'd he'd she'd should could might may must will do does did "
    "don't doesn't didn't to people users customers everyone really also still")
_LIKE_COMPARISON_PREV = wordset(
    "look looks looked looking sound sounds sounded seem seems seemed feel feels felt smell "
    "smells taste tastes something anything nothing things stuff more much just exactly "
    "unlike act acts acted behave behaves behaved lot")
_LIKE_FILLER_PREV = CONJUNCTIONS | wordset("um uh")
_YOU_KNOW_VERB_PREV = wordset(
    "do did does don't didn't doesn't if as would will can could what whether that how when "
    "unless who all everything because whatever let")
_YOU_KNOW_OBJECT_NEXT = DETERMINERS | wordset(
    "what how why where who whether it him her them me us about exactly everything "
    "something nothing anything more")
_I_MEAN_MEANINGFUL_PREV = wordset("what which that do don't didn't if as whatever all")
_I_MEAN_MEANINGFUL_NEXT = wordset("by to it that this what for anything no")
_KIND_OF_NOUN_PREV = DETERMINERS | wordset(
    "same different one other only certain new right wrong particular all many")
_SO_MEANINGFUL_NEXT = wordset(
    "that far much many long few little called on forth yes no")
_SO_CLAUSE_PREV = wordset("okay ok alright yeah well right and but")
_LITERAL_PREV = wordset(
    "take taken took taking translate translated interpret interpreted mean meant read")


def _like(t: Sequence[Token], i: int) -> bool:
    prev, nxt, nxt2 = core_at(t, i - 1), core_at(t, i + 1), core_at(t, i + 2)
    comma_before = i > 0 and break_before(t, i)
    if not comma_before and (prev in _LIKE_VERB_PREV or prev in _LIKE_COMPARISON_PREV):
        return False
    if (i + 1 < len(t) and break_after(t, i)) or (i > 0 and t[i - 1].filled):
        return True
    if nxt in NUMBER_WORDS or nxt[:1].isdigit() or (nxt in ("a", "an") and nxt2 in NUMBER_WORDS):
        return True
    if nxt in DETERMINERS or (i + 1 < len(t) and t[i + 1].capitalised and nxt != "i"):
        return False
    if nxt in SUBJECT_PRONOUNS or nxt in INTENSIFIERS:
        return True
    if break_before(t, i, strong=True) or prev in _LIKE_FILLER_PREV:
        return True
    return comma_before and prev not in COPULAS


def _you_know(t: Sequence[Token], i: int) -> bool:
    j = i + 1
    if not break_before(t, i) and core_at(t, i - 1) in _YOU_KNOW_VERB_PREV:
        return False
    opened = break_before(t, i) or core_at(t, i - 1) in CONJUNCTIONS | {"like", "just"}
    if j + 1 >= len(t):
        return opened
    if "," in t[j].punct_after or "…" in t[j].punct_after or "..." in t[j].punct_after:
        return True
    if break_after(t, j):
        return opened or t[j + 1].filled
    return opened and core_at(t, j + 1) not in _YOU_KNOW_OBJECT_NEXT


def _i_mean(t: Sequence[Token], i: int) -> bool:
    if not break_before(t, i) and core_at(t, i - 1) in _I_MEAN_MEANINGFUL_PREV:
        return False
    if i + 2 < len(t) and break_after(t, i + 1):
        return True
    if core_at(t, i + 2) in _I_MEAN_MEANINGFUL_NEXT:
        return False
    return break_before(t, i) or core_at(t, i - 1) in CONJUNCTIONS


def _kind_of(t: Sequence[Token], i: int) -> bool:
    return break_before(t, i) or core_at(t, i - 1) not in _KIND_OF_NOUN_PREV


def _so(t: Sequence[Token], i: int) -> bool:
    if core_at(t, i + 1) in _SO_MEANINGFUL_NEXT or i + 1 >= len(t):
        return False
    if break_before(t, i, strong=True) or (i > 0 and t[i - 1].filled):
        return True
    gap = t[i].gap_before
    if gap is not None and gap >= 0.5:
        return True
    prev = core_at(t, i - 1)
    return prev in _SO_CLAUSE_PREV and break_before(t, i - 1, strong=True)


def _actually(t: Sequence[Token], i: int) -> bool:
    near_filled = (i > 0 and t[i - 1].filled) or (i + 1 < len(t) and t[i + 1].filled)
    return near_filled or (break_before(t, i) and i + 1 < len(t) and break_after(t, i))


def _literally(t: Sequence[Token], i: int) -> bool:
    if core_at(t, i - 1) in _LITERAL_PREV:
        return False
    return not (i > 0 and not break_before(t, i) and (t[i].sentence_end or i + 1 >= len(t)))


def _right(t: Sequence[Token], i: int) -> bool:
    if "?" in t[i].punct_after:
        return True
    return break_before(t, i, strong=True) and "," in t[i].punct_after


def _always(t: Sequence[Token], i: int) -> bool:
    return True


# phrase (normalised words) -> (canonical text, rule deciding filler use at token i)
_RULES: dict[tuple[str, ...], tuple[str, Callable[[Sequence[Token], int], bool]]] = {
    ("you", "know"): ("you know", _you_know), ("yknow",): ("you know", _always),
    ("y'know",): ("you know", _always), ("ya", "know"): ("you know", _you_know),
    ("i", "mean"): ("I mean", _i_mean), ("kind", "of"): ("kind of", _kind_of),
    ("sort", "of"): ("sort of", _kind_of), ("kinda",): ("kind of", _kind_of),
    ("sorta",): ("sort of", _kind_of), ("like",): ("like", _like), ("so",): ("so", _so),
    ("basically",): ("basically", _always), ("actually",): ("actually", _actually),
    ("literally",): ("literally", _literally), ("right",): ("right", _right),
}
_MAX_PHRASE = max(len(p) for p in _RULES)


def _phrase_fits(t: Sequence[Token], i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > len(t):
        return False
    if any(t[i + k].core != w for k, w in enumerate(phrase)):
        return False
    # a multi-word filler is one unit: no punctuation inside it ("kind, of" is not "kind of")
    return all(not t[i + k].punct_after for k in range(len(phrase) - 1))


def tag_words(words: Sequence[Word | TaggedWord]) -> list[TaggedWord]:
    """Tag every word (same order and length as the input) as word, filled or lexical filler."""
    tokens = make_tokens(words)
    out: list[TaggedWord] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        form = filled_pause_form(tok.raw)
        if form is not None:
            out.append(_tagged(tok, "filled_pause", form))
            i += 1
            continue
        for size in range(_MAX_PHRASE, 0, -1):
            phrase = tuple(tok.core for tok in tokens[i:i + size])
            if len(phrase) != size:
                continue
            rule = _RULES.get(phrase)
            if rule and _phrase_fits(tokens, i, phrase) and rule[1](tokens, i):
                out.extend(_tagged(tokens[i + k], "lexical_filler", rule[0], continues=k > 0)
                           for k in range(size))
                i += size
                break
        else:
            out.append(_tagged(tok, "word"))
            i += 1
    return out


def _tagged(tok: Token, kind: str, filler: str | None = None, continues: bool = False
            ) -> TaggedWord:
    return TaggedWord(text=tok.raw.strip(), start=tok.start, end=tok.end, kind=kind,  # type: ignore[arg-type]
                      filler=filler, continues=continues)


@dataclass(frozen=True)
class FillerCounts:
    """Filler totals. Rates use speaking time (first word start → last word end) and all tokens."""

    filled_pauses: int
    lexical: int
    per_minute: float | None
    per_100_words: float
    filled_per_minute: float | None = None
    lexical_per_minute: float | None = None
    breakdown: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.filled_pauses + self.lexical

    def to_json(self) -> dict:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 2)
        return {"filled_pauses": self.filled_pauses, "lexical": self.lexical,
                "per_minute": r(self.per_minute), "per_100_words": round(self.per_100_words, 2),
                "filled_per_minute": r(self.filled_per_minute),
                "lexical_per_minute": r(self.lexical_per_minute),
                "breakdown": dict(sorted(self.breakdown.items()))}


def speaking_span(words: Sequence[Word | TaggedWord]) -> tuple[float, float] | None:
    """(first start, last end) over timed words, or None when nothing usable is timed."""
    timed = [w for w in words if w.start is not None and w.end is not None
             and math.isfinite(w.start) and math.isfinite(w.end)]
    if not timed:
        return None
    first, last = min(w.start for w in timed), max(max(w.start, w.end) for w in timed)
    return (first, last) if last - first >= MIN_SPEAKING_S else None


def count_fillers(tagged: Sequence[TaggedWord]) -> FillerCounts:
    """Count filled pauses and lexical fillers (a multi-word filler once)."""
    breakdown: Counter[str] = Counter()
    filled = lexical = 0
    for w in tagged:
        if w.kind == "filled_pause":
            filled += 1
            breakdown[w.filler or w.text.lower()] += 1
        elif w.kind == "lexical_filler" and not w.continues:
            lexical += 1
            breakdown[w.filler or w.text.lower()] += 1
    tokens = sum(1 for w in tagged if any(c.isalnum() for c in w.text))
    per_100 = 100.0 * (filled + lexical) / tokens if tokens else 0.0
    span = speaking_span(tagged)
    minutes = (span[1] - span[0]) / 60.0 if span else None
    rate = (lambda n: n / minutes) if minutes else (lambda n: None)
    return FillerCounts(filled_pauses=filled, lexical=lexical, per_minute=rate(filled + lexical),
                        per_100_words=per_100, filled_per_minute=rate(filled),
                        lexical_per_minute=rate(lexical), breakdown=dict(breakdown))

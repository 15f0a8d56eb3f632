"""Recogniser words turned into normalised tokens with the context that filler and pause rules need.

A token keeps what the recogniser gave us beyond the bare word: the punctuation attached to it
(``"Um,"`` → ``um`` + ``","``) and, when timings are present, the silent gap before and after it.
Punctuation and gaps are the two cheap signals of a phrase break, so every rule downstream asks
``break_before`` / ``break_after`` rather than looking at commas itself.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from offscript.analysis.words import TaggedWord, Word

# A silence at least this long between two words counts as a phrase break even without a comma
# (Whisper often drops commas; 300 ms is well above ordinary inter-word gaps of 0-150 ms).
GAP_BREAK_S = 0.3

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_EDGE_PUNCT = re.compile(r"^[^\w']+|[^\w']+$")
_SENTENCE_END = re.compile(r"[.?!]")
_ANY_BREAK = re.compile(r"[,.;:?!…—–-]")

# um, umm, uhm, uh, uhh, er, err, erm, ah, ahh, eh, ehm, hm, hmm, mm, mmm, mhm, hmm-variants.
_FILLED_PAUSE = re.compile(r"^(?:u+[hm]+|u+h+m+|e+r+m*|e+h+m*|a+h+|h+m+|m+h*m+)$")
_FILLED_CANONICAL = (
    (re.compile(r"^u+h*m+$"), "um"), (re.compile(r"^u+h+$"), "uh"),
    (re.compile(r"^e+r+m+$"), "erm"), (re.compile(r"^e+r+$"), "er"),
    (re.compile(r"^e+h+m*$"), "eh"), (re.compile(r"^a+h+$"), "ah"),
    (re.compile(r"^h+m+$"), "hmm"), (re.compile(r"^m+h+m+$"), "mhm"), (re.compile(r"^m+$"), "mm"),
)

def wordset(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list of literals)."""
    return frozenset(text.split())


DETERMINERS = wordset(
    "a an the this that these those my your our their his her its some any every each no "
    "another what which whose")
PREPOSITIONS = wordset(
    "of in on at to for with from by about into onto over under between through during without "
    "within across against towards toward after before since until via per than as")
SUBJECT_PRONOUNS = wordset(
    "i we you they he she there i'm we're you're they're he's she's it's there's that's i've "
    "we've they've i'd we'd they'd i'll we'll they'll")
COPULAS = wordset("is was were are am be been being 's it's that's i'm he's she's we're")
CONJUNCTIONS = wordset("and but or so because cause then plus")
# Words that start a new clause or sentence in speech (used by pause and filler rules).
DISCOURSE_STARTERS = wordset(
    "so and but well because then also anyway now okay ok alright yeah however actually "
    "basically first second finally afterwards")
NUMBER_WORDS = wordset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions "
    "billion half dozen couple few")
INTENSIFIERS = wordset(
    "really super very totally so just completely literally actually basically always never "
    "all everyone everybody everything nobody nothing kind sort kinda sorta pretty quite "
    "too not")


def normalise(text: str) -> str:
    """Lowercase, unify apostrophes, strip edge punctuation: ``"Um,"`` → ``um``, ``"uh-"`` → ``uh``.

    A leading apostrophe is kept (``'er`` is "her", not a filler).
    """
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).strip().lower()
    core = _EDGE_PUNCT.sub("", text)
    return core.rstrip("'") if not core.startswith("'") else "'" + core[1:].rstrip("'")


def filled_pause_form(text: str) -> str | None:
    """The canonical filled pause (``um``, ``uh``, ``er``, ``hmm``...) this word is, else None."""
    norm = normalise(text)
    if not norm or norm.startswith("'") or not _FILLED_PAUSE.match(norm):
        return None
    for pattern, canonical in _FILLED_CANONICAL:
        if pattern.match(norm):
            return canonical
    return norm


def is_filled_pause(text: str) -> bool:
    return filled_pause_form(text) is not None


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


@dataclass(frozen=True)
class Token:
    """One word with the context rules need. ``core`` drops a leading elision apostrophe."""

    raw: str
    norm: str
    core: str
    punct_before: str
    punct_after: str
    start: float | None
    end: float | None
    filled: bool
    gap_before: float | None = None
    gap_after: float | None = None

    @property
    def sentence_end(self) -> bool:
        return bool(_SENTENCE_END.search(self.punct_after))

    @property
    def capitalised(self) -> bool:
        stripped = _EDGE_PUNCT.sub("", self.raw.strip())
        return stripped[:1].isupper()


def _edge(raw: str, leading: bool) -> str:
    raw = unicodedata.normalize("NFKC", raw).strip()
    match = re.match(r"^[^\w']+", raw) if leading else re.search(r"[^\w']+$", raw)
    return match.group(0) if match else ""


def make_tokens(words: Sequence[Word | TaggedWord]) -> list[Token]:
    """One token per input word, in input order, with gaps to the neighbours when both are timed."""
    tokens: list[Token] = []
    for w in words:
        norm = normalise(w.text)
        tokens.append(Token(raw=w.text, norm=norm, core=norm.lstrip("'"),
                            punct_before=_edge(w.text, True), punct_after=_edge(w.text, False),
                            start=_finite(w.start), end=_finite(w.end),
                            filled=filled_pause_form(w.text) is not None))
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        before = after = None
        if i > 0 and tokens[i - 1].end is not None and tok.start is not None:
            before = max(0.0, tok.start - tokens[i - 1].end)
        if i + 1 < len(tokens) and tokens[i + 1].start is not None and tok.end is not None:
            after = max(0.0, tokens[i + 1].start - tok.end)
        out.append(Token(**{**tok.__dict__, "gap_before": before, "gap_after": after}))
    return out


def break_before(tokens: Sequence[Token], i: int, *, strong: bool = False) -> bool:
    """Is there a phrase break just before token i? ``strong``: a sentence start only."""
    if i <= 0:
        return True
    prev = tokens[i - 1]
    if _SENTENCE_END.search(prev.punct_after) or ";" in prev.punct_after or ":" in prev.punct_after:
        return True
    if strong:
        return False
    if _ANY_BREAK.search(prev.punct_after) or _ANY_BREAK.search(tokens[i].punct_before):
        return True
    gap = tokens[i].gap_before
    return prev.filled or (gap is not None and gap >= GAP_BREAK_S)


def break_after(tokens: Sequence[Token], j: int) -> bool:
    """Is there a phrase break just after token j (punctuation, filled pause, long gap, end)?"""
    if j >= len(tokens) - 1:
        return True
    if _ANY_BREAK.search(tokens[j].punct_after) or _ANY_BREAK.search(tokens[j + 1].punct_before):
        return True
    gap = tokens[j].gap_after
    return tokens[j + 1].filled or (gap is not None and gap >= GAP_BREAK_S)


def core_at(tokens: Sequence[Token], i: int) -> str:
    """The normalised word at i, or '' outside the sequence (so rules need no bounds checks)."""
    return tokens[i].core if 0 <= i < len(tokens) else ""

"""What candour measures in an answer: phrase matches per category and length-free features.

Every feature is either a rate per 100 content words (capped) or a yes/no, so saying the same
thing twice does not change it and fillers (removed in ``candour_text``) cannot move it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from offscript.analysis import candour_lexicon as lex
from offscript.analysis.candour_text import CandourText, capitalised

Span = tuple[int, int]

_CATEGORIES = {
    "cliche": lex.CLICHES, "humble_brag": lex.HUMBLE_BRAGS, "absolute": lex.ABSOLUTES,
    "template": lex.TEMPLATE, "harmony": lex.HARMONY, "mistake": lex.MISTAKES, "cost": lex.COSTS,
    "uncertainty": lex.UNCERTAINTY, "lesson": lex.LESSONS,
    "concrete_lesson": lex.CONCRETE_LESSONS, "trade_off": lex.TRADE_OFFS,
    "friction": lex.FRICTION, "number": ("#",), "anchor": lex.ROLES + lex.SYSTEMS + lex.TIMES,
    "spin": lex.SPIN, "gain": lex.GAINS, "hero": lex.HERO, "maxim": lex.MAXIMS,
    "disclosure": lex.DISCLOSURE, "positive": lex.POSITIVE,
}
# "not proud of it", "not great", "not too worried" say the opposite of the word
_NEGATED = ("spin", "positive", "disclosure")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """Compiled once, on first use: compiling at import would add ~60 ms to every start-up."""
    return {name: lex.compile_phrases(phrases) for name, phrases in _CATEGORIES.items()}


RATE_CAP = 10.0  # per 100 words: beyond this a short answer's rate says nothing more
# Positive words per 100 that any answer may use ("it went fine, the fix was great"): only the
# excess counts, so a candid answer that ends well is not polished for one happy word.
POSITIVE_FREE = 1.0
SPECIFICITY_CAP = 20.0


@dataclass(frozen=True)
class Matches:
    """Where each category matched (content-word spans) plus the pronoun counts."""

    spans: dict[str, list[Span]]
    numbers: list[Span]
    specifics: list[Span]
    gain_figures: list[Span]
    i_spans: list[Span]
    we_spans: list[Span]
    past_markers: int
    n_words: int


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _names(ct: CandourText) -> list[Span]:
    """Runs of capitalised words that are not at a sentence start ("Priya", "Open Connect")."""
    spans: list[Span] = []
    i = 0
    while i < ct.n_words:
        if (capitalised(ct, i) and not ct.sentence_start[i]
                and ct.norms[i] not in lex.NOT_NAMES):
            j = i
            while j + 1 < ct.n_words and capitalised(ct, j + 1) and not ct.sentence_start[j + 1]:
                j += 1
            spans.append((i, j))
            i = j + 1
        else:
            i += 1
    return spans


def _outside(spans: list[Span], blocked: list[Span]) -> list[Span]:
    return [s for s in spans if not any(a <= s[1] and s[0] <= b for a, b in blocked)]


def _negated(ct: CandourText, span: Span) -> bool:
    """Is there a negation in the two words before the span ("not too worried", "wasn't great")?"""
    before = ct.norms[max(0, span[0] - 2):span[0]]
    return any(n in lex.NEGATORS or n.endswith("n't") for n in before)


def _gain_figures(numbers: list[Span], gains: list[Span]) -> list[Span]:
    """Numbers with a gain word close by ("cut latency by 35 percent", "grew 18 percent")."""
    w = lex.GAIN_WINDOW
    return [s for s in numbers if any(a <= s[1] + w and s[0] - w <= b for a, b in gains)]


def find_matches(ct: CandourText) -> Matches:
    spans = {name: ct.find(p) for name, p in _patterns().items()}
    for name in _NEGATED:
        spans[name] = [s for s in spans[name] if not _negated(ct, s)]
    # "one hundred percent" is an absolute claim, not a figure
    numbers = _outside(spans.pop("number"), spans["absolute"] + spans["humble_brag"])
    anchors = _outside(spans.pop("anchor"), spans["absolute"] + spans["humble_brag"])
    specifics = _merge(numbers + anchors + _names(ct))
    i_spans = [(k, k) for k, n in enumerate(ct.norms) if n in lex.I_WORDS]
    we_spans = [(k, k) for k, n in enumerate(ct.norms) if n in lex.WE_WORDS]
    we_spans += [(k, k + 1) for k, n in enumerate(ct.norms[:-1])
                 if n == "the" and ct.norms[k + 1] == "team"]
    past = sum(1 for n in ct.norms if n in lex.PAST_MARKERS or (len(n) > 4 and n.endswith("ed")))
    gains = spans.pop("gain")
    # "cut infrastructure cost by 30%" is a saving, not a cost the speaker admits
    spans["cost"] = [c for c in spans["cost"]
                     if not any(c[0] - 3 <= b < c[0] for _, b in gains)]
    gain_figures = _gain_figures(numbers, gains)
    return Matches(spans=spans, numbers=numbers, specifics=specifics, gain_figures=gain_figures,
                   i_spans=i_spans,
                   we_spans=sorted(we_spans), past_markers=past, n_words=ct.n_words)


def rate(count: int, n_words: int, cap: float = RATE_CAP) -> float:
    """Occurrences per 100 content words, capped."""
    return min(cap, 100.0 * count / n_words) if n_words else 0.0


def we_ratio(m: Matches) -> float | None:
    """Share of 'we/us/our/the team' among first-person words; None when there are none."""
    total = len(m.we_spans) + len(m.i_spans)
    return len(m.we_spans) / total if total else None


# Order of the logistic model's inputs (see ``candour.WEIGHTS``).
FEATURES = ("cliche_rate", "humble_brag", "absolute_rate", "template_rate", "harmony_rate",
            "we_share", "specificity", "mistake", "cost", "uncertainty", "concrete_lesson",
            "trade_off", "friction", "spin_rate", "gain_figure_rate", "hero_rate", "maxim_rate",
            "disclosure", "positive_excess")


def features(m: Matches) -> dict[str, float]:
    """The model inputs: rates per 100 words (capped) and yes/no values as 0/1."""
    n = m.n_words
    ratio = we_ratio(m)

    def has(name: str) -> float:
        return 1.0 if m.spans[name] else 0.0

    return {
        "cliche_rate": rate(len(m.spans["cliche"]), n),
        "humble_brag": has("humble_brag"),
        "absolute_rate": rate(len(m.spans["absolute"]), n),
        "template_rate": rate(len(m.spans["template"]), n),
        "harmony_rate": rate(len(m.spans["harmony"]), n),
        "we_share": 0.5 if ratio is None else ratio,
        "specificity": rate(len(m.specifics), n, SPECIFICITY_CAP),
        "mistake": has("mistake"),
        "cost": has("cost"),
        "uncertainty": has("uncertainty"),
        "concrete_lesson": has("concrete_lesson"),
        "trade_off": has("trade_off"),
        "friction": has("friction"),
        "spin_rate": rate(len(m.spans["spin"]), n),
        "gain_figure_rate": rate(len(m.gain_figures), n),
        "hero_rate": rate(len(m.spans["hero"]), n),
        "maxim_rate": rate(len(m.spans["maxim"]), n),
        "disclosure": has("disclosure"),
        "positive_excess": max(0.0, rate(len(m.spans["positive"]), n) - POSITIVE_FREE),
    }

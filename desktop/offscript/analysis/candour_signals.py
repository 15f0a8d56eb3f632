"""Candour signals: each a measured value, a threshold, its evidence and one sentence of advice.

A signal is listed only when it fires, and it fires only with evidence to show. Rate-based
signals wait for ``MIN_WORDS`` content words: two sentences are too little to call vague.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from offscript.analysis.candour_features import Matches, Span, rate, we_ratio
from offscript.analysis.candour_text import CandourText
from offscript.analysis.words import Evidence

Direction = Literal["honest", "polished"]

MIN_WORDS = 25
# "we" in at least 60% of first-person words, and at least 4 times: the speaker's own part is
# hidden (candid answers in the train split sit at 0.17 on average, polished ones at 0.26; a
# vague-we answer is well above both).
VAGUE_WE_RATIO = 0.6
VAGUE_WE_MIN = 4
# Checkable details per 100 words. Train split: candid answers average 6.3, polished ones 0.8
# (those with numbers reach 3-4); below 2 nothing can be checked, 5 and more is clearly concrete.
NO_SPECIFICS_BELOW = 2.0
SPECIFIC_FROM = 5.0
# Stock phrases per 100 words: 1.5 is two in a typical 130-word answer. None of the 51 train
# candid answers had more than one cliché; polished ones average 3.3 per 100 words.
PHRASE_RATE = 1.5
PHRASE_MIN = 2
# An answer that tells a story (past-tense words at 4 per 100 or more) of 40+ words.
STORY_PAST_RATE = 4.0
STORY_MIN_WORDS = 40
# Figures framed as gains: two or more, and at least half of the answer's numbers, is a
# results slide (the external set's polished answers average 0.34 per 100 words, candid 0).
GAIN_FIGURES_MIN = 2
# Positive words per 100: 3 is four in a typical 130-word answer; candid answers in every set
# stay under 1 (``candour_features.POSITIVE_FREE``), polished ones average 2.2.
GUSHING_RATE = 3.0
MAX_EVIDENCE = 6


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    value: float
    threshold: float
    direction: Direction
    evidence: tuple[Evidence, ...]
    advice: str

    def to_json(self) -> dict:
        return {"code": self.code, "label": self.label, "value": round(self.value, 3),
                "threshold": self.threshold, "direction": self.direction,
                "evidence": [e.to_json() for e in self.evidence], "advice": self.advice}


def _ev(ct: CandourText, spans: Sequence[Span]) -> tuple[Evidence, ...]:
    return tuple(ct.evidence(s) for s in spans[:MAX_EVIDENCE])


def _quote(ct: CandourText, spans: Sequence[Span]) -> str:
    return ct.evidence(spans[0]).text.lower() if spans else ""


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _sentences_without(ct: CandourText, spans: Sequence[Span]) -> list[Span]:
    """Sentences containing none of ``spans`` (the vaguest parts of the answer), up to two."""
    out = [s for s in ct.sentence_spans()
           if not any(s[0] <= a <= s[1] for a, _ in spans)]
    return out[:2]


def _polished(ct: CandourText, m: Matches) -> list[Signal]:
    n, sp = m.n_words, m.spans
    out: list[Signal] = []
    ratio = we_ratio(m)
    if (n >= MIN_WORDS and ratio is not None and ratio >= VAGUE_WE_RATIO
            and len(m.we_spans) >= VAGUE_WE_MIN):
        out.append(Signal(
            "vague_we", "'We' instead of 'I'", ratio, VAGUE_WE_RATIO, "polished",
            _ev(ct, m.we_spans),
            f"You said 'we' {_times(len(m.we_spans))} and 'I' {_times(len(m.i_spans))}: "
            "say what you did."))
    specificity = rate(len(m.specifics), n, 100.0)
    if n >= MIN_WORDS and specificity < NO_SPECIFICS_BELOW:
        vague = _sentences_without(ct, m.specifics) or ct.sentence_spans()[:1]
        out.append(Signal(
            "no_specifics", "Nothing specific", specificity, NO_SPECIFICS_BELOW, "polished",
            _ev(ct, vague),
            "Nothing here can be checked: name the system, the number, the date or the "
            "person's role."))
    story = n >= STORY_MIN_WORDS and rate(m.past_markers, n, 100.0) >= STORY_PAST_RATE
    # A story that names friction, a cost or real doubt is not blame-free even when the mistake
    # is owned in words the lexicon does not know ("that one is on me"): stay silent then.
    owned_elsewhere = sp["friction"] or sp["cost"] or sp["uncertainty"] or sp["disclosure"]
    if story and not sp["mistake"] and not owned_elsewhere:
        claims = sp["template"] + sp["harmony"]
        where = sorted(claims) if claims else ct.sentence_spans()[-1:]
        out.append(Signal(
            "no_mistake_admitted", "No mistake of yours", 0.0, 1.0, "polished", _ev(ct, where),
            "The story has no mistake of yours in it: say what you got wrong and what it cost."))
    phrase_signals = (
        ("cliches", "Clichés and buzzwords", "cliche",
         "stock phrases like '{q}' say nothing: replace each with what actually happened."),
        ("absolute_claims", "Absolute claims", "absolute",
         "'{q}' and other absolutes sound rehearsed: say how often, or name the one time."),
        ("template_structure", "Template phrases", "template",
         "Phrases like '{q}' announce a script: drop them and tell what happened."),
    )
    for code, label, key, advice in phrase_signals:
        r = rate(len(sp[key]), n, 100.0)
        if len(sp[key]) >= PHRASE_MIN and r >= PHRASE_RATE:
            text = advice.format(q=_quote(ct, sp[key]))
            out.append(Signal(code, label, r, PHRASE_RATE, "polished", _ev(ct, sp[key]),
                              text[0].upper() + text[1:]))
    if sp["humble_brag"]:
        out.append(Signal(
            "humble_brag", "Humble-brag weakness", float(len(sp["humble_brag"])), 1.0,
            "polished", _ev(ct, sp["humble_brag"]),
            f"'{_quote(ct, sp['humble_brag'])}' is a strength dressed up as a weakness: "
            "name a real one and what it has cost you."))
    out += _spin_and_pitch(ct, m)
    harmony = rate(len(sp["harmony"]), n, 100.0)
    if len(sp["harmony"]) >= PHRASE_MIN and harmony >= PHRASE_RATE and not sp["friction"]:
        out.append(Signal(
            "frictionless_story", "No friction", harmony, PHRASE_RATE, "polished",
            _ev(ct, sp["harmony"]),
            "Everyone agreed and it all went smoothly: say where it was hard and who pushed "
            "back."))
    return out


def _spin_and_pitch(ct: CandourText, m: Matches) -> list[Signal]:
    """A setback retold as a win, figures that are all gains, heroic "I"s, morals, gushing."""
    n, sp = m.n_words, m.spans
    out: list[Signal] = []
    if sp["spin"]:
        out.append(Signal(
            "success_spin", "Setback turned into a win", float(len(sp["spin"])), 1.0,
            "polished", _ev(ct, sp["spin"]),
            f"'{_quote(ct, sp['spin'])}' turns the story into a success: say what it cost and "
            "what you would do differently."))
    gains = m.gain_figures
    if len(gains) >= GAIN_FIGURES_MIN and 2 * len(gains) >= len(m.numbers):
        out.append(Signal(
            "metric_brag", "Every figure is a win", float(len(gains)), float(GAIN_FIGURES_MIN),
            "polished", _ev(ct, gains),
            f"Every number is a gain ('{_quote(ct, gains)}'): give one figure for what went "
            "wrong or what it cost."))
    if len(sp["hero"]) >= PHRASE_MIN:
        out.append(Signal(
            "heroic_i", "'I' only for wins", float(len(sp["hero"])), float(PHRASE_MIN),
            "polished", _ev(ct, sp["hero"]),
            f"'{_quote(ct, sp['hero'])}' and the like only say what you drove: say one thing "
            "you got wrong or needed help with."))
    maxims = rate(len(sp["maxim"]), n, 100.0)
    if len(sp["maxim"]) >= PHRASE_MIN and maxims >= PHRASE_RATE:
        out.append(Signal(
            "maxims", "Morals instead of the story", maxims, PHRASE_RATE, "polished",
            _ev(ct, sp["maxim"]),
            f"Morals like '{_quote(ct, sp['maxim'])}' stand in for the story: end on what you "
            "do differently now."))
    positive = rate(len(sp["positive"]), n, 100.0)
    if n >= MIN_WORDS and positive >= GUSHING_RATE:
        out.append(Signal(
            "gushing", "Relentlessly positive", positive, GUSHING_RATE, "polished",
            _ev(ct, sp["positive"]),
            f"So much enthusiasm ('{_quote(ct, sp['positive'])}' and more) sounds like a pitch: "
            "say one thing that was hard or that you would change."))
    return out


def _honest(ct: CandourText, m: Matches) -> list[Signal]:
    n, sp = m.n_words, m.spans
    out: list[Signal] = []
    specificity = rate(len(m.specifics), n, 100.0)
    if n >= MIN_WORDS and specificity >= SPECIFIC_FROM:
        out.append(Signal(
            "specific_details", "Specific details", specificity, SPECIFIC_FROM, "honest",
            _ev(ct, m.specifics),
            f"Good: {len(m.specifics)} checkable details (numbers, names, systems, dates); "
            "keep them."))
    presence = (
        ("admits_mistake", "Admits a mistake", "mistake",
         "Good: you name your own part ('{q}'); make sure the cost is said too."),
        ("names_cost", "Says what it cost", "cost",
         "Good: the cost is said ('{q}'); a number makes it land."),
        ("calibrated_uncertainty", "Honest uncertainty", "uncertainty",
         "Good: saying how sure you were ('{q}') sounds like judgement, not a script."),
        ("concrete_lesson", "What you do differently now", "concrete_lesson",
         "Good: '{q}' shows what changed; name the habit, not only the insight."),
        ("trade_off", "Trade-off named", "trade_off",
         "Good: you say what you gave up ('{q}'); interviewers listen for that."),
        ("friction", "Friction in the story", "friction",
         "Good: the story has real friction ('{q}'), which makes it believable."),
        ("self_disclosure", "Says something unflattering", "disclosure",
         "Good: '{q}' is not flattering and you said it anyway, which makes the rest believable."),
    )
    for code, label, key, advice in presence:
        if sp[key]:
            out.append(Signal(code, label, float(len(sp[key])), 1.0, "honest",
                              _ev(ct, sp[key]), advice.format(q=_quote(ct, sp[key]))))
    return out


def find_signals(ct: CandourText, m: Matches) -> list[Signal]:
    """Every signal that fires, polished ones first; each has at least one piece of evidence."""
    if m.n_words == 0:
        return []
    return [s for s in _polished(ct, m) + _honest(ct, m) if s.evidence]

"""Timing cues that tell recited speech from speech planned while talking.

Each cue becomes a :class:`Signal`: a measured value, a *leaning* in [0, 1] (1 = sounds read or
recited, 0 = sounds planned on the fly, 0.5 = says nothing) and a *weight* saying how much the
answer let us see (a 5-word answer without "um" proves little; a 200-word one does). Anchors
come from the read-vs-spontaneous literature, not from the evaluation set:

- **Filled pauses** (Shriberg 1994; Bortfeld et al. 2001): spontaneous English has about
  1-6 disfluencies per 100 words, filled pauses ~1-3; reading aloud has almost none. Healthy
  band 1-8 filled pauses per 100 words (mildly spontaneous); near zero over a long answer leans
  recited, above the band leans unprepared. Absence is weighted by how sure it is:
  ``1 - exp(-n * 0.02)``, the chance that a speaker at a low spontaneous rate (2 per 100 words)
  would have said at least one in ``n`` words.
- **Long pauses** (Goldman-Eisler 1968; Howell & Kadi-Hanifi 1991): silences ≥ 1 s are planning
  pauses; reading has few (mostly breath pauses of 0.3-0.8 s at punctuation). Reading has
  pause time ~15-25 % of the speaking span, spontaneous speech ~35-50 %.
- **Pause placement**: in reading almost every pause falls at a syntactic boundary; spontaneous
  speech puts a third or more inside phrases (Goldman-Eisler; Blaauw 1994).
- **Repetitions** ("the the", "montreal montreal"): a disfluency of live planning; weighted by
  answer length (20 words for full weight) since one repeat in a 3-word answer is noise.
- **Rate evenness**: articulation rate (syllables/s) per inter-pause run varies more in
  spontaneous speech; coefficient of variation ≤ 0.15 leans read, ≥ 0.35 leans spontaneous.
- **Articulation rate**: reading aloud runs at 4-6 syllables/s; below ~3.5 syllables/s speech is
  drawn out (hesitation lengthening), a live-planning cue.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from offscript.analysis.tokens import normalise
from offscript.analysis.words import Evidence, Pause, TaggedWord

Direction = str  # "rehearsed" | "spontaneous"

FILLER_BAND_PER_100 = (1.0, 8.0)
FILLER_EXPECTED_PER_100 = 2.0
LONG_PAUSE_S = 1.0
LONG_PAUSES_PER_MIN_SPONTANEOUS = 4.0
PAUSE_RATIO_READ = 0.20
PAUSE_RATIO_SPONTANEOUS = 0.40
BOUNDARY_SHARE_SPONTANEOUS = 0.5
RATE_CV_READ = 0.15
RATE_CV_SPONTANEOUS = 0.35
ARTICULATION_SLOW = 3.0
ARTICULATION_READ = 4.5
MIN_RUN_S = 0.4
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    value: float
    threshold: float
    leaning: float  # 1 = recited, 0 = spontaneous
    weight: float
    evidence: tuple[Evidence, ...]
    advice: str

    @property
    def direction(self) -> Direction:
        return "rehearsed" if self.leaning > 0.5 else "spontaneous"

    def to_json(self) -> dict:
        return {"code": self.code, "label": self.label, "value": round(self.value, 3),
                "threshold": self.threshold, "direction": self.direction,
                "leaning": round(self.leaning, 3), "weight": round(self.weight, 3),
                "evidence": [e.to_json() for e in self.evidence], "advice": self.advice}


def ramp(x: float, x0: float, y0: float, x1: float, y1: float) -> float:
    """Linear from (x0, y0) to (x1, y1), flat outside."""
    if x1 == x0:
        return y1
    t = min(1.0, max(0.0, (x - x0) / (x1 - x0)))
    return y0 + t * (y1 - y0)


def syllables(text: str) -> int:
    """Rough syllable count (vowel groups, silent final e); digits count one per digit."""
    word = normalise(text)
    if any(c.isdigit() for c in word):
        return max(1, sum(c.isdigit() for c in word))
    n = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(1, n) if any(c.isalpha() for c in word) else 0


def timed(words: Sequence[TaggedWord]) -> list[TaggedWord]:
    return sorted((w for w in words if w.start is not None and w.end is not None
                   and math.isfinite(w.start) and math.isfinite(w.end)),
                  key=lambda w: w.start)  # type: ignore[arg-type, return-value]


def span_evidence(words: Sequence[TaggedWord], max_words: int = 8) -> Evidence:
    text = " ".join(w.text for w in words[:max_words]) + (" …" if len(words) > max_words else "")
    return Evidence(text, words[0].start, max(w.end for w in words))  # type: ignore[type-var]


def pause_evidence(words: Sequence[TaggedWord], p: Pause) -> Evidence:
    before = [w.text for w in words if w.end is not None and w.end <= p.start + 0.05][-2:]
    after = [w.text for w in words if w.start is not None and w.start >= p.end - 0.05][:2]
    return Evidence(" ".join([*before, "…", *after]), p.start, p.end)


def _is_speech_word(w: TaggedWord) -> bool:
    return w.kind != "filled_pause" and any(c.isalnum() for c in w.text)


def filler_signal(words: Sequence[TaggedWord]) -> Signal | None:
    """Filled pauses only: lexical fillers (sentence-initial "so", "you know") are common in
    prepared speeches too, and the recogniser adds "so"/"and" punctuation that makes them look
    like fillers (JFK's "And so, my fellow Americans")."""
    n = sum(1 for w in words if _is_speech_word(w))
    fillers = [w for w in words if w.kind == "filled_pause"]
    if n == 0:
        return None
    rate = 100.0 * len(fillers) / n
    lo, hi = FILLER_BAND_PER_100
    if fillers:
        leaning = (ramp(rate, lo, 0.5, hi, 0.3) if rate <= hi
                   else ramp(rate, hi, 0.3, 2 * hi, 0.0))
        weight = 1.0
        evidence = tuple(Evidence(w.text, w.start, w.end) for w in fillers)
    else:
        leaning, weight = 1.0, 1.0 - math.exp(-n * FILLER_EXPECTED_PER_100 / 100.0)
        evidence = (span_evidence(words),)
    advice = ("Many um/uh sound unprepared: pause silently instead." if rate > hi else
              "No um/uh at all over a long answer can sound memorised: it is fine to pause "
              "and think." if rate < lo else "Filled pauses are in the normal range.")
    return Signal("filler_rate", "filled pauses (um, uh) per 100 words", rate, lo, leaning,
                  weight, evidence, advice)


def pause_signals(words: Sequence[TaggedWord], pauses: Sequence[Pause], span_s: float
                  ) -> list[Signal]:
    out: list[Signal] = []
    minutes = span_s / 60.0
    long_pauses = [p for p in pauses if p.duration >= LONG_PAUSE_S]
    rate = len(long_pauses) / minutes
    expected = minutes * LONG_PAUSES_PER_MIN_SPONTANEOUS / 2
    if long_pauses:
        out.append(Signal("thinking_pauses", "pauses ≥ 1 s per minute", rate, 1.0,
                          ramp(rate, 0.0, 0.5, LONG_PAUSES_PER_MIN_SPONTANEOUS, 0.0), 1.0,
                          tuple(pause_evidence(words, p) for p in long_pauses),
                          "Thinking pauses sound natural; keep them short and between ideas."))
    else:
        out.append(Signal("no_thinking_pauses", "pauses ≥ 1 s per minute", 0.0, 1.0, 1.0,
                          1.0 - math.exp(-expected), (span_evidence(words),),
                          "A fully pause-free answer can sound recited: let yourself stop "
                          "briefly to think before a key point."))
    silent = sum(p.duration for p in pauses)
    ratio = min(1.0, silent / span_s)
    out.append(Signal("pause_time", "share of the answer spent silent", ratio,
                      PAUSE_RATIO_READ,
                      ramp(ratio, PAUSE_RATIO_READ, 0.8, PAUSE_RATIO_SPONTANEOUS, 0.1),
                      min(1.0, span_s / 10.0),
                      tuple(pause_evidence(words, p) for p in pauses) or (span_evidence(words),),
                      "Even, short pauses only at full stops sound read; vary them."))
    if pauses:
        at_boundary = [p for p in pauses if p.kind != "hesitation"]
        share = len(at_boundary) / len(pauses)
        out.append(Signal("pauses_at_boundaries", "share of pauses at phrase boundaries", share,
                          0.9, ramp(share, BOUNDARY_SHARE_SPONTANEOUS, 0.2, 1.0, 0.8),
                          min(1.0, len(pauses) / 4.0),
                          tuple(pause_evidence(words, p) for p in pauses),
                          "Pauses only at sentence ends sound read aloud."))
    return out


def repetition_signal(words: Sequence[TaggedWord]) -> Signal | None:
    speech = [w for w in words if _is_speech_word(w)]
    if len(speech) < 2:
        return None
    repeats = [b for a, b in itertools.pairwise(speech)
               if normalise(a.text) == normalise(b.text) and normalise(a.text)]
    rate = 100.0 * len(repeats) / len(speech)
    if repeats:
        # a rate from a handful of words is noise ("five five" is a read card, not a restart)
        return Signal("repetitions", "repeated words per 100 words", rate, 0.0,
                      ramp(rate, 0.0, 0.4, 4.0, 0.0), min(1.0, len(speech) / 20.0),
                      tuple(Evidence(w.text, w.start, w.end) for w in repeats),
                      "Restarts show live thinking; one clean restart is fine.")
    return Signal("repetitions", "repeated words per 100 words", 0.0, 0.0, 0.7,
                  0.5 * (1.0 - math.exp(-len(speech) * 0.02)), (span_evidence(speech),),
                  "No restarts at all.")


def _runs(words: Sequence[TaggedWord], pauses: Sequence[Pause]) -> list[list[TaggedWord]]:
    """Stretches of words between silent pauses and filled pauses."""
    cuts = sorted(p.start for p in pauses)
    runs: list[list[TaggedWord]] = [[]]
    k = 0
    for w in words:
        while k < len(cuts) and cuts[k] < w.start:  # type: ignore[operator]
            k += 1
            if runs[-1]:
                runs.append([])
        if w.kind == "filled_pause":
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(w)
    return [r for r in runs if r]


def rate_signals(words: Sequence[TaggedWord], pauses: Sequence[Pause]) -> list[Signal]:
    out: list[Signal] = []
    runs = _runs(words, pauses)
    measured = []
    for run in runs:
        dur = max(w.end for w in run) - run[0].start  # type: ignore[operator, type-var]
        n_syl = sum(syllables(w.text) for w in run)
        if dur >= MIN_RUN_S and n_syl >= 2:
            measured.append((n_syl / dur, run, n_syl, dur))
    if measured:
        n_syl = sum(m[2] for m in measured)
        rate = n_syl / sum(m[3] for m in measured)
        slow = min(measured, key=lambda m: m[0])
        out.append(Signal("articulation_rate", "syllables per second while talking", rate,
                          ARTICULATION_READ,
                          ramp(rate, ARTICULATION_SLOW, 0.2, ARTICULATION_READ, 0.65),
                          0.5 * min(1.0, n_syl / 15.0), (span_evidence(slow[1]),),
                          "A steady 4-6 syllables per second is typical of reading aloud."))
    if len(measured) >= 3:
        rates = np.array([m[0] for m in measured])
        cv = float(rates.std() / rates.mean())
        fast, slow = max(measured, key=lambda m: m[0]), min(measured, key=lambda m: m[0])
        out.append(Signal("even_pace", "variation of speaking rate between phrases", cv,
                          RATE_CV_READ,
                          ramp(cv, RATE_CV_READ, 0.85, RATE_CV_SPONTANEOUS, 0.2),
                          min(1.0, (len(measured) - 2) / 4.0),
                          (span_evidence(fast[1]), span_evidence(slow[1])),
                          "A metronome-even pace sounds recited: slow down for the key point "
                          "and speed up through context."))
    return out

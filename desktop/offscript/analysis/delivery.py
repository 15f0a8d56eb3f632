"""Does the answer *sound* recited rather than thought through? ``rehearsed_score`` in [0, 1].

The score pools the cues of ``delivery_signals`` (fillers, long pauses, pause time and
placement, repetitions, rate evenness, articulation rate) and of ``prosody`` (pitch and
loudness variation). Each cue leans towards "recited" (1) or "planned live" (0) and carries a
weight for how much the answer showed; the score is their weighted mean, pulled towards 0.5 by a
prior of weight ``PRIOR_WEIGHT``, so a 3-word answer scores near 0.5 ("can't tell") instead of
an extreme. The score is None without word timings (typed text): nothing here can be heard.

Pitch: conversational English varies by roughly 2-5 semitones (standard deviation of F0 over
voiced frames); below 2 semitones listeners hear a monotone (``MONOTONE_SD_ST``). Flat delivery
leans recited; the lean is weak (weight ≤ 0.6) because voice and microphone also flatten pitch.
Loudness that barely moves (SD < 3 dB over speech frames) is a weak cue in the same direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from offscript.analysis.delivery_signals import (
    Signal,
    filler_signal,
    pause_signals,
    ramp,
    rate_signals,
    repetition_signal,
    span_evidence,
    timed,
)
from offscript.analysis.pace import PaceStats
from offscript.analysis.prosody import ProsodySummary, summarise_prosody
from offscript.analysis.words import Evidence, Flag, Pause, TaggedWord

PRIOR_WEIGHT = 1.0
MONOTONE_SD_ST = 2.0
LIVELY_SD_ST = 3.0
FLAT_ENERGY_SD_DB = 3.0
RECITED_SCORE = 0.65  # flag "sounds recited" at or above this...
RECITED_MIN_WEIGHT = 1.5  # ...when the cues together carry at least this much weight
FLAG_MIN_WORDS = 60  # "no fillers" / "no thinking pauses" mean something only over a long answer
FLAG_MIN_SPAN_S = 30.0
MONOTONE_MIN_VOICED_S = 2.0


@dataclass(frozen=True)
class DeliveryResult:
    rehearsed_score: float | None
    signals: list[Signal] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    prosody: ProsodySummary | None = None

    def to_json(self) -> dict:
        return {"rehearsed_score": None if self.rehearsed_score is None
                else round(self.rehearsed_score, 3),
                "signals": [s.to_json() for s in self.signals],
                "pitch": self.prosody.to_json() if self.prosody is not None else None,
                "flags": [f.to_json() for f in self.flags]}


def prosody_signals(summary: ProsodySummary, words: Sequence[TaggedWord]) -> list[Signal]:
    out: list[Signal] = []
    if summary.pitch_sd_st is None:
        return out
    spans = sorted(summary.voiced_spans, key=lambda s: s[0] - s[1])[:1]
    evidence = tuple(Evidence(_words_in(words, s, e), s, e) for s, e in spans)
    evidence = evidence or (span_evidence(words),)
    sd = summary.pitch_sd_st
    out.append(Signal("pitch_variation", "pitch variation (semitones, SD)", sd, MONOTONE_SD_ST,
                      ramp(sd, MONOTONE_SD_ST - 0.5, 0.8, LIVELY_SD_ST, 0.4),
                      0.6 * min(1.0, summary.voiced_s / 5.0), evidence,
                      "Let your pitch rise and fall with what matters; a flat line sounds "
                      "read."))
    if summary.energy_sd_db is not None:
        e_sd = summary.energy_sd_db
        out.append(Signal("loudness_variation", "loudness variation (dB, SD)", e_sd,
                          FLAT_ENERGY_SD_DB, ramp(e_sd, FLAT_ENERGY_SD_DB, 0.7, 6.0, 0.45),
                          0.3 * min(1.0, summary.voiced_s / 5.0), evidence,
                          "Stress the words that carry your point."))
    return out


def _words_in(words: Sequence[TaggedWord], start: float, end: float) -> str:
    inside = [w.text for w in words if w.start is not None and w.end is not None
              and w.end > start and w.start < end]
    return " ".join(inside) or "(voice)"


def combine(signals: Sequence[Signal]) -> float:
    """Weighted mean of the leanings with a 0.5 prior of weight PRIOR_WEIGHT."""
    total = PRIOR_WEIGHT + sum(s.weight for s in signals)
    return (0.5 * PRIOR_WEIGHT + sum(s.weight * s.leaning for s in signals)) / total


def _flags(score: float, signals: Sequence[Signal], n_words: int, span_s: float,
           prosody: ProsodySummary | None) -> list[Flag]:
    by = {s.code: s for s in signals}
    flags: list[Flag] = []
    weight = sum(s.weight for s in signals)
    recited = [s for s in signals if s.direction == "rehearsed" and s.weight > 0]
    if score >= RECITED_SCORE and weight >= RECITED_MIN_WEIGHT and recited:
        flags.append(Flag("sounds_recited", "info",
                          "This answer sounds recited rather than thought through: "
                          + ", ".join(s.label for s in recited) + ".",
                          tuple(s.evidence[0] for s in recited), round(score, 3),
                          RECITED_SCORE,
                          "Know your points, not your sentences: rehearse from bullet notes."))
    pitch = by.get("pitch_variation")
    if (pitch is not None and pitch.value < MONOTONE_SD_ST and prosody is not None
            and prosody.voiced_s >= MONOTONE_MIN_VOICED_S):
        flags.append(Flag("monotone", "info",
                          f"Your pitch barely moved ({pitch.value:.1f} semitones).",
                          pitch.evidence, round(pitch.value, 2), MONOTONE_SD_ST, pitch.advice))
    calm = by.get("no_thinking_pauses")
    if calm is not None and span_s >= FLAG_MIN_SPAN_S:
        flags.append(Flag("no_thinking_pauses", "info",
                          f"No pause of a second or more in {span_s:.0f} s.",
                          calm.evidence, 0.0, calm.threshold, calm.advice))
    fill = by.get("filler_rate")
    if fill is not None and fill.value == 0 and n_words >= FLAG_MIN_WORDS:
        flags.append(Flag("no_fillers", "info", f"Not one um or uh in {n_words} words.",
                          fill.evidence, 0.0, fill.threshold, fill.advice))
    even = by.get("even_pace")
    if even is not None and even.value <= even.threshold and even.weight >= 0.5:
        flags.append(Flag("even_pace", "info",
                          f"Your pace hardly changed between phrases (CV {even.value:.2f}).",
                          even.evidence, round(even.value, 3), even.threshold, even.advice))
    return flags


def analyse_delivery(tagged_words: Sequence[TaggedWord], pauses: Sequence[Pause],
                     pace: PaceStats | None = None, *, audio: np.ndarray | None = None,
                     sr: int = 16000, duration_s: float | None = None,
                     prosody: ProsodySummary | None = None) -> DeliveryResult:
    """Rehearsed-delivery score, its signals and flags (score None without word timings).
    ``prosody``: ``summarise_prosody(audio, sr)`` when already computed."""
    words = timed(tagged_words)
    if not words:
        return DeliveryResult(None)
    span_s = max(w.end for w in words) - words[0].start  # type: ignore[operator, type-var]
    if pace is not None and pace.speaking_time_s:
        span_s = pace.speaking_time_s
    if not np.isfinite(span_s) or span_s < 0.05:
        return DeliveryResult(None)
    inside = [p for p in pauses if np.isfinite(p.start) and np.isfinite(p.end)
              and p.end > p.start]
    signals: list[Signal] = []
    for maybe in (filler_signal(words), repetition_signal(words)):
        if maybe is not None:
            signals.append(maybe)
    signals += pause_signals(words, inside, span_s)
    signals += rate_signals(words, inside)
    if prosody is None and audio is not None and sr > 0 and np.asarray(audio).size > 0:
        prosody = summarise_prosody(np.asarray(audio), sr)
    if prosody is not None:
        signals += prosody_signals(prosody, words)
    signals = [s for s in signals if s.weight > 0]
    score = float(min(1.0, max(0.0, combine(signals))))
    n_words = sum(1 for w in words if w.kind != "filled_pause")
    return DeliveryResult(score, signals, _flags(score, signals, n_words, span_s, prosody),
                          prosody)

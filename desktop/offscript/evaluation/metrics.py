"""Pure scoring functions for the evaluation: counts, time-matched events, pauses, pace, speed.

Conventions
-----------
- Precision is undefined (None) without hypotheses, recall without references; F1 is
  ``2·tp / (hyp + ref)``, so it is 0 when exactly one side is empty and None when both are.
- Events are matched one to one; a hypothesis takes the earliest unmatched reference it fits.
  With a symmetric tolerance on sorted onsets (or on both boundaries of disjoint pauses) this
  greedy pass finds a maximum matching.
- Filled-pause events match when their onsets are within 0.5 s (event-based, onset-only, as in
  sed_eval): recogniser word boundaries around "um" are rough and often stretch over the
  following silence, so the offset says little.
- Pauses match when both boundaries are within 100 ms.
- Reference pauses are the gaps of at least 250 ms between consecutive reference words; silence
  before the first and after the last word is latency, not a pause (as in ``analysis.pauses``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from offscript.analysis.pace import count_words, speaking_time
from offscript.analysis.tokens import is_filled_pause
from offscript.analysis.words import Word

FILLED_PAUSE_TOLERANCE_S = 0.5
PAUSE_BOUNDARY_TOLERANCE_S = 0.1
MIN_PAUSE_S = 0.25
_EPS = 1e-9  # timings come rounded to milliseconds: 0.25 written as 0.2499999 is still 0.25


@dataclass(frozen=True)
class Interval:
    start: float
    end: float


@dataclass(frozen=True)
class Scores:
    """Matches (``tp``) out of ``n_hyp`` detections and ``n_ref`` references."""

    tp: int = 0
    n_hyp: int = 0
    n_ref: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.tp <= min(self.n_hyp, self.n_ref):
            raise ValueError(f"inconsistent scores: tp={self.tp}, hyp={self.n_hyp}, "
                             f"ref={self.n_ref}")

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.tp + other.tp, self.n_hyp + other.n_hyp, self.n_ref + other.n_ref)

    @property
    def precision(self) -> float | None:
        return self.tp / self.n_hyp if self.n_hyp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.n_ref if self.n_ref else None

    @property
    def f1(self) -> float | None:
        total = self.n_hyp + self.n_ref
        return 2 * self.tp / total if total else None

    def to_json(self) -> dict:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)
        return {"tp": self.tp, "hyp": self.n_hyp, "ref": self.n_ref, "recall": r(self.recall),
                "precision": r(self.precision), "f1": r(self.f1)}


def total(scores: Iterable[Scores]) -> Scores:
    """Micro-average: sum the matches and counts of several clips."""
    out = Scores()
    for s in scores:
        out = out + s
    return out


def count_scores(n_hyp: int, n_ref: int) -> Scores:
    """Per-clip count matching: ``min(hyp, ref)`` of the detections are taken as right."""
    if n_hyp < 0 or n_ref < 0:
        raise ValueError("counts cannot be negative")
    return Scores(min(n_hyp, n_ref), n_hyp, n_ref)


def match_count(hyp: Sequence[Interval], ref: Sequence[Interval],
                same: Callable[[Interval, Interval], bool]) -> int:
    """Number of one-to-one matches between ``hyp`` and ``ref`` events (greedy, in time order)."""
    refs = sorted(ref, key=lambda i: (i.start, i.end))
    used = [False] * len(refs)
    matched = 0
    for h in sorted(hyp, key=lambda i: (i.start, i.end)):
        for k, r in enumerate(refs):
            if not used[k] and same(h, r):
                used[k] = True
                matched += 1
                break
    return matched


def filled_pause_event_scores(hyp: Sequence[Interval], ref: Sequence[Interval],
                              tolerance: float = FILLED_PAUSE_TOLERANCE_S) -> Scores:
    """Filled pauses matched by onset within ``tolerance`` seconds."""
    def same(h: Interval, r: Interval) -> bool:
        return abs(h.start - r.start) <= tolerance + _EPS
    return Scores(match_count(hyp, ref, same), len(hyp), len(ref))


def pause_scores(hyp: Sequence[Interval], ref: Sequence[Interval],
                 tolerance: float = PAUSE_BOUNDARY_TOLERANCE_S) -> Scores:
    """Silent pauses matched when both start and end are within ``tolerance`` seconds."""
    def same(h: Interval, r: Interval) -> bool:
        return (abs(h.start - r.start) <= tolerance + _EPS
                and abs(h.end - r.end) <= tolerance + _EPS)
    return Scores(match_count(hyp, ref, same), len(hyp), len(ref))


def reference_filled_pauses(words: Sequence[Word]) -> list[Interval]:
    """The filled pauses ("uh", "um"...) among reference words, as events."""
    return [Interval(float(w.start), float(w.end)) for w in words  # type: ignore[arg-type]
            if w.start is not None and w.end is not None and is_filled_pause(w.text)]


def reference_pauses(words: Sequence[Word], min_pause: float = MIN_PAUSE_S) -> list[Interval]:
    """Gaps of at least ``min_pause`` between consecutive timed reference words."""
    timed = sorted((w for w in words if w.start is not None and w.end is not None),
                   key=lambda w: (w.start, w.end))
    if not timed:
        return []
    out = []
    reach = float(max(timed[0].start, timed[0].end))  # type: ignore[type-var]
    for w in timed[1:]:
        start, end = float(w.start), float(max(w.start, w.end))  # type: ignore[arg-type,type-var]
        if start - reach >= min_pause - _EPS:
            out.append(Interval(reach, start))
        reach = max(reach, end)
    return out


def reference_wpm(words: Sequence[Word]) -> float | None:
    """Reference pace: words other than filled pauses over first-start to last-end time."""
    span = speaking_time(words)
    return None if span is None else 60.0 * count_words(words) / span


def wpm_error_pct(hyp_wpm: float | None, ref_wpm: float | None) -> float | None:
    """Signed error of the measured pace in % of the reference (None when either is missing)."""
    if hyp_wpm is None or ref_wpm is None or not ref_wpm > 0 or not math.isfinite(hyp_wpm):
        return None
    return 100.0 * (hyp_wpm - ref_wpm) / ref_wpm


def real_time_factor(wall_s: float, audio_s: float) -> float | None:
    """Processing time per second of audio (below 1 is faster than real time)."""
    return wall_s / audio_s if audio_s > 0 else None


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the known values (None when there are none)."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation, for comparing what was said with what was heard."""
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """Word-level edit distance divided by the reference length."""
    prev = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        row = [i]
        for j, hyp in enumerate(hypothesis, start=1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ref != hyp)))
        prev = row
    return prev[-1] / max(1, len(reference))

"""Speaking pace: words per minute, articulation rate and a per-window timeline.

- **Words** are all tokens with a letter or digit except filled pauses (um, uh...): a filled
  pause is a hesitation sound, not a word, and counting it would reward hesitating. Lexical
  fillers ("like", "you know") are real words and count.
- **Speaking time** runs from the first word's start to the last word's end (filled pauses
  included, since they are part of the answer); silence before and after is latency, not pace.
- **WPM** = words / speaking time. **Articulation WPM** = words / (speaking time minus silent
  pauses ≥ ``min_pause``): how fast the speaker talks while actually talking.
- **Timeline**: consecutive ``window``-second windows from the first word's start; a word belongs
  to the window holding its midpoint; the last, shorter window is scaled by its real length (and
  skipped when under 2 s, where one word more or less swings the figure wildly).
- Text-only input (no timings) gives None for every timing value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from offscript.analysis.tokens import is_filled_pause
from offscript.analysis.words import Pause, TaggedWord, Word

MIN_LAST_WINDOW_S = 2.0
# Below this a "speaking time" is a timing glitch, not speech: rates would be meaningless.
MIN_SPEAKING_S = 0.05


@dataclass(frozen=True)
class PaceWindow:
    start: float
    end: float
    words: int
    wpm: float

    def to_json(self) -> dict:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "words": self.words,
                "wpm": round(self.wpm, 1)}


@dataclass(frozen=True)
class PaceStats:
    word_count: int
    speaking_time_s: float | None
    wpm: float | None
    articulation_wpm: float | None
    timeline: list[PaceWindow] = field(default_factory=list)

    def to_json(self) -> dict:
        def r(x: float | None, nd: int = 1) -> float | None:
            return None if x is None else round(x, nd)
        return {"wpm": r(self.wpm), "articulation_wpm": r(self.articulation_wpm),
                "timeline": [w.to_json() for w in self.timeline],
                "speaking_time_s": r(self.speaking_time_s, 3), "word_count": self.word_count}


def _is_word(w: Word | TaggedWord) -> bool:
    if isinstance(w, TaggedWord):
        if w.kind == "filled_pause":
            return False
    elif is_filled_pause(w.text):
        return False
    return any(c.isalnum() for c in w.text)


def _timed(w: Word | TaggedWord) -> bool:
    return (w.start is not None and w.end is not None and math.isfinite(w.start)
            and math.isfinite(w.end))


def count_words(words: Sequence[Word | TaggedWord]) -> int:
    """Words for pace: everything with a letter or digit except filled pauses."""
    return sum(1 for w in words if _is_word(w))


def speaking_time(words: Sequence[Word | TaggedWord]) -> float | None:
    """First word start to last word end, or None without usable timings."""
    timed = [w for w in words if _timed(w)]
    if not timed:
        return None
    span = max(max(w.start, w.end) for w in timed) - min(w.start for w in timed)  # type: ignore[type-var]
    return span if span >= MIN_SPEAKING_S else None


def words_per_minute(words: Sequence[Word | TaggedWord]) -> float | None:
    span = speaking_time(words)
    return None if span is None else 60.0 * count_words(words) / span


def articulation_wpm(words: Sequence[Word | TaggedWord], pauses: Sequence[Pause],
                     min_pause: float = 0.25) -> float | None:
    """WPM over speaking time with pauses of at least ``min_pause`` removed."""
    span = speaking_time(words)
    if span is None:
        return None
    silent = sum(max(0.0, p.duration) for p in pauses if p.duration >= min_pause)
    talking = span - min(silent, span)
    return None if talking <= 0 else 60.0 * count_words(words) / talking


def timeline(words: Sequence[Word | TaggedWord], window: float = 10.0) -> list[PaceWindow]:
    """WPM per ``window`` seconds from the first word's start (module docstring)."""
    timed = [w for w in words if _timed(w)]
    if speaking_time(timed) is None or not (window >= MIN_SPEAKING_S and math.isfinite(window)):
        return []
    t0 = min(w.start for w in timed)  # type: ignore[type-var]
    t1 = max(max(w.start, w.end) for w in timed)  # type: ignore[type-var]
    n = max(1, math.ceil((t1 - t0) / window))
    if n > 100_000:  # absurd timings: refuse to build a huge list
        return []
    counts = [0] * n
    for w in timed:
        if _is_word(w):
            mid = (w.start + max(w.start, w.end)) / 2  # type: ignore[operator]
            counts[min(n - 1, max(0, int((mid - t0) // window)))] += 1
    out = []
    for k, c in enumerate(counts):
        start, end = t0 + k * window, min(t1, t0 + (k + 1) * window)
        length = end - start
        if length <= 0 or (k == n - 1 and k > 0 and length < MIN_LAST_WINDOW_S):
            continue
        out.append(PaceWindow(start=start, end=end, words=c, wpm=60.0 * c / length))
    return out


def measure_pace(words: Sequence[Word | TaggedWord], pauses: Sequence[Pause] = (),
                 window: float = 10.0, min_pause: float = 0.25) -> PaceStats:
    """All pace figures at once (timing values None for text-only input)."""
    return PaceStats(word_count=count_words(words), speaking_time_s=speaking_time(words),
                     wpm=words_per_minute(words),
                     articulation_wpm=articulation_wpm(words, pauses, min_pause),
                     timeline=timeline(words, window))

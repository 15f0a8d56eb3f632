"""Where to cut a growing recording so its start can be transcribed for good (no Qt, pure).

Live transcription commits audio window by window while the candidate is still speaking.  A
window may only end where nobody is speaking, or a word would be cut in half and recognised
twice or not at all.  "Quiet" is judged against the recording itself, since microphones and
rooms differ: a 10 ms frame is quiet when it is well below the speech level (the loud frames)
and close to the background (the quietest frames).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAMPLE_RATE = 16_000
HOP_S = 0.01  # 10 ms frames
_EPS = 1e-10


def frame_levels_db(audio: np.ndarray, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Level of each 10 ms frame in dBFS (mean square, smoothed over 50 ms)."""
    hop = int(sr * HOP_S)
    frames = len(audio) // hop
    if frames == 0:
        return np.zeros(0)
    energy = np.square(audio[: frames * hop].reshape(frames, hop), dtype=np.float64).mean(axis=1)
    smooth = np.convolve(energy, np.ones(5) / 5, mode="same")
    return 10.0 * np.log10(smooth + _EPS)


def quiet_threshold_db(levels_db: np.ndarray) -> float:
    """Frames below this level count as quiet: 30 dB under the speech level (90th percentile),
    but at least 6 dB over the background (5th percentile), so room noise is quiet too; and
    always 10 dB under the speech level, so unbroken speech has no quiet frames."""
    if levels_db.size == 0:
        return -np.inf
    floor, speech = np.percentile(levels_db, [5, 90])
    return float(min(max(floor + 6.0, speech - 30.0), speech - 10.0))


def quiet_runs(quiet: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) frame indices of the runs of True in ``quiet``, end exclusive."""
    padded = np.concatenate(([False], quiet, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def choose_cut(
    audio: np.ndarray,
    sr: int = SAMPLE_RATE,
    *,
    min_window_s: float = 4.0,
    min_quiet_s: float = 0.3,
    force_s: float = 20.0,
    sentence_gaps: Sequence[tuple[float, float]] = (),
) -> int | None:
    """Where to end the window that starts at ``audio[0]``, in samples, or None to wait.

    The cut goes in the middle of a quiet stretch (at least ``min_quiet_s``) that leaves a
    window of at least ``min_window_s``: preferably one that overlaps ``sentence_gaps`` (seconds
    from ``audio[0]`` between a word ending a sentence and the next word, from a tentative
    transcript), then the longest (a second or more counts as equally long), then the latest.
    Hesitations ("the ... uh ... acoustic") are quiet too, but Whisper garbles a window that
    starts in one.
    Without one, once ``audio`` reaches ``force_s`` seconds the cut goes at the quietest
    100 ms of its last 8 seconds.  The quiet threshold comes from ``audio`` alone, because
    levels change between recordings.
    """
    hop = int(sr * HOP_S)
    levels = frame_levels_db(audio, sr)
    first = int(min_window_s / HOP_S)
    min_run = int(min_quiet_s / HOP_S)
    gaps = [(int(g0 / HOP_S), int(g1 / HOP_S)) for g0, g1 in sentence_gaps]
    candidates = [(any(a < g1 and g0 < b for g0, g1 in gaps), min(b - a, int(1.0 / HOP_S)),
                   (a + b) // 2)
                  for a, b in quiet_runs(levels < quiet_threshold_db(levels))
                  if b - a >= min_run and (a + b) // 2 >= first]
    if candidates:
        return max(candidates)[2] * hop
    if len(audio) < force_s * sr:
        return None
    lo = max(first, len(levels) - int(8.0 / HOP_S))
    smooth = np.convolve(levels, np.ones(10) / 10, mode="same")[lo:]
    return (lo + int(np.argmin(smooth))) * hop if smooth.size else len(audio)


def is_quiet(audio: np.ndarray, threshold_db: float, sr: int = SAMPLE_RATE,
             min_loud_s: float = 0.1) -> bool:
    """True if less than ``min_loud_s`` of ``audio`` rises above ``threshold_db``."""
    levels = frame_levels_db(audio, sr)
    return int(np.count_nonzero(levels >= threshold_db)) * HOP_S < min_loud_s

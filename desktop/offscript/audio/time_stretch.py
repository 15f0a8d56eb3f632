"""Playing a take faster or slower without changing its pitch, and the time maths of it (no Qt).

At speed ``s`` one second of playback covers ``s`` seconds of the recording: a position in
the original is ``start + played_seconds * s`` and the stretched audio lasts ``1 / s`` as long.
The stretch is a numpy phase vocoder (``audio.phase_vocoder``): no numba to compile, so the
first speed change on a fresh install costs what any later one does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
MIN_SPEED, MAX_SPEED = 0.75, 2.0


def check_speed(speed: float) -> float:
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(f"speed {speed} is outside {MIN_SPEED}–{MAX_SPEED}")
    return float(speed)


def stretch(samples: np.ndarray, speed: float) -> np.ndarray:
    """``samples`` played ``speed`` times as fast at the same pitch (length ≈ len / speed)."""
    check_speed(speed)
    audio = np.asarray(samples, dtype=np.float32)
    if speed == 1.0 or len(audio) == 0:
        return audio
    from offscript.audio.phase_vocoder import time_stretch

    return np.clip(time_stretch(audio, speed), -1.0, 1.0)


def original_position(start_s: float, played_s: float, speed: float) -> float:
    """Where in the recording playback is after ``played_s`` seconds started at ``start_s``."""
    return start_s + max(0.0, played_s) * speed


def stretched_index(position_s: float, speed: float, samplerate: int) -> int:
    """Sample index in the stretched audio that corresponds to ``position_s`` in the original."""
    return max(0, round(position_s / speed * samplerate))


def chunks_from(
    audio: np.ndarray, start: int, blocksize: int = 2048, on_first: Callable[[], None] | None = None
) -> Iterator[np.ndarray]:
    """``audio[start:]`` in blocks; ``on_first`` runs when the player takes the first one."""
    for i in range(start, len(audio), blocksize):
        if i == start and on_first is not None:
            on_first()
        yield audio[i : i + blocksize]

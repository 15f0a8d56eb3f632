"""Input level: dBFS of a block, and a smoothed meter with peak hold and a clipping flag."""

from __future__ import annotations

import numpy as np

SILENCE_DBFS = -120.0
"""What the dBFS functions return for digital silence (instead of minus infinity)."""


def _as_float(block: np.ndarray) -> np.ndarray:
    a = np.asarray(block)
    if a.dtype == np.int16:
        return a.astype(np.float32) / 32768.0
    return a.astype(np.float32, copy=False)


def rms_dbfs(block: np.ndarray) -> float:
    """Root-mean-square level in dBFS (a full-scale sine is -3 dB); -120 for silence or empty."""
    a = _as_float(block)
    if a.size == 0:
        return SILENCE_DBFS
    rms = float(np.sqrt(np.mean(np.square(a, dtype=np.float64))))
    return max(SILENCE_DBFS, 20.0 * np.log10(rms)) if rms > 0 else SILENCE_DBFS


def peak_dbfs(block: np.ndarray) -> float:
    """Peak absolute sample in dBFS (full scale = 0); -120 for silence or empty."""
    a = _as_float(block)
    if a.size == 0:
        return SILENCE_DBFS
    peak = float(np.max(np.abs(a)))
    return max(SILENCE_DBFS, 20.0 * np.log10(peak)) if peak > 0 else SILENCE_DBFS


class LevelMeter:
    """What a level bar shows: a level in [0, 1], a held peak and whether the input clips.

    Feed it every recorded block with :meth:`update`.  The level is the block's RMS mapped
    linearly from ``floor_dbfs`` (0.0) to 0 dBFS (1.0); it rises at once and falls at
    ``fall_db_per_s`` so the bar does not flicker.  The peak marker holds for ``peak_hold_s``
    and then falls at the same rate.  ``clipping`` stays True for ``clip_hold_s`` after a
    sample reached ``clip_level`` (so the user can see it).
    """

    def __init__(
        self,
        samplerate: int,
        floor_dbfs: float = -60.0,
        fall_db_per_s: float = 30.0,
        peak_hold_s: float = 1.0,
        clip_level: float = 0.99,
        clip_hold_s: float = 1.5,
    ) -> None:
        if floor_dbfs >= 0:
            raise ValueError("floor_dbfs must be below 0")
        self.samplerate = samplerate
        self.floor_dbfs = floor_dbfs
        self.fall_db_per_s = fall_db_per_s
        self.peak_hold_s = peak_hold_s
        self.clip_level = clip_level
        self.clip_hold_s = clip_hold_s
        self.reset()

    def reset(self) -> None:
        self._level_db = SILENCE_DBFS
        self._peak_db = SILENCE_DBFS
        self._peak_age_s = 0.0
        self._clip_age_s = float("inf")

    def _to_unit(self, db: float) -> float:
        return float(min(1.0, max(0.0, (db - self.floor_dbfs) / -self.floor_dbfs)))

    @property
    def level(self) -> float:
        return self._to_unit(self._level_db)

    @property
    def peak(self) -> float:
        return self._to_unit(self._peak_db)

    @property
    def level_dbfs(self) -> float:
        return self._level_db

    @property
    def clipping(self) -> bool:
        return self._clip_age_s <= self.clip_hold_s

    def update(self, block: np.ndarray) -> float:
        """Take one block (any shape, float32 or int16); returns the new :attr:`level`."""
        a = _as_float(block)
        dt = a.shape[0] / self.samplerate if a.ndim else 0.0
        fall = self.fall_db_per_s * dt
        self._level_db = max(rms_dbfs(a), self._level_db - fall, SILENCE_DBFS)
        peak = peak_dbfs(a)
        self._peak_age_s += dt
        if peak >= self._peak_db:
            self._peak_db, self._peak_age_s = peak, 0.0
        elif self._peak_age_s > self.peak_hold_s:
            self._peak_db = max(peak, self._peak_db - fall, self._level_db)
        self._clip_age_s += dt
        if a.size and float(np.max(np.abs(a))) >= self.clip_level:
            self._clip_age_s = 0.0
        return self.level

"""Pitch and loudness contours of an answer, summarised for the delivery analysis.

Speed matters more than precision here (the whole non-ASR analysis of a 2-minute answer has a
150 ms budget), so pitch comes from YIN (``analysis/yin.py``, numpy; not pYIN, ~100x slower) on
the signal decimated to 4 kHz (enough for F0 up to 400 Hz) and band-passed to 70-1000 Hz (room
rumble below 70 Hz can hold most of a recording's energy and makes YIN lock onto it), with
64 ms frames every 50 ms. YIN has no voicing decision of its own, so a frame counts as voiced
when it is loud (within ``VOICED_DB_BELOW_PEAK`` of the loud frames), periodic (normalised
correlation at the YIN period ≥ ``MIN_PERIODICITY``: not a fricative, breath or noise) and its F0
agrees with a 5-frame median (drops octave jumps).

Pitch is measured in semitones, so a deep and a high voice are compared on the same scale.
Loudness is frame RMS in dB over the speech frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from offscript.analysis.bandpass import bandpass
from offscript.analysis.yin import yin_f0

PITCH_SR = 4000
FRAME = 256  # 64 ms: two periods of a 65 Hz voice fit in YIN's 32 ms window
HOP = 200  # 50 ms: measured 3x cheaper than 20 ms; still ~4 frames per syllable
BAND_HZ = (70.0, 1000.0)
FMIN_HZ = 65.0
FMAX_HZ = 400.0
VOICED_DB_BELOW_PEAK = 25.0  # frames more than this below the 95th-percentile level are pauses
MIN_PERIODICITY = 0.5  # usual voicing threshold for normalised autocorrelation
MAX_JUMP_ST = 3.0  # a frame more than 3 semitones off its 5-frame median is an octave/noise error
MIN_VOICED_S = 0.6  # less voiced speech than this says nothing about intonation


@dataclass(frozen=True)
class ProsodySummary:
    """Pitch and loudness of the voiced frames (None where there was too little voice)."""

    voiced_s: float
    median_hz: float | None
    pitch_sd_st: float | None
    pitch_range_st: float | None  # 5th to 95th percentile
    energy_sd_db: float | None
    voiced_spans: tuple[tuple[float, float], ...] = ()

    def to_json(self) -> dict:
        def r(x: float | None, nd: int = 2) -> float | None:
            return None if x is None else round(x, nd)
        return {"voiced_s": round(self.voiced_s, 2), "median_hz": r(self.median_hz, 1),
                "sd_semitones": r(self.pitch_sd_st), "range_semitones": r(self.pitch_range_st),
                "energy_sd_db": r(self.energy_sd_db)}


EMPTY = ProsodySummary(0.0, None, None, None, None)


def _decimate(x: np.ndarray, sr: int) -> np.ndarray:
    """Resample to PITCH_SR: integer factor by block averaging (a cheap low-pass), else interp."""
    if sr == PITCH_SR:
        return x
    if sr % PITCH_SR == 0:
        k = sr // PITCH_SR
        n = x.size // k
        return sum(x[i::k][:n] for i in range(k)) / k  # strided sums: 10x faster than reshape
    t = np.arange(0, x.size / sr, 1.0 / PITCH_SR)
    return np.interp(t, np.arange(x.size) / sr, x)


def _frames(y: np.ndarray) -> np.ndarray:
    padded = np.pad(y, (FRAME // 2, FRAME // 2))
    n = 1 + (padded.size - FRAME) // HOP
    return sliding_window_view(padded, FRAME)[::HOP][:n]


def _spans(mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    step = HOP / PITCH_SR
    return tuple((float(s * step), float(e * step)) for s, e in zip(starts, ends, strict=True))


def _periodicity(frames: np.ndarray, f0: np.ndarray) -> np.ndarray:
    """Normalised correlation of each frame with itself one YIN period later."""
    max_lag = int(np.ceil(PITCH_SR / FMIN_HZ))
    width = FRAME - max_lag
    lags = np.clip(np.round(PITCH_SR / np.maximum(f0, FMIN_HZ)).astype(int), 1, max_lag)
    a = frames[:, :width]
    idx = lags[:, None] + np.arange(width)[None, :]
    b = np.take_along_axis(frames, idx, axis=1)
    den = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1)) + 1e-12
    return (a * b).sum(axis=1) / den


BLOCK = 60 * PITCH_SR  # samples per block of pitch tracking


def _frame_features(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-frame f0 (Hz), energy (dB) and periodicity of one block."""
    if y.size <= FRAME:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    frames = _frames(y)
    f0 = yin_f0(frames, PITCH_SR, FMIN_HZ, FMAX_HZ)
    db = 10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    return f0, db, _periodicity(frames, f0)


def summarise_prosody(audio: np.ndarray, sr: int) -> ProsodySummary:
    """Pitch and energy summary of ``audio`` (mono, any rate); EMPTY when it is too short."""
    x = np.asarray(audio, dtype=np.float32).reshape(-1)
    if sr <= 0 or x.size < sr * MIN_VOICED_S:
        return EMPTY
    # decimate first: cleaning and filtering then touch a quarter of the samples (speed budget)
    y = np.nan_to_num(_decimate(x, sr).astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    y = np.clip(y - y.mean(), -1e3, 1e3)
    if y.size <= FRAME or not np.any(y):
        return EMPTY
    y = bandpass(y)  # BAND_HZ at PITCH_SR (analysis/bandpass.py)

    # Long answers go through in blocks: YIN's frame matrices grow with the signal (for a
    # 30-minute answer, peak memory rose 674 MB at once, 277 MB in 60 s blocks; same result).
    parts = [_frame_features(y[i : i + BLOCK]) for i in range(0, y.size, BLOCK)]
    parts = [p for p in parts if p[0].size]
    if not parts:
        return EMPTY
    f0, db, per = (np.concatenate(a) for a in zip(*parts, strict=True))
    n = f0.size
    periodic = per >= MIN_PERIODICITY
    st = 12.0 * np.log2(np.maximum(f0, 1.0) / 100.0)
    padded = np.pad(st, 2, mode="edge")
    median = np.median(sliding_window_view(padded, 5), axis=1)[:n]
    loud = db > np.percentile(db, 95) - VOICED_DB_BELOW_PEAK
    voiced = loud & periodic & (np.abs(st - median) < MAX_JUMP_ST)
    voiced &= (f0 > FMIN_HZ * 1.05) & (f0 < FMAX_HZ * 0.95)  # YIN pins unvoiced frames to edges
    voiced_s = float(voiced.sum() * HOP / PITCH_SR)
    if voiced_s < MIN_VOICED_S:
        return ProsodySummary(voiced_s, None, None, None, None)
    v = st[voiced]
    lo, hi = np.percentile(v, [5, 95])
    return ProsodySummary(
        voiced_s=voiced_s, median_hz=float(100.0 * 2 ** (np.median(v) / 12.0)),
        pitch_sd_st=float(np.std(v)), pitch_range_st=float(hi - lo),
        energy_sd_db=float(np.std(db[loud])), voiced_spans=_spans(voiced))

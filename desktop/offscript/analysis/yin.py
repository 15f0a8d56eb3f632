"""Fundamental frequency per frame with YIN (de Cheveigné & Kawahara, 2002), in plain numpy.

For each frame x (length L) and lag τ:

* difference  d(τ) = 2·(r(0) − r(τ)) − Σ_{m<τ} x_m², with r the frame's autocorrelation (one
  FFT): the squared difference between the frame and itself τ later, over the whole frame
  (the variant of librosa 0.11, so periods agree with what the delivery thresholds were
  calibrated on);
* cumulative mean normalised difference  d′(τ) = d(τ)·τ / Σ_{k=1..τ} d(k), which removes the
  bias towards small lags;
* the period is the first local minimum of d′ below ``threshold`` in the allowed lag range
  (the global minimum when none is that low), refined by fitting a parabola through it and
  its two neighbours.

Why our own: ``librosa.yin`` gives the same periods but pulls in numba, whose compilation cost
about 3 s and 200 MB on the first answer; this is a few FFTs over the frame matrix.
"""

from __future__ import annotations

import numpy as np

_TINY = 1e-12


def yin_f0(
    frames: np.ndarray, sr: int, fmin: float, fmax: float, threshold: float = 0.1
) -> np.ndarray:
    """F0 in Hz of each row of ``frames`` (n_frames × frame_length) sampled at ``sr``."""
    frames = np.asarray(frames, dtype=np.float64)
    n, length = frames.shape
    lag_min = int(np.floor(sr / fmax))
    lag_max = min(int(np.ceil(sr / fmin)), length - 1)
    if n == 0 or lag_max <= lag_min:
        return np.zeros(n)
    nfft = 1 << int(np.ceil(np.log2(2 * length)))
    power = np.abs(np.fft.rfft(frames, nfft, axis=1)) ** 2
    acf = np.fft.irfft(power, nfft, axis=1)[:, : lag_max + 1]
    head_energy = np.cumsum(frames[:, :lag_max] ** 2, axis=1)  # column k-1: Σ_{m<k} x_m²
    diff = np.zeros((n, lag_max + 1))
    diff[:, 1:] = np.maximum(2.0 * (acf[:, :1] - acf[:, 1:]) - head_energy, 0.0)

    lags = np.arange(1, lag_max + 1)
    running_mean = np.cumsum(diff[:, 1:], axis=1) / lags
    cmnd = (diff[:, 1:] / (running_mean + _TINY))[:, lag_min - 1 :]  # column i: lag lag_min + i

    left = np.concatenate((np.full((n, 1), np.inf), cmnd[:, :-1]), axis=1)
    right = np.concatenate((cmnd[:, 1:], cmnd[:, -1:]), axis=1)
    trough = (cmnd < left) & (cmnd <= right) & (cmnd < threshold)
    rows = np.arange(n)
    best = np.where(trough.any(axis=1), np.argmax(trough, axis=1), np.argmin(cmnd, axis=1))
    return sr / (lag_min + best + _parabola_shift(cmnd, rows, best))


def _parabola_shift(curve: np.ndarray, rows: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Offset of the vertex of the parabola through ``curve[rows, at-1 : at+2]`` (0 at edges,
    and when the fit is flat or the vertex is more than one step away)."""
    inner = (at > 0) & (at < curve.shape[1] - 1)
    i = np.clip(at, 1, curve.shape[1] - 2)
    a, b, c = curve[rows, i - 1], curve[rows, i], curve[rows, i + 1]
    bend = a - 2.0 * b + c
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(np.abs(bend) > _TINY, 0.5 * (a - c) / bend, 0.0)
    return np.where(inner & (np.abs(shift) <= 1.0), shift, 0.0)

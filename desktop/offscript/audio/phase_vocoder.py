"""Time stretch at the same pitch by a phase vocoder, in numpy and in bounded memory.

The method is the textbook one (and librosa's ``effects.time_stretch``, which this replaces
so playback needs no numba: librosa compiles for 15-18 s the first time it is used on a
fresh install): a Hann-windowed STFT of ``N_FFT`` samples every ``HOP``; output frame ``t``
reads the input at fractional frame ``t * rate``, takes the magnitude interpolated between
the two neighbouring frames and advances each bin's phase by its expected advance plus the
measured deviation (wrapped to ±π) between those frames; an inverse STFT by windowed
overlap-add, normalised by the summed squared window, gives ``round(len / rate)`` samples.

Frames are made and consumed ``BLOCK`` at a time with the phase carried across blocks, so a
30-minute take needs a few MB of spectra instead of a gigabyte.
"""

from __future__ import annotations

import numpy as np

N_FFT = 2048
HOP = N_FFT // 4
BLOCK = 256  # output frames per block


def _hann(n: int) -> np.ndarray:
    """The periodic Hann window (the one an STFT with this overlap sums to a constant)."""
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)).astype(np.float32)


def _frames(padded: np.ndarray, first: int, last: int, window: np.ndarray) -> np.ndarray:
    """Spectra of input frames ``first .. last - 1`` (bins x frames); frames past the end of
    the signal are zero."""
    n_avail = 1 + (len(padded) - N_FFT) // HOP
    out = np.zeros((N_FFT // 2 + 1, last - first), dtype=np.complex64)
    stop = min(last, n_avail)
    if stop > first:
        view = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[:: HOP]
        out[:, : stop - first] = np.fft.rfft(view[first:stop] * window, axis=1).T
    return out


def time_stretch(samples: np.ndarray, rate: float) -> np.ndarray:
    """``samples`` (mono float) played ``rate`` times as fast at the same pitch, float32 of
    length ``round(len(samples) / rate)``."""
    if rate <= 0:
        raise ValueError(f"rate must be positive, got {rate}")
    y = np.asarray(samples, dtype=np.float32)
    length = round(len(y) / rate)
    if len(y) == 0 or length == 0:
        return np.zeros(length, dtype=np.float32)
    window = _hann(N_FFT)
    padded = np.pad(y, N_FFT // 2)  # centred frames, zero padding
    n_in = 1 + len(y) // HOP
    steps = np.arange(0.0, n_in, rate)
    n_out = len(steps)
    expected = np.linspace(0.0, np.pi * HOP, N_FFT // 2 + 1)[:, None]  # phase advance per hop
    phase = np.angle(_frames(padded, 0, 1, window)[:, 0]).astype(np.float64)
    out = np.zeros(HOP * (n_out - 1) + N_FFT, dtype=np.float64)
    norm = np.zeros_like(out)
    win_sq = window.astype(np.float64) ** 2
    for t0 in range(0, n_out, BLOCK):
        step = steps[t0 : t0 + BLOCK]
        base = np.floor(step).astype(np.int64)
        first = int(base[0])
        cols = _frames(padded, first, int(base[-1]) + 2, window)
        left, right = cols[:, base - first], cols[:, base - first + 1]
        alpha = (step - base)[None, :]
        mag = (1.0 - alpha) * np.abs(left) + alpha * np.abs(right)
        deviation = np.angle(right) - np.angle(left) - expected
        deviation -= 2.0 * np.pi * np.round(deviation / (2.0 * np.pi))
        advance = np.cumsum(expected + deviation, axis=1)
        phases = phase[:, None] + np.concatenate([np.zeros((len(phase), 1)), advance[:, :-1]], 1)
        phase = phase + advance[:, -1]
        frames = np.fft.irfft(mag * np.exp(1j * phases), n=N_FFT, axis=0) * window[:, None]
        for k in range(frames.shape[1]):
            at = (t0 + k) * HOP
            out[at : at + N_FFT] += frames[:, k]
            norm[at : at + N_FFT] += win_sq
    out = out[N_FFT // 2 : N_FFT // 2 + length]
    norm = norm[N_FFT // 2 : N_FFT // 2 + length]
    audible = norm > np.finfo(np.float32).tiny
    out[audible] /= norm[audible]
    result = np.zeros(length, dtype=np.float32)
    result[: len(out)] = out
    return result

"""The 70-1000 Hz band-pass applied before pitch tracking, in numpy.

It is ``scipy.signal.butter(2, (70, 1000), "bandpass", fs=4000, output="sos")`` run like
``sosfilt``, but scipy.signal is not imported: that import alone costs about 75 MB of resident
memory (it pulls in scipy.sparse, linalg, special...) for two biquads, and the app's peak memory
with the base model sat at the 800 MB target.  The coefficients are written out below (a test
checks them against scipy's design).  The filter's impulse response decays below 1e-14 within
400 samples (0.1 s), so the IIR is applied exactly (to rounding) as a ``TAPS``-long FIR by
overlap-add FFT convolution, block by block so memory stays flat on long answers.
"""

from __future__ import annotations

from functools import cache

import numpy as np

# Second-order sections (b0, b1, b2, a0, a1, a2) of the band-pass at PITCH_SR = 4000 Hz.
SOS = (
    (0.26140668004947526, 0.5228133600989505, 0.26140668004947526,
     1.0, -0.061358155691472634, 0.2034280098755708),
    (1.0, -2.0, 1.0, 1.0, -1.8454295256710058, 0.8578506982952364),
)
TAPS = 512
_BLOCK = 16384 - TAPS + 1  # input samples per FFT of 16384 points


@cache
def impulse_response() -> np.ndarray:
    """The first ``TAPS`` samples of the cascade's response to a unit impulse."""
    x = np.zeros(TAPS)
    x[0] = 1.0
    for b0, b1, b2, _a0, a1, a2 in SOS:  # direct form II transposed, as sosfilt
        y = np.empty(TAPS)
        z1 = z2 = 0.0
        for n in range(TAPS):
            yn = b0 * x[n] + z1
            z1 = b1 * x[n] - a1 * yn + z2
            z2 = b2 * x[n] - a2 * yn
            y[n] = yn
        x = y
    return x


def bandpass(y: np.ndarray) -> np.ndarray:
    """``y`` (float64, at 4 kHz) filtered from rest, the same length."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    n_fft = _BLOCK + TAPS - 1
    h = np.fft.rfft(impulse_response(), n_fft)
    out = np.zeros(y.size + TAPS - 1)
    for i in range(0, y.size, _BLOCK):
        seg = y[i : i + _BLOCK]
        conv = np.fft.irfft(np.fft.rfft(seg, n_fft) * h, n_fft)[: seg.size + TAPS - 1]
        out[i : i + conv.size] += conv
    return out[: y.size]

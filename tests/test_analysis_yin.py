"""YIN pitch tracking (analysis/yin.py) on signals whose pitch is known."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from offscript.analysis.yin import yin_f0

SR, FRAME, HOP = 4000, 256, 200


def frames_of(signal: np.ndarray) -> np.ndarray:
    return sliding_window_view(signal, FRAME)[::HOP]


def voice(f0_hz: np.ndarray) -> np.ndarray:
    """A buzzy voice-like tone (fundamental plus harmonics) following ``f0_hz`` per sample."""
    phase = 2 * np.pi * np.cumsum(f0_hz) / SR
    return sum(np.sin(k * phase) / k for k in range(1, 6)).astype(np.float64)


@pytest.mark.parametrize("f0", [70.0, 110.0, 180.0, 260.0])
def test_a_steady_tone_is_found_within_a_few_cents(f0: float) -> None:
    est = yin_f0(frames_of(voice(np.full(SR, f0))), SR, 65.0, 400.0)
    cents = 1200 * np.log2(est / f0)
    assert np.all(np.abs(cents) < 15), cents


def test_a_glide_is_followed_and_no_octave_errors() -> None:
    f0 = np.linspace(90.0, 220.0, 2 * SR)
    est = yin_f0(frames_of(voice(f0)), SR, 65.0, 400.0)
    truth = f0[np.arange(len(est)) * HOP + FRAME // 2]
    semitones = 12 * np.log2(est / truth)
    assert np.all(np.abs(semitones) < 0.5)


def test_noise_gives_finite_values_in_range_and_empty_input_nothing() -> None:
    rng = np.random.default_rng(0)
    est = yin_f0(frames_of(rng.standard_normal(SR)), SR, 65.0, 400.0)
    assert np.all(np.isfinite(est)) and np.all((est >= 60.0) & (est <= 410.0))
    assert yin_f0(np.zeros((0, FRAME)), SR, 65.0, 400.0).size == 0
    silent = yin_f0(np.zeros((3, FRAME)), SR, 65.0, 400.0)
    assert silent.shape == (3,) and np.all(np.isfinite(silent))

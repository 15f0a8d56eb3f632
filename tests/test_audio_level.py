"""Level metering: dBFS of blocks and the smoothed meter behind the UI's level bar."""

from __future__ import annotations

import numpy as np
import pytest

from offscript.audio.level import SILENCE_DBFS, LevelMeter, peak_dbfs, rms_dbfs

SR = 16000


def sine(amplitude: float, seconds: float = 0.1, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(SR * seconds)) / SR
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_full_scale_sine_is_minus_3_db_rms_and_0_db_peak() -> None:
    s = sine(1.0)
    assert rms_dbfs(s) == pytest.approx(-3.01, abs=0.05)
    assert peak_dbfs(s) == pytest.approx(0.0, abs=0.01)


def test_half_amplitude_is_6_db_lower() -> None:
    assert rms_dbfs(sine(0.5)) == pytest.approx(rms_dbfs(sine(1.0)) - 6.02, abs=0.05)
    assert peak_dbfs(sine(0.5)) == pytest.approx(-6.02, abs=0.05)


def test_int16_is_scaled_like_float() -> None:
    s = sine(0.25)
    as_int = (s * 32767).astype(np.int16)
    assert rms_dbfs(as_int) == pytest.approx(rms_dbfs(s), abs=0.01)
    assert peak_dbfs(as_int) == pytest.approx(peak_dbfs(s), abs=0.01)


@pytest.mark.parametrize("block", [np.zeros(512, np.float32), np.zeros(0, np.float32)])
def test_silence_and_empty_are_the_floor_not_minus_infinity(block: np.ndarray) -> None:
    assert rms_dbfs(block) == SILENCE_DBFS
    assert peak_dbfs(block) == SILENCE_DBFS


def test_two_dimensional_blocks_are_accepted() -> None:
    assert rms_dbfs(sine(0.5)[:, None]) == pytest.approx(rms_dbfs(sine(0.5)), abs=1e-6)


def test_meter_maps_db_linearly_between_floor_and_full_scale() -> None:
    m = LevelMeter(SR, floor_dbfs=-60)
    assert m.level == 0.0
    m.update(sine(1.0))  # -3 dB RMS
    assert m.level == pytest.approx(57 / 60, abs=0.01)
    m.reset()
    m.update(np.full(1600, 10 ** (-30 / 20), np.float32))  # DC at -30 dBFS
    assert m.level == pytest.approx(0.5, abs=0.01)


def test_meter_rises_at_once_and_falls_at_the_configured_rate() -> None:
    m = LevelMeter(SR, floor_dbfs=-60, fall_db_per_s=30)
    m.update(sine(1.0, 0.1))
    loud = m.level_dbfs
    m.update(np.zeros(SR // 10, np.float32))  # 0.1 s of silence: falls 3 dB, not to the floor
    assert m.level_dbfs == pytest.approx(loud - 3.0, abs=0.01)
    for _ in range(30):
        m.update(np.zeros(SR // 10, np.float32))
    assert m.level == 0.0


def test_peak_holds_then_falls_and_never_below_level() -> None:
    m = LevelMeter(SR, peak_hold_s=0.5)
    m.update(sine(0.9, 0.05))
    held = m.peak
    for _ in range(4):  # 0.4 s of quiet: still held
        m.update(sine(0.01, 0.1))
        assert m.peak == held
    for _ in range(20):
        m.update(sine(0.01, 0.1))
        assert m.peak >= m.level
    assert m.peak < held


def test_clipping_is_flagged_and_held_for_a_while() -> None:
    m = LevelMeter(SR, clip_hold_s=1.0)
    m.update(sine(0.5))
    assert not m.clipping
    m.update(np.clip(sine(2.0), -1.0, 1.0))
    assert m.clipping
    for _ in range(5):  # 0.5 s later: still shown
        m.update(sine(0.5))
    assert m.clipping
    for _ in range(6):
        m.update(sine(0.5))
    assert not m.clipping


def test_floor_must_be_negative() -> None:
    with pytest.raises(ValueError):
        LevelMeter(SR, floor_dbfs=0)

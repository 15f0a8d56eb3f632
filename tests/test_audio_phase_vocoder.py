"""The playback time stretch (``audio.phase_vocoder``): the same audio as librosa's phase
vocoder, the pitch kept, the length right, and nothing compiled on first use."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from offscript.audio.phase_vocoder import time_stretch
from offscript.audio.time_stretch import stretch

SR = 16000


@pytest.fixture(scope="module")
def speech(speech_dir) -> np.ndarray:
    x, sr = sf.read(speech_dir / "audio" / "mfamono_acoustic_corpus.wav", dtype="float32")
    assert sr == SR
    return x[: 8 * SR]


@pytest.mark.parametrize("rate", [0.75, 1.5, 2.0])
def test_the_stretch_is_librosas_phase_vocoder(speech: np.ndarray, rate: float) -> None:
    """librosa accumulates phase in float32 when given float32, which drifts; in float64 it is
    the same computation, so the two must agree to rounding."""
    import librosa

    ours = time_stretch(speech, rate)
    ref = librosa.effects.time_stretch(speech.astype(np.float64), rate=rate)
    assert len(ours) == len(ref) == round(len(speech) / rate)
    assert np.abs(ours - ref).max() < 1e-4


@pytest.mark.parametrize("rate", [0.75, 1.25, 2.0])
def test_a_tone_keeps_its_pitch_and_level_and_the_length_follows_the_rate(rate: float) -> None:
    t = np.arange(3 * SR) / SR
    tone = (0.5 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    out = time_stretch(tone, rate)
    assert len(out) == round(len(tone) / rate)
    middle = out[SR // 4 : -SR // 4]
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
    peak_hz = np.argmax(spectrum) * SR / len(middle)
    assert abs(peak_hz - 440.0) < 2.0
    level_db = 20 * np.log10(np.sqrt(np.mean(middle**2)) / (0.5 / np.sqrt(2)))
    assert abs(level_db) < 1.5  # a phase vocoder smears a tone between bins a little


def test_edge_cases_are_empty_or_silent_not_errors() -> None:
    assert len(time_stretch(np.zeros(0, np.float32), 1.5)) == 0
    assert len(time_stretch(np.zeros(100, np.float32), 1.5)) == 67
    np.testing.assert_array_equal(time_stretch(np.zeros(5000, np.float32), 2.0), 0.0)
    with pytest.raises(ValueError):
        time_stretch(np.zeros(10, np.float32), 0.0)
    assert stretch(np.full(4000, 0.99, np.float32), 0.75).max() <= 1.0


FIRST_USE = """
import sys, time
import numpy as np
from offscript.audio.time_stretch import stretch
take = np.random.default_rng(1).standard_normal(16000 * 60).astype(np.float32) * 0.1
t = time.perf_counter()
out = stretch(take, 1.5)
print(time.perf_counter() - t, len(out), 'numba' in sys.modules, 'librosa' in sys.modules)
"""


def test_the_first_speed_change_in_a_fresh_process_compiles_nothing() -> None:
    """librosa's stretch compiled numba code for 15-18 s the first time on a fresh install
    (it made a playback test time out in CI); ours imports neither."""
    out = subprocess.run([sys.executable, "-c", FIRST_USE], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()  # fmt: skip
    print(f"\nfirst 1.5x stretch of a 60 s take in a fresh process: {float(out[0]):.2f} s")
    assert out[1:] == [str(round(16000 * 60 / 1.5)), "False", "False"]

"""The numpy band-pass before pitch tracking equals scipy's Butterworth design run by sosfilt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from offscript.analysis.bandpass import SOS, TAPS, bandpass, impulse_response
from offscript.analysis.prosody import BAND_HZ, PITCH_SR

DESKTOP = Path(__file__).resolve().parents[1] / "desktop"


def test_the_coefficients_are_scipys_design_for_the_pitch_band() -> None:
    from scipy.signal import butter

    sos = butter(2, BAND_HZ, btype="bandpass", fs=PITCH_SR, output="sos")
    np.testing.assert_allclose(np.array(SOS), sos, rtol=1e-12, atol=1e-15)


def test_the_impulse_response_has_died_away_within_the_taps() -> None:
    h = impulse_response()
    # what is cut off after TAPS is smaller still than the last quarter kept
    assert np.abs(h[3 * TAPS // 4 :]).max() < 1e-12 * np.abs(h).max()


@pytest.mark.parametrize("n", [1, 7, TAPS, 16384 - TAPS + 1, 16384 - TAPS + 2, 100_000])
def test_it_filters_like_sosfilt(n: int) -> None:
    from scipy.signal import sosfilt

    y = np.random.default_rng(n).standard_normal(n)
    out = bandpass(y)
    assert out.shape == y.shape
    np.testing.assert_allclose(out, sosfilt(np.array(SOS), y), rtol=0, atol=1e-10)


def test_it_filters_real_speech_like_sosfilt(speech_dir: Path) -> None:
    from scipy.signal import sosfilt

    x, sr = sf.read(speech_dir / "audio" / "mfamono_cold_corpus.wav", dtype="float64")
    y = x[:: sr // PITCH_SR]
    np.testing.assert_allclose(bandpass(y), sosfilt(np.array(SOS), y), rtol=0, atol=1e-10)


def test_the_analysis_of_an_answer_does_not_import_scipy_signal() -> None:
    # scipy.signal costs about 75 MB of resident memory; the analysis must not bring it in
    code = (
        "import sys, numpy as np\n"
        "from offscript.app import warm_up_analysis\n"
        "warm_up_analysis()\n"
        "print(sorted(m for m in sys.modules if m.startswith('scipy.signal')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=DESKTOP, timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stdout

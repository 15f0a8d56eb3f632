"""offscript.audio stays cheap and Qt-free: importing it loads neither Qt nor PortAudio."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

MODULES = ["audio_files", "capture", "devices", "level", "playback"]


def test_audio_modules_import_no_qt_and_no_sounddevice() -> None:
    code = (
        "import sys\n"
        + "".join(f"import offscript.audio.{m}\n" for m in MODULES)
        + "heavy = ('PySide6', 'sounddevice', 'soundfile', 'soxr', 'librosa')\n"
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fake_microphone_delivers_every_sample_in_blocks() -> None:
    from fakes import FakeMicrophone

    x = np.arange(5000, dtype=np.float32) / 5000
    mic = FakeMicrophone(x, blocksize=1024, channels=2)
    blocks: list[np.ndarray] = []
    mic.start(blocks.append)
    assert mic.finished.wait(5)
    mic.stop()
    assert [b.shape for b in blocks][:1] == [(1024, 2)]
    np.testing.assert_array_equal(np.concatenate(blocks)[:, 0], x)


def test_fake_speaker_records_chunks_as_float_and_honours_cancel() -> None:
    from fakes import FakeSpeaker
    from offscript.tasks import CancelToken

    spk, cancel = FakeSpeaker(), CancelToken()

    def chunks():
        yield np.array([16384, -32768], dtype=np.int16)
        yield np.array([[0.25]], dtype=np.float32)
        cancel.cancel()
        yield np.ones(3, np.float32)

    spk.play(chunks(), 22050, cancel=cancel)
    np.testing.assert_allclose(spk.played, [0.5, -1.0, 0.25])
    assert spk.cancelled and spk.samplerate == 22050


def test_as_float_mono_rejects_stereo() -> None:
    from offscript.audio.playback import as_float_mono

    with pytest.raises(ValueError, match="mono"):
        as_float_mono(np.zeros((10, 2), np.float32))

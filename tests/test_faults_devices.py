"""Audio devices that are missing or vanish: a clear message, nothing lost, and the next try works.

The window runs with fake hardware (``ui_support.fake_services``) except where a real code path
decides the message: "no microphone" goes through the real ``SoundDeviceMicrophone`` with
PortAudio reporting no input device.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from fakes import FakeMicrophone, FakeSpeaker
from offscript.audio.devices import NO_MICROPHONE, import_sounddevice
from offscript.errors import DeviceError
from ui_support import all_takes, fake_services, session_window

CLIP = "mfamono_cold_corpus"
UNPLUGGED = "The microphone 'Fake microphone' stopped (unplugged?): plug it back in or pick "
SPEAKER_GONE = "The speaker 'Fake speaker' stopped playing (unplugged?): plug it back in."


@pytest.fixture
def window(qtbot, speech_dir):
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    services, fakes = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    fakes["samples"], fakes["sr"] = samples, sr
    win = session_window(qtbot, services, activate=True)
    yield win, services, fakes
    win.close()
    services.store.close()


def _answer(qtbot, win, fakes) -> dict:
    page = win.interview
    n = len(fakes["mics"])
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert page.state == "recording", page.status_label.text()
    assert fakes["mics"][n].finished.wait(10)
    with qtbot.waitSignal(page.analysis_ready, timeout=15000) as blocker:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    return blocker.args[0]


def test_no_microphone_at_start_says_so_and_the_next_try_works(
    qtbot, window, monkeypatch: pytest.MonkeyPatch
) -> None:
    win, services, fakes = window
    page = win.interview
    first = _answer(qtbot, win, fakes)  # an earlier answer that must survive
    from offscript.audio.capture import SoundDeviceMicrophone

    sd = import_sounddevice()

    def no_input_device(device=None, kind=None):
        raise sd.PortAudioError("Error querying device -1")

    fake_open = services.open_microphone
    monkeypatch.setattr(sd, "query_devices", no_input_device)
    services.open_microphone = lambda on_error, device=None: SoundDeviceMicrophone(
        device=device, channels=1, on_error=on_error
    )
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert page.state == "idle"
    assert page.status_label.text() == NO_MICROPHONE
    (take,) = all_takes(services.store)  # no half-made take for the failed attempt
    assert take.status == "complete" and services.store.audio_file(take).is_file()
    assert services.store.latest_analysis(take.id)["transcript"] == first["transcript"]

    monkeypatch.undo()  # the microphone is plugged back in
    services.open_microphone = fake_open
    again = _answer(qtbot, win, fakes)
    assert again["transcript"] == first["transcript"]
    assert [t.status for t in all_takes(services.store)] == ["complete", "complete"]


class UnpluggedMicrophone(FakeMicrophone):
    """Delivers ``after_s`` of the clip, then reports the device gone and goes quiet, as
    ``SoundDeviceMicrophone`` does when PortAudio's stream finishes on its own."""

    def __init__(self, samples, on_error, after_s: float, samplerate: int = 16000) -> None:
        super().__init__(samples[: int(after_s * samplerate)], samplerate=samplerate)
        self.on_error = on_error
        self.unplugged = threading.Event()

    def _run(self, on_block) -> None:
        super()._run(on_block)
        self.on_error(DeviceError(UNPLUGGED + "another in Settings, then record again."))
        self.unplugged.set()


def test_microphone_unplugged_mid_answer_keeps_the_audio_so_far(qtbot, window) -> None:
    win, services, fakes = window
    page = win.interview
    samples, sr = fakes["samples"], fakes["sr"]
    mics: list[UnpluggedMicrophone] = []

    def open_unplugging(on_error, device=None):
        mics.append(UnpluggedMicrophone(samples, on_error, after_s=5.0, samplerate=sr))
        return mics[-1]

    fake_open, services.open_microphone = services.open_microphone, open_unplugging
    with qtbot.waitSignal(page.state_changed, timeout=10_000,
                          check_params_cb=lambda s: s == "idle"):  # fmt: skip
        qtbot.keyClick(win, Qt.Key.Key_Space)
    message = page.status_label.text()
    assert message.startswith(UNPLUGGED), message
    assert message.endswith("What was recorded so far is kept.")
    (take,) = all_takes(services.store)
    assert take.status == "complete"
    back, back_sr = sf.read(services.store.audio_file(take), dtype="float32")
    assert back_sr == sr and len(back) == 5 * sr, "every block up to the unplugging is kept"
    assert np.max(np.abs(back - samples[: 5 * sr])) <= 1 / 65536 + 1e-9
    assert list((services.store.incoming_dir).iterdir()) == []

    services.open_microphone = fake_open  # plugged back in
    data = _answer(qtbot, win, fakes)
    assert data["words"]
    assert [t.status for t in all_takes(services.store)] == ["complete", "complete"]


class UnpluggedSpeaker(FakeSpeaker):
    """Plays one chunk of the question, then fails the way SoundDeviceSpeaker does."""

    def __init__(self) -> None:
        super().__init__()
        self.unplugged = True

    def play(self, chunks, samplerate, cancel=None) -> None:
        if not self.unplugged:
            return super().play(chunks, samplerate, cancel)
        super().play(list(chunks)[:1], samplerate, cancel)
        raise DeviceError(SPEAKER_GONE)


def test_speaker_unplugged_while_asking_says_so_and_asking_again_works(qtbot, window) -> None:
    win, services, _fakes = window
    page = win.interview
    speaker = UnpluggedSpeaker()
    services.speaker = speaker
    with qtbot.waitSignal(page.state_changed, timeout=10_000,
                          check_params_cb=lambda s: s == "idle"):  # fmt: skip
        qtbot.keyClick(win, Qt.Key.Key_A)
    assert page.status_label.text() == SPEAKER_GONE
    assert speaker.plays == 1 and len(speaker.chunks) == 1
    assert page.buttons["ask"].isEnabled(), "the user can ask again"
    assert all_takes(services.store) == [], "no answer was started by the failed question"

    speaker.unplugged = False  # plugged back in
    with qtbot.waitSignal(page.state_changed, timeout=10_000,
                          check_params_cb=lambda s: s == "recording"):  # fmt: skip
        qtbot.keyClick(win, Qt.Key.Key_A)
    assert speaker.plays == 2 and len(speaker.chunks) > 1

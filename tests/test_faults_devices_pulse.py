"""Devices vanishing for real: the virtual PulseAudio devices of tests/headless/setup.sh are
unloaded (``pactl unload-module``) under the real ``SoundDeviceMicrophone`` and
``SoundDeviceSpeaker``, then re-created exactly as setup.sh made them (``headless.pulse``).

What PulseAudio does, and so what these tests pin down:
- a microphone that vanishes is replaced by the next source; with no microphone left that is
  a speaker's *monitor*, which PortAudio happily records.  The microphone asks the server and
  stops with a clear message; what was recorded before is kept.
- no microphone at start: the server's default source is a monitor (or nothing): the first-run
  check says "No microphone found".
- a speaker that vanishes while another output exists: the question moves there and finishes
  (the server's job, nothing to report).  With no output left the stream ends early, which
  the speaker reports instead of pretending the question was heard.
Each recovers once the device is back, without restarting the app.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf

from headless.feed import align, feed_mic, require_fed_microphone
from headless.pulse import VirtualDevices
from offscript.audio.capture import SoundDeviceMicrophone
from offscript.audio.devices import NO_MICROPHONE
from offscript.audio.playback import SoundDeviceSpeaker
from offscript.ui.first_run import FirstRunDialog, run_checks
from offscript.ui.workers import JobRunner
from ui_support import all_takes, fake_services, save_screenshot, session_window

pytestmark = pytest.mark.audio_devices
CLIP = "mfamono_cold_corpus"
SPEAKER_GONE = "The speaker 'default' stopped playing (unplugged?)"


def real_microphone(on_error, device=None):
    return SoundDeviceMicrophone(device=device, channels=1, on_error=on_error)


@pytest.fixture
def devices():
    require_fed_microphone()
    with VirtualDevices() as d:
        yield d


@pytest.fixture
def speech(speech_dir):
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    return samples, sr, speech_dir


@pytest.fixture
def window(qtbot, speech):
    samples, sr, speech_dir = speech
    services, _fakes = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    services.open_microphone = real_microphone
    win = session_window(qtbot, services)
    yield win, services
    win.close()
    services.store.close()


def test_first_run_reports_a_missing_microphone_with_the_pulse_default_source_removed(
    qtbot, devices, speech
) -> None:
    samples, sr, speech_dir = speech
    services, _ = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    services.open_microphone = real_microphone
    devices.unload("vmic")  # the server falls back to a speaker's monitor: no microphone
    jobs = JobRunner()
    dialog = FirstRunDialog(services, jobs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.job.done, timeout=15_000)
    lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert lines[0] == f"✘ Microphone: {NO_MICROPHONE}", lines
    save_screenshot(dialog, "first_run_no_microphone_pulse")
    jobs.wait()

    devices.restore()  # plugged back in: the same check now finds it
    results = run_checks(services)
    assert results[0].ok and results[0].name == "Microphone", results[0]
    services.store.close()


def test_real_microphone_unloaded_mid_answer_keeps_the_audio_and_recovers(
    qtbot, devices, window, speech
) -> None:
    win, services = window
    page = win.interview
    samples, sr, speech_dir = speech
    page.toggle_recording()
    assert page.state == "recording", page.status_label.text()
    feeder = feed_mic(speech_dir / "audio" / f"{CLIP}.wav", wait=False)
    try:
        qtbot.waitUntil(lambda: page.recorder.elapsed_s() >= 4.0, timeout=10_000)
        with qtbot.waitSignal(page.state_changed, timeout=10_000,
                              check_params_cb=lambda s: s == "idle"):  # fmt: skip
            unplugged_at = page.recorder.elapsed_s()
            devices.unload("vmic")
    finally:
        feeder.kill()
        feeder.communicate()
    message = page.status_label.text()
    assert message.startswith("The microphone 'vmic' disappeared (unplugged?)"), message
    assert message.endswith("What was recorded so far is kept.")
    (take,) = all_takes(services.store)
    assert take.status == "complete"
    back, rate = sf.read(services.store.audio_file(take), dtype="float32")
    kept = len(back) / rate
    print(f"\nmicrophone unloaded {unplugged_at:.2f} s into the answer: {kept:.2f} s kept")
    assert unplugged_at - 0.5 <= kept <= unplugged_at + 1.5
    import soxr

    _lag, r = align(soxr.resample(back, rate, sr), samples[: int(3 * sr)])
    assert r > 0.8, f"the kept audio is the speech fed in (r={r:.2f})"
    assert list(services.store.incoming_dir.iterdir()) == []

    devices.restore()  # plugged back in: the next answer records from it, no restart
    page.toggle_recording()
    assert page.state == "recording", page.status_label.text()
    feeder = feed_mic(speech_dir / "audio" / f"{CLIP}.wav", wait=False)
    try:
        qtbot.waitUntil(lambda: page.recorder.elapsed_s() >= 3.0, timeout=10_000)
        with qtbot.waitSignal(page.analysis_ready, timeout=30_000):
            page.toggle_recording()
    finally:
        feeder.kill()
        feeder.communicate()
    second = all_takes(services.store)[-1]
    again, rate = sf.read(services.store.audio_file(second), dtype="float32")
    assert second.status == "complete" and len(again) / rate >= 2.5
    assert np.max(np.abs(again)) > 0.05, "real speech, not a monitor's silence"


class SlowVoice:
    """An interviewer whose question lasts ``seconds`` (speech from the clip), so a device
    can vanish while it is spoken; ``started`` is set once playback has its audio."""

    id = "slow"

    def __init__(self, samples: np.ndarray, samplerate: int, seconds: float = 4.0) -> None:
        self.samplerate = samplerate
        self.audio = samples[: int(seconds * samplerate)]
        self.started = threading.Event()

    def synthesize(self, text, speed=1.0, cancel=None):
        step = self.samplerate // 2
        for i in range(0, len(self.audio), step):
            yield self.audio[i : i + step]
        self.started.set()


def _ask(qtbot, page, then: str):
    with qtbot.waitSignal(page.state_changed, timeout=20_000,
                          check_params_cb=lambda s: s == then):  # fmt: skip
        page.ask_question()


def test_real_speaker_unloaded_while_asking_says_so_and_asking_again_works(
    qtbot, devices, window, speech
) -> None:
    win, services = window
    page = win.interview
    samples, sr, _ = speech
    voice = SlowVoice(samples, sr)
    services.voice = voice
    services.speaker = SoundDeviceSpeaker()

    # Another output is left: the server moves the question there and it finishes.
    with qtbot.waitSignal(page.state_changed, timeout=20_000,
                          check_params_cb=lambda s: s == "recording"):  # fmt: skip
        page.ask_question()
        qtbot.waitUntil(voice.started.is_set, timeout=10_000)
        devices.unload("vspeaker")
    page.toggle_recording()  # stop that answer (recorded from vmic, which is still there)
    qtbot.waitUntil(lambda: page.state == "idle", timeout=30_000)
    devices.restore()

    # No output left at all: the stream ends early, and the user is told.
    voice.started.clear()
    with qtbot.waitSignal(page.state_changed, timeout=20_000,
                          check_params_cb=lambda s: s == "idle"):  # fmt: skip
        page.ask_question()
        qtbot.waitUntil(voice.started.is_set, timeout=10_000)
        t0 = time.monotonic()
        devices.unload("vspeaker", "micfeed")
    told_after = time.monotonic() - t0
    message = page.status_label.text()
    assert message.startswith(SPEAKER_GONE), message
    print(f"\nspeaker gone with nothing left: told after {told_after:.2f} s")
    assert page.buttons["ask"].isEnabled(), "the user can ask again"
    n_takes = len(all_takes(services.store))

    devices.restore()  # plugged back in
    _ask(qtbot, page, then="recording")
    assert len(all_takes(services.store)) == n_takes + 1
    page.toggle_recording()
    qtbot.waitUntil(lambda: page.state == "idle", timeout=30_000)

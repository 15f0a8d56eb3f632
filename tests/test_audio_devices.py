"""The real SoundDeviceMicrophone / SoundDeviceSpeaker on the virtual devices of
tests/headless/setup.sh: real speech goes into the microphone and comes out of the speaker.

Skipped (with the reason) only where no fed microphone exists, e.g. a desktop without the
`micfeed` sink; under `make test` on a headless machine a missing device fails instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import soxr

from headless.feed import (
    SpeakerCapture,
    align,
    feed_mic,
    require_fed_microphone,
    require_virtual_speaker,
)
from offscript.errors import DeviceError
from offscript.tasks import CancelToken

pytestmark = pytest.mark.audio_devices

CLIP = "mfamono_cold_corpus.wav"
TTS_RATE = 22050  # what the Piper voice produces


@pytest.fixture(scope="module")
def clip(speech_dir: Path) -> tuple[np.ndarray, int]:
    """Five seconds of real speech from the middle of the clip (16 kHz float32)."""
    x, sr = sf.read(speech_dir / "audio" / CLIP, dtype="float32")
    return x[sr * 1 : sr * 6], sr


@pytest.fixture
def fed_mic() -> None:
    require_fed_microphone()


@pytest.fixture
def virtual_speaker() -> None:
    require_virtual_speaker()


def record_while_feeding(mic, wav: Path) -> tuple[np.ndarray, list[Exception]]:
    blocks: list[np.ndarray] = []
    errors: list[Exception] = []
    mic.on_error = errors.append
    mic.start(blocks.append)
    try:
        time.sleep(0.3)  # pre-roll: the recording is running before the speech starts
        feed_mic(wav)
        time.sleep(0.3)
    finally:
        mic.stop()
    assert blocks, "the microphone delivered no blocks"
    assert all(b.dtype == np.float32 and b.shape[1] == mic.channels for b in blocks)
    return np.concatenate(blocks)[:, 0], errors


@pytest.mark.parametrize("rate", [None, 16000], ids=["device-rate", "16kHz"])
def test_microphone_records_speech_fed_into_the_virtual_mic(
    fed_mic: None, clip: tuple[np.ndarray, int], tmp_path: Path, rate: int | None
) -> None:
    from offscript.audio.capture import SoundDeviceMicrophone

    x, sr = clip
    wav = tmp_path / "answer.wav"
    sf.write(wav, x, sr, subtype="PCM_16")
    mic = SoundDeviceMicrophone(samplerate=rate)
    assert mic.samplerate == (rate or 44100)
    rec, errors = record_while_feeding(mic, wav)
    reference = soxr.resample(x, sr, mic.samplerate)
    lag, r = align(rec, reference)
    assert r >= 0.9, f"recording does not match the speech fed in (r={r:.3f}, lag={lag})"
    assert lag / mic.samplerate >= 0.1, "the pre-roll is missing: the start was lost"
    assert len(rec) / mic.samplerate >= len(x) / sr + 0.3
    assert errors == []
    assert mic.overflows == 0


def test_blocks_keep_coming_while_the_consumer_is_slow(fed_mic: None) -> None:
    """The callback only queues: a consumer slower than real time loses nothing."""
    from offscript.audio.capture import SoundDeviceMicrophone

    mic = SoundDeviceMicrophone(samplerate=16000, blocksize=512)
    frames = [0]

    def slow(block: np.ndarray) -> None:
        frames[0] += len(block)
        time.sleep(0.05)  # 32 ms of audio per block, 50 ms to handle it

    mic.start(slow)
    time.sleep(1.0)
    t = time.monotonic()
    mic.stop()  # delivers everything queued before returning
    drained_s = time.monotonic() - t
    assert frames[0] >= 0.9 * 16000, f"only {frames[0]} frames delivered for ~1 s of recording"
    assert drained_s > 0.1  # there really was a backlog to drain
    assert mic.overflows == 0


def test_a_microphone_that_stops_delivering_is_reported(fed_mic: None) -> None:
    """Device loss mid-recording: suspending the source stalls it like an unplugged mic."""
    import subprocess

    from offscript.audio.capture import SoundDeviceMicrophone

    errors: list[Exception] = []
    mic = SoundDeviceMicrophone(samplerate=16000, on_error=errors.append, stall_timeout_s=1.0)
    mic.start(lambda block: None)
    try:
        time.sleep(0.3)
        subprocess.run(["pactl", "suspend-source", "vmic", "1"], check=True, timeout=10)
        deadline = time.monotonic() + 5
        while not errors and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        subprocess.run(["pactl", "suspend-source", "vmic", "0"], check=True, timeout=10)
        mic.stop()
    assert len(errors) == 1 and isinstance(errors[0], DeviceError)
    assert "delivered no audio" in str(errors[0]) and "Settings" in str(errors[0])


def test_opening_an_unknown_microphone_says_what_to_do() -> None:
    from offscript.audio.capture import SoundDeviceMicrophone

    with pytest.raises(DeviceError, match=r"not available .*pick another in Settings"):
        SoundDeviceMicrophone(device="no such microphone 1234")


def speech_chunks(sig: np.ndarray, size: int, delay_s: float = 0.0) -> Iterator[np.ndarray]:
    """int16 chunks, like a TTS voice producing them one by one (optionally slowly)."""
    for i in range(0, len(sig), size):
        if i and delay_s:
            time.sleep(delay_s)
        yield (np.clip(sig[i : i + size], -1, 1) * 32767).astype(np.int16)


def test_speaker_streams_a_generator_of_chunks(
    virtual_speaker: None, clip: tuple[np.ndarray, int]
) -> None:
    from offscript.audio.playback import SoundDeviceSpeaker

    x, sr = clip
    voice = soxr.resample(x, sr, TTS_RATE)
    duration = len(voice) / TTS_RATE
    spk = SoundDeviceSpeaker()
    with SpeakerCapture(rate=TTS_RATE) as cap:
        t = time.monotonic()
        # 0.5 s chunks, each produced 0.25 s after the previous one: 2.25 s of "synthesis"
        spk.play(speech_chunks(voice, TTS_RATE // 2, delay_s=0.25), TTS_RATE)
        elapsed = time.monotonic() - t
    _, r = align(cap.audio, voice)
    assert r >= 0.9, f"played audio does not match (r={r:.3f})"
    # streaming: synthesis overlapped playback instead of preceding it
    assert duration - 0.1 <= elapsed < duration + 1.0, (
        f"play took {elapsed:.2f}s for {duration:.2f}s"
    )
    assert spk.underruns == 0


def test_speaker_plays_float_chunks_and_a_single_array(
    virtual_speaker: None, clip: tuple[np.ndarray, int]
) -> None:
    from offscript.audio.playback import SoundDeviceSpeaker

    x, sr = clip
    with SpeakerCapture(rate=sr) as cap:
        SoundDeviceSpeaker().play([x[: 2 * sr]], sr)
    _, r = align(cap.audio, x[: 2 * sr])
    assert r >= 0.9


@pytest.mark.parametrize("how", ["cancel-token", "stop"])
def test_speaker_stops_early_when_cancelled(
    virtual_speaker: None, clip: tuple[np.ndarray, int], how: str
) -> None:
    from offscript.audio.playback import SoundDeviceSpeaker

    x, sr = clip
    spk, cancel = SoundDeviceSpeaker(), CancelToken()
    stopper = threading.Timer(1.0, cancel.cancel if how == "cancel-token" else spk.stop)
    with SpeakerCapture(rate=sr) as cap:
        t = time.monotonic()
        stopper.start()
        spk.play(speech_chunks(x, sr // 4), sr, cancel=cancel)
        elapsed = time.monotonic() - t
    assert 0.9 <= elapsed < 1.6, f"play returned after {elapsed:.2f}s, cancelled at 1.0s"
    loud = np.flatnonzero(np.abs(cap.audio) > 0.01)
    heard = (loud[-1] - loud[0]) / sr if len(loud) else 0.0
    assert 0.5 < heard < 2.0, f"{heard:.2f}s of the 5 s clip was heard"


def test_speaker_with_no_chunks_returns_at_once() -> None:
    from offscript.audio.playback import SoundDeviceSpeaker

    t = time.monotonic()
    SoundDeviceSpeaker().play(iter(()), 16000)
    assert time.monotonic() - t < 0.5


def test_default_devices_are_listed(fed_mic: None) -> None:
    from offscript.audio.devices import (
        check_devices,
        default_input,
        default_output,
        list_input_devices,
        list_output_devices,
    )

    mic, spk = default_input(), default_output()
    assert mic is not None and mic.is_default and mic.channels >= 1
    assert spk is not None and spk.is_default and mic.default_samplerate > 0
    assert mic in list_input_devices() and spk in list_output_devices()
    assert check_devices() == []

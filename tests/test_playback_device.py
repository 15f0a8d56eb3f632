"""Playback of a take on the real speaker path: ``PlaybackController`` + ``SoundDeviceSpeaker``
into the virtual speaker, recorded from its monitor with ``parec``.

The monitor recording is time-stamped chunk by chunk, which places every played sample on the
monotonic clock; the position the controller reported at each tick is then compared with the
position actually coming out of the speaker at that instant.  Compensating the output latency
(``SoundDeviceSpeaker.heard_s``) is what keeps the highlighted word on the word being heard.
"""

from __future__ import annotations

import subprocess
import threading
import time

import numpy as np
import pytest
import soundfile as sf

from headless.feed import SPEAKER_MONITOR, align, require_virtual_speaker
from offscript.audio.playback import SoundDeviceSpeaker
from offscript.audio.time_stretch import stretch
from offscript.ui.playback_controller import PlaybackController
from offscript.ui.workers import JobRunner

CLIP = "mfamono_acoustic_corpus"
SECONDS = 4.0


class StampedCapture:
    """``parec`` of the speaker monitor; each chunk's arrival time on the monotonic clock."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.chunks: list[tuple[float, bytes]] = []

    def __enter__(self) -> StampedCapture:
        self.proc = subprocess.Popen(
            ["parec", "-d", SPEAKER_MONITOR, "--raw", "--format=float32le", f"--rate={self.rate}",
             "--channels=1", "--latency-msec=10"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()
        end = time.monotonic() + 5
        while not self.chunks and time.monotonic() < end:
            time.sleep(0.01)
        assert self.chunks, "parec delivered nothing"
        return self

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        while b := self.proc.stdout.read1(4096):
            self.chunks.append((time.monotonic(), b))

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.communicate(timeout=5)
        self.thread.join(5)

    def audio_and_clock(self) -> tuple[np.ndarray, float]:
        """The recording, and the monotonic time its first sample was played: the earliest
        chunk (the least delayed by scheduling) fixes it."""
        data = b"".join(b for _, b in self.chunks)
        ends = np.cumsum([len(b) // 4 for _, b in self.chunks])
        t0 = min(t - n / self.rate for (t, _), n in zip(self.chunks, ends, strict=True))
        return np.frombuffer(data[: len(data) // 4 * 4], dtype="<f4"), t0


class ClockOnlySpeaker(SoundDeviceSpeaker):
    """The same speaker without ``heard_s``: the controller falls back to its clock."""

    heard_s = None


def _play_and_measure(qtbot, speaker, take: np.ndarray, sr: int, speed: float):
    jobs = JobRunner()
    player = PlaybackController(speaker, jobs)
    player.load(take, sr)
    player.set_speed(speed)
    ticks: list[tuple[float, float]] = []
    player.position_changed.connect(lambda p: ticks.append((time.monotonic(), p)))
    errors_shown: list[str] = []
    player.failed.connect(errors_shown.append)
    try:
        with StampedCapture(sr) as cap:
            player.play()
            # Waits for the state to leave "preparing" (not for "playing"), so a playback error
            # is reported as itself rather than as a timeout.
            qtbot.waitUntil(lambda: player.state != "preparing", timeout=20_000)
            assert not errors_shown, errors_shown
            assert player.state == "playing", "playback ended before it was heard"
            qtbot.waitUntil(lambda: player.state == "stopped", timeout=30_000)
    finally:
        # A failed wait must not leave a playback job running past the test: its signals to a
        # deleted controller crashed the whole run once (a segfault in the next event loop).
        if player.state != "stopped":
            player.pause()
        jobs.cancel_all()
        jobs.wait()
    assert not errors_shown, errors_shown
    recorded, t0 = cap.audio_and_clock()
    played = stretch(take, speed)
    lag, r = align(recorded, played)
    heard_start = t0 + lag / sr  # when the take's first sample came out of the speaker
    end = heard_start + len(played) / sr
    errors = [
        p - (t - heard_start) * speed for t, p in ticks if heard_start + 0.3 < t < end - 0.3
    ]  # fmt: skip
    return r, np.asarray(errors)


@pytest.mark.audio_devices
@pytest.mark.parametrize(
    ("speed", "latency"),
    [(1.0, "high"), (1.5, "high"), (1.0, 0.4)],  # 0.4 s: a deep output buffer (Bluetooth-like)
)
def test_playback_on_the_real_speaker_sounds_right_and_the_position_follows_what_is_heard(
    qtbot, speech_dir, speed: float, latency: str | float
) -> None:
    require_virtual_speaker()
    x, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    take = x[: int(SECONDS * sr)]
    r, err = _play_and_measure(qtbot, SoundDeviceSpeaker(latency=latency), take, sr, speed)
    r_clock, err_clock = _play_and_measure(
        qtbot, ClockOnlySpeaker(latency=latency), take, sr, speed
    )
    print(
        f"\n{speed}x, latency {latency}: reported minus heard position, latency compensated: mean "
        f"{1000 * err.mean():+.0f} ms, max |{1000 * np.abs(err).max():.0f}| ms over "
        f"{len(err)} ticks; clock only: mean {1000 * err_clock.mean():+.0f} ms, max "
        f"|{1000 * np.abs(err_clock).max():.0f}| ms (r={r:.3f})"
    )
    assert r > 0.9 and r_clock > 0.9, "the take came out of the speaker as recorded"
    assert len(err) > 50, "the position was reported all along"
    assert abs(err.mean()) < 0.05 * speed and np.abs(err).max() < 0.12 * speed

"""Talk into the virtual microphone and listen to the virtual speaker (tests/headless/setup.sh).

    from headless.feed import SpeakerCapture, align, feed_mic, require_fed_microphone

    require_fed_microphone()              # skip (or fail in CI) unless `micfeed` exists
    p = feed_mic(wav, wait=False)         # paplay -d micfeed wav: the app records it from vmic
    with SpeakerCapture(rate=22050) as cap:   # parec of vspeaker.monitor, already recording
        app_plays_something()
    lag, r = align(cap.audio, reference)  # FFT cross-correlation: lag in samples, Pearson r

Compare by correlation after alignment, never sample equality: where the signal lands in
a recording varies by tens of ms between runs.  The virtual devices run at 44.1 kHz; other
rates work (PulseAudio resamples) at a small cost in correlation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from types import TracebackType

import numpy as np
import pytest

MIC_FEED = os.environ.get("OFFSCRIPT_TEST_MIC_FEED", "micfeed")
SPEAKER_MONITOR = os.environ.get("OFFSCRIPT_TEST_SPEAKER_MONITOR", "vspeaker.monitor")
DEVICE_RATE = 44100
# Set by `make test` when setup created the virtual devices: a missing device is then a
# failure, not a reason to skip.
REQUIRED = os.environ.get("OFFSCRIPT_REQUIRE_AUDIO_DEVICES") == "1"


def _pactl_names(kind: str) -> set[str] | str:
    """Names of Pulse sinks/sources, or a string saying why they cannot be listed."""
    if not shutil.which("pactl"):
        return "pactl is not installed (apt install pulseaudio-utils)"
    try:
        out = subprocess.run(
            ["pactl", "list", "short", kind], capture_output=True, text=True, timeout=10
        )
    except subprocess.TimeoutExpired:
        return "pactl timed out: the sound server does not answer"
    if out.returncode != 0:
        err = " ".join(out.stderr.split()) or "pactl failed"
        return f"no sound server answers ({err})"
    return {line.split("\t")[1] for line in out.stdout.splitlines() if "\t" in line}


def _unavailable(reason: str) -> None:
    msg = f'{reason}; run `eval "$(bash tests/headless/setup.sh)"` or `make test`'
    if REQUIRED:
        pytest.fail(f"virtual audio devices required but missing: {msg}")
    pytest.skip(msg)


def require_fed_microphone() -> None:
    """Skip the test unless the default input is the virtual mic fed through ``micfeed``."""
    sinks = _pactl_names("sinks")
    if isinstance(sinks, str):
        _unavailable(sinks)
    elif MIC_FEED not in sinks:
        _unavailable(f"no fed microphone: the sound server has no '{MIC_FEED}' sink")
    sources = _pactl_names("sources")
    default = os.environ.get("PULSE_SOURCE") or _default_device("Default Source")
    if isinstance(sources, set) and "vmic" in sources and default != "vmic":
        _unavailable(f"the default input is {default!r}, not the fed microphone 'vmic'")
    if not shutil.which("paplay"):
        _unavailable("paplay is not installed (apt install pulseaudio-utils)")


def require_virtual_speaker() -> None:
    """Skip the test unless the default output is captured through ``SPEAKER_MONITOR``."""
    sources = _pactl_names("sources")
    if isinstance(sources, str):
        _unavailable(sources)
    elif SPEAKER_MONITOR not in sources:
        _unavailable(f"no virtual speaker: the sound server has no '{SPEAKER_MONITOR}' source")
    sink = SPEAKER_MONITOR.removesuffix(".monitor")
    default = os.environ.get("PULSE_SINK") or _default_device("Default Sink")
    if default != sink:
        _unavailable(f"the default output is {default!r}, not the virtual speaker {sink!r}")


def _default_device(field: str) -> str | None:
    out = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=10)
    for line in out.stdout.splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    return None


def feed_mic(path: str | Path, wait: bool = True, timeout: float = 120) -> subprocess.Popen:
    """Play a sound file into the virtual microphone; with ``wait``, until it has played."""
    p = subprocess.Popen(
        ["paplay", "-d", MIC_FEED, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if wait:
        _, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, f"paplay -d {MIC_FEED} {path} failed: {err.decode().strip()}"
    return p


class SpeakerCapture:
    """Records what is played to the virtual speaker while the ``with`` block runs.

    ``audio`` (float32 mono at ``rate``) is set on exit.  Entering waits until ``parec``
    really delivers data, so nothing played inside the block is missed.
    """

    def __init__(self, rate: int = DEVICE_RATE, tail_s: float = 0.3, latency_ms: int = 20) -> None:
        self.rate = rate
        self.tail_s = tail_s
        self.latency_ms = latency_ms
        self.audio = np.zeros(0, dtype=np.float32)
        self._chunks: list[bytes] = []
        self._proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> SpeakerCapture:
        # A head start over a busy machine (negative nice needs root; otherwise it only warns).
        nice = ["nice", "-n", "-10"] if shutil.which("nice") and os.geteuid() == 0 else []
        self._proc = subprocess.Popen(
            [*nice, "parec", "-d", SPEAKER_MONITOR, "--raw", "--format=float32le",
             f"--rate={self.rate}", "--channels=1", f"--latency-msec={self.latency_ms}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()
        end = time.monotonic() + 5
        while not self._chunks and time.monotonic() < end:
            if self._proc.poll() is not None:
                break
            time.sleep(0.01)
        if not self._chunks:
            err = self._stop()
            raise AssertionError(f"parec -d {SPEAKER_MONITOR} delivered no audio in 5 s: {err}")
        return self

    def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        while b := self._proc.stdout.read1(65536):
            self._chunks.append(b)

    def _stop(self) -> str:
        assert self._proc is not None
        self._proc.terminate()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        # The pump reads stdout to its end; communicate() here would close it under the pump.
        if self._thread is not None:
            self._thread.join(5)
        err = self._proc.stderr.read() if self._proc.stderr is not None else b""
        for pipe in (self._proc.stdout, self._proc.stderr):
            if pipe is not None:
                pipe.close()
        return (err or b"").decode(errors="replace").strip()

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        time.sleep(self.tail_s)  # let the end of the playback arrive
        self._stop()
        buf = b"".join(self._chunks)
        self.audio = np.frombuffer(buf[: len(buf) // 4 * 4], dtype="<f4").copy()


def align(recorded: np.ndarray, reference: np.ndarray) -> tuple[int, float]:
    """Where ``reference`` best sits inside ``recorded``: (lag in samples, Pearson r there).

    Only lags where at least half of the reference fits are considered.  r is 0.0 when the
    recording is shorter than that or silent.
    """
    rec = np.asarray(recorded, dtype=np.float64).ravel()
    ref = np.asarray(reference, dtype=np.float64).ravel()
    if len(rec) < len(ref) // 2 or len(ref) < 16:
        return 0, 0.0
    nfft = 1 << (len(rec) + len(ref) - 1).bit_length()
    c = np.fft.irfft(np.fft.rfft(rec, nfft) * np.conj(np.fft.rfft(ref, nfft)), nfft)
    lag = int(np.argmax(c[: max(1, len(rec) - len(ref) // 2)]))
    seg = rec[lag : lag + len(ref)]
    part = ref[: len(seg)]
    if len(seg) < 16 or np.std(seg) == 0 or np.std(part) == 0:
        return lag, 0.0
    r = float(np.corrcoef(seg, part)[0, 1])
    return lag, r if np.isfinite(r) else 0.0

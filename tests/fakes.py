"""Test doubles for the hardware interfaces in offscript.audio (Microphone, Speaker)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

import numpy as np

from offscript.audio.playback import as_float_mono
from offscript.tasks import CancelToken


class FakeMicrophone:
    """Plays ``samples`` to ``on_block`` in blocks, on a thread, like a real microphone.

    ``realtime=True`` paces the blocks at the sample rate; otherwise they come as fast as the
    consumer takes them.  After the last block it delivers silence until :meth:`stop`
    (``then_silence=True``) or simply ends; :attr:`finished` is set once all samples went out.
    """

    def __init__(
        self,
        samples: np.ndarray,
        samplerate: int = 16000,
        blocksize: int = 1024,
        channels: int = 1,
        realtime: bool = False,
        then_silence: bool = False,
        device_name: str = "Fake microphone",
        speed: float = 1.0,
    ) -> None:
        self.samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        self.samplerate = samplerate
        self.channels = channels
        self.blocksize = blocksize
        self.realtime = realtime
        self.then_silence = then_silence
        self.device_name = device_name
        self.speed = speed  # with realtime: blocks come this many times faster than real time
        self.finished = threading.Event()
        self.started = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, on_block: Callable[[np.ndarray], None]) -> None:
        if self._thread is not None:
            raise RuntimeError("microphone already started")
        self.started = True
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(on_block,), daemon=True)
        self._thread.start()

    def _run(self, on_block: Callable[[np.ndarray], None]) -> None:
        t0, sent, pos = time.monotonic(), 0, 0
        while not self._stop.is_set():
            if pos < len(self.samples):
                block = self.samples[pos : pos + self.blocksize]
                pos += len(block)
            elif self.then_silence:
                self.finished.set()
                block = np.zeros(self.blocksize, dtype=np.float32)
            else:
                break
            on_block(np.repeat(block[:, None], self.channels, axis=1))
            sent += len(block)
            if self.realtime:
                pace = self.samplerate * self.speed
                time.sleep(max(0.0, t0 + sent / pace - time.monotonic()))
        self.finished.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None


class FakeSpeaker:
    """Records what it is asked to play; ``realtime=True`` takes as long as real playback."""

    def __init__(self, realtime: bool = False) -> None:
        self.realtime = realtime
        self.chunks: list[np.ndarray] = []
        self.samplerate: int | None = None
        self.plays = 0
        self.cancelled = False
        self._stop = threading.Event()

    @property
    def played(self) -> np.ndarray:
        """Everything played so far, as one float32 array."""
        if not self.chunks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(self.chunks)

    def play(
        self, chunks: Iterable[np.ndarray], samplerate: int, cancel: CancelToken | None = None
    ) -> None:
        self._stop.clear()
        self.plays += 1
        self.samplerate = samplerate
        self.cancelled = False
        for chunk in chunks:
            if self._stop.is_set() or (cancel is not None and cancel.cancelled):
                self.cancelled = True
                return
            c = as_float_mono(chunk).copy()
            self.chunks.append(c)
            if self.realtime:
                self._stop.wait(len(c) / samplerate)

    def stop(self) -> None:
        self._stop.set()

"""Playing audio that may still be being produced (the interviewer's voice, chunk by chunk).

:meth:`SoundDeviceSpeaker.play` pulls chunks from an iterable on the calling thread and
queues them; the PortAudio callback only copies queued samples out.  Playback starts as soon
as the first chunk exists, so speech synthesis and playback overlap.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import numpy as np

from offscript.audio.devices import import_sounddevice, resolve_device
from offscript.errors import DeviceError
from offscript.tasks import CancelToken


class Speaker(Protocol):
    """Something that plays mono audio."""

    def play(
        self, chunks: Iterable[np.ndarray], samplerate: int, cancel: CancelToken | None = None
    ) -> None:
        """Play ``chunks`` (float32 in [-1, 1] or int16, mono) as they arrive.

        Blocks until everything was played, or returns early when ``cancel`` is set or
        :meth:`stop` is called.
        """
        ...

    def stop(self) -> None:
        """Stop the current :meth:`play` (from any thread)."""
        ...


def as_float_mono(chunk: np.ndarray) -> np.ndarray:
    """A chunk as 1-D float32 in [-1, 1]; int16 is scaled, (n, 1) is flattened."""
    a = np.asarray(chunk)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"expected mono audio, got an array shaped {a.shape}")
    if a.dtype == np.int16:
        return a.astype(np.float32) / 32768.0
    return a.astype(np.float32, copy=False)


class _Feed:
    """Samples waiting to be played; written by play(), read by the PortAudio callback."""

    def __init__(self) -> None:
        self.chunks: collections.deque[np.ndarray] = collections.deque()
        self.offset = 0  # samples of chunks[0] already played
        self.last_chunk_queued = False

    def read_into(self, out: np.ndarray) -> int:
        """Fill ``out`` (1-D) from the queued chunks; returns how many samples were copied."""
        n = 0
        while n < len(out) and self.chunks:
            head = self.chunks[0]
            take = min(len(out) - n, len(head) - self.offset)
            out[n : n + take] = head[self.offset : self.offset + take]
            n += take
            self.offset += take
            if self.offset >= len(head):
                self.chunks.popleft()
                self.offset = 0
        return n


class SoundDeviceSpeaker:
    """A real speaker through PortAudio (``sounddevice.OutputStream`` with a callback)."""

    def __init__(
        self,
        device: int | str | None = None,
        blocksize: int = 1024,
        latency: str | float = "high",
        stall_timeout_s: float = 2.0,
    ) -> None:
        self.device = device
        self.blocksize = blocksize
        self.latency = latency
        self.stall_timeout_s = stall_timeout_s
        self.underruns = 0
        """Callbacks that found nothing queued while the producer was still running."""
        self._stop = threading.Event()
        # (frames of audio before the block, frames of audio in it, monotonic time its first
        # sample reaches the speaker) for the latest blocks: see heard_s.
        self._blocks: collections.deque[tuple[int, int, float]] = collections.deque(maxlen=256)
        self._samplerate = 1

    def heard_s(self) -> float | None:
        """Seconds of the current :meth:`play`'s audio that have come out of the speaker: what
        the callback handed over minus what still sits in the output latency (PortAudio's
        ``outputBufferDacTime``), not counting underrun silence.  None before the first block.
        """
        blocks = list(self._blocks)
        if not blocks:
            return None
        now = time.monotonic()
        for before, n, dac in reversed(blocks):
            if dac <= now:
                return (before + min(n, (now - dac) * self._samplerate)) / self._samplerate
        return blocks[0][0] / self._samplerate

    @property
    def device_name(self) -> str:
        return str(resolve_device(self.device, "output")["name"])

    def stop(self) -> None:
        self._stop.set()

    def play(
        self, chunks: Iterable[np.ndarray], samplerate: int, cancel: CancelToken | None = None
    ) -> None:
        self._stop.clear()
        self.underruns = 0
        self._blocks.clear()
        self._samplerate = samplerate
        it = iter(chunks)
        first = self._next(it)
        while first is not None and len(first) == 0:
            first = self._next(it)
        if first is None or self._cancelled(cancel):
            return
        sd = import_sounddevice()
        name = resolve_device(self.device, "output")["name"]
        feed = _Feed()
        feed.chunks.append(first)
        done = threading.Event()
        last_callback = [time.monotonic()]
        # Frames of silence still to play after the last sample.  PortAudio reports a
        # finished stream while the sound server still holds up to `latency` of audio, which
        # closing the stream would drop, so we keep the stream open until that has played.
        flush = [0]
        given = [0]  # frames of audio handed to the callback so far
        latency_s = [0.0]

        def callback(outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
            now = last_callback[0] = time.monotonic()
            n = feed.read_into(outdata[:, 0])
            ahead = time_info.outputBufferDacTime - time_info.currentTime
            if not (0.0 <= ahead < 5.0) or not time_info.currentTime:
                ahead = latency_s[0]  # host API without timing: assume the stream's latency
            self._blocks.append((given[0], n, now + ahead))
            given[0] += n
            outdata[n:, 0] = 0.0
            if n < frames:
                if not feed.last_chunk_queued:
                    self.underruns += 1
                    return
                flush[0] -= frames - n
                if flush[0] <= 0:
                    raise sd.CallbackStop

        try:
            stream = sd.OutputStream(
                device=self.device,
                samplerate=samplerate,
                channels=1,
                dtype="float32",
                blocksize=self.blocksize,
                latency=self.latency,
                callback=callback,
                finished_callback=done.set,
            )
            flush[0] = int((stream.latency + 0.05) * samplerate)
            latency_s[0] = float(stream.latency)
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise DeviceError(
                f"Cannot play on {name!r} at {samplerate} Hz ({exc}): check the speaker or "
                "headphones, or pick another output in Settings."
            ) from exc
        try:
            for chunk in self._rest(it, cancel):
                feed.chunks.append(chunk)  # deque.append is atomic: no lock needed
            feed.last_chunk_queued = True
            while not done.wait(0.05):
                if self._cancelled(cancel):
                    stream.abort()
                    return
                if time.monotonic() - last_callback[0] > self.stall_timeout_s:
                    stream.abort()
                    raise DeviceError(
                        f"The speaker {name!r} stopped playing (unplugged?): plug it back in "
                        "or pick another output in Settings."
                    )
            if feed.chunks and not self._cancelled(cancel):
                # The stream ended by itself with audio left: the sound server dropped it (its
                # last output vanished).  Returning normally would pretend it was all heard.
                raise DeviceError(
                    f"The speaker {name!r} stopped playing (unplugged?): plug it back in "
                    "or pick another output in Settings."
                )
            stream.stop()
        finally:
            stream.close(ignore_errors=True)

    def _cancelled(self, cancel: CancelToken | None) -> bool:
        return self._stop.is_set() or (cancel is not None and cancel.cancelled)

    def _next(self, it: Iterator[np.ndarray]) -> np.ndarray | None:
        try:
            return as_float_mono(next(it))
        except StopIteration:
            return None

    def _rest(self, it: Iterator[np.ndarray], cancel: CancelToken | None) -> Iterator[np.ndarray]:
        for chunk in it:
            if self._cancelled(cancel):
                return
            c = as_float_mono(chunk)
            if len(c):
                yield c

"""Recording from a microphone, behind a small interface so tests can use a fake.

The PortAudio callback only copies the block into a queue; a consumer thread hands blocks to
``on_block``.  A slow consumer therefore never makes PortAudio drop input, it only delays it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from offscript.audio.devices import import_sounddevice, resolve_device, server_microphone
from offscript.errors import DeviceError

BlockCallback = Callable[[np.ndarray], None]
ErrorCallback = Callable[[Exception], None]

_STOP = object()
SERVER_CHECK_S = 0.5  # how often a recording through a sound server checks its source


class Microphone(Protocol):
    """Something that records: delivers float32 blocks shaped (frames, channels)."""

    samplerate: int
    channels: int
    device_name: str

    def start(self, on_block: BlockCallback) -> None:
        """Start recording; ``on_block`` is called on a background thread for every block."""
        ...

    def stop(self) -> None:
        """Stop recording; returns after the last block was delivered."""
        ...


class SoundDeviceMicrophone:
    """A real microphone through PortAudio (``sounddevice.InputStream``).

    ``on_error`` (called on the consumer thread) gets a :class:`DeviceError` when the device
    disappears or stops delivering audio mid-recording (unplugged, sound server restarted),
    and any exception raised by ``on_block``.  Opening problems raise :class:`DeviceError`
    from the constructor or :meth:`start`.
    """

    def __init__(
        self,
        device: int | str | None = None,
        samplerate: int | None = None,
        channels: int = 1,
        blocksize: int = 1024,
        on_error: ErrorCallback | None = None,
        stall_timeout_s: float = 2.0,
    ) -> None:
        info = resolve_device(device, "input")
        # Through a sound server "default" always exists; ask the server for a real microphone.
        self.server_source = server_microphone(device)
        if info["max_input_channels"] < channels:
            raise DeviceError(
                f"The microphone {info['name']!r} has {info['max_input_channels']} channel(s), "
                f"{channels} needed: pick another microphone in Settings."
            )
        self.device = device
        self.device_name: str = str(info["name"])
        self.samplerate: int = int(samplerate or info["default_samplerate"])
        self.channels: int = channels
        self.blocksize = blocksize
        self.on_error = on_error
        self.stall_timeout_s = stall_timeout_s
        self.overflows = 0
        """Number of callbacks that reported lost input (input overflow)."""
        self._queue: queue.Queue[Any] = queue.Queue()
        self._stream: Any = None
        self._consumer: threading.Thread | None = None
        self._stopping = threading.Event()
        self._last_block = 0.0

    @property
    def running(self) -> bool:
        return self._stream is not None

    def start(self, on_block: BlockCallback) -> None:
        if self._stream is not None:
            raise RuntimeError("microphone already started")
        sd = import_sounddevice()
        self._stopping.clear()
        self.overflows = 0
        try:
            stream = sd.InputStream(
                device=self.device,
                samplerate=self.samplerate,
                channels=self.channels,
                dtype="float32",
                blocksize=self.blocksize,
                callback=self._callback,
                finished_callback=self._finished,
            )
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise DeviceError(
                f"Cannot record from {self.device_name!r} at {self.samplerate} Hz ({exc}): check "
                "it is plugged in and not used by another app, or pick another in Settings."
            ) from exc
        self._stream = stream
        self._last_block = time.monotonic()
        self._consumer = threading.Thread(
            target=self._consume, args=(on_block,), name="mic-consumer", daemon=True
        )
        self._consumer.start()

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        self._stopping.set()
        try:
            stream.stop()  # waits for the last callback; its block is already queued
            stream.close()
        except Exception:  # a vanished device can fail to close: nothing left to save
            pass
        self._queue.put(_STOP)
        if self._consumer is not None:
            self._consumer.join()
            self._consumer = None

    # -- PortAudio thread: keep it minimal
    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        if status.input_overflow:
            self.overflows += 1
        self._queue.put(indata.copy())

    def _finished(self) -> None:
        if not self._stopping.is_set():
            self._queue.put(
                DeviceError(
                    f"The microphone {self.device_name!r} stopped (unplugged?): plug it back in "
                    "or pick another in Settings, then record again."
                )
            )

    # -- consumer thread
    def _microphone_lost(self) -> bool:
        """True once (then reported) when the sound server has moved this recording off its
        microphone because it vanished and only speaker monitors are left."""
        try:
            server_microphone(self.device)
        except DeviceError:
            self._report(
                DeviceError(
                    f"The microphone {self.server_source!r} disappeared (unplugged?) and no other "
                    "is left: plug it back in or pick another in Settings, then record again."
                )
            )
            return True
        return False

    def _consume(self, on_block: BlockCallback) -> None:
        stalled = lost = False
        next_check = time.monotonic() + SERVER_CHECK_S
        while True:
            if self.server_source and not lost and time.monotonic() >= next_check:
                lost = self._microphone_lost()  # later blocks are a speaker's monitor: dropped
                next_check = time.monotonic() + SERVER_CHECK_S
            try:
                item = self._queue.get(timeout=0.25)
            except queue.Empty:
                idle = time.monotonic() - self._last_block
                if not stalled and not self._stopping.is_set() and idle > self.stall_timeout_s:
                    stalled = True  # report once; recovers silently if blocks come back
                    self._report(
                        DeviceError(
                            f"The microphone {self.device_name!r} delivered no audio for "
                            f"{idle:.0f} s (unplugged or taken by another app?): check it, "
                            "or pick another in Settings."
                        )
                    )
                continue
            if item is _STOP:
                return
            if isinstance(item, Exception):
                self._report(item)
                continue
            self._last_block = time.monotonic()
            stalled = False
            if lost:
                continue
            try:
                on_block(item)
            except Exception as exc:  # keep recording; the owner decides what to do
                self._report(exc)

    def _report(self, exc: Exception) -> None:
        if self.on_error is not None:
            self.on_error(exc)

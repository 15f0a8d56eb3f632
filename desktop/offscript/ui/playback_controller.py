"""Plays a take through the Speaker protocol and knows where in the take playback is.

The speaker blocks while it plays, so playback runs as a JobRunner job.  The position is
``start + heard * speed`` in the original recording (see ``audio.time_stretch``), where
``heard`` is what has come out of the speaker: the speaker's ``heard_s()`` when it has one
(the real one subtracts the output latency, so the highlighted word is the one being heard),
else the clock since the speaker took the first block.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from offscript.audio.playback import Speaker
from offscript.audio.time_stretch import (
    check_speed,
    chunks_from,
    original_position,
    stretch,
    stretched_index,
)
from offscript.ui.workers import JobHandle, JobRunner


class PlaybackController(QObject):
    """``state`` is "stopped", "preparing" (stretching audio) or "playing"."""

    position_changed = Signal(float)
    state_changed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        speaker: Speaker,
        jobs: JobRunner,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.speaker, self.jobs, self.clock = speaker, jobs, clock
        self.samples = np.zeros(0, dtype=np.float32)
        self.samplerate = 16000
        self.speed = 1.0
        self.state = "stopped"
        self._start_s = 0.0  # position (original seconds) the current play started from
        self._started_at: float | None = None  # clock when the speaker took the first block
        self._stretched: dict[float, np.ndarray] = {}
        self._handle: JobHandle | None = None
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._tick)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.samplerate

    def load(self, samples: np.ndarray, samplerate: int) -> None:
        self.stop()
        self.samples = np.asarray(samples, dtype=np.float32)
        self.samplerate = samplerate
        self._stretched = {1.0: self.samples}
        self._start_s = 0.0
        self.position_changed.emit(0.0)

    def position(self) -> float:
        if self.state == "stopped" or self._started_at is None:
            return self._start_s
        heard = getattr(self.speaker, "heard_s", None)  # None from it: nothing heard yet
        played = (heard() or 0.0) if callable(heard) else self.clock() - self._started_at
        return min(self.duration_s, original_position(self._start_s, played, self.speed))

    # ---------------------------------------------------------------- control
    def toggle(self) -> None:
        if self.state == "stopped":
            self.play()
        else:
            self.pause()

    def play(self) -> None:
        if len(self.samples) == 0:
            return
        if self._start_s >= self.duration_s - 0.01:
            self._start_s = 0.0
        self._cancel_job()
        self._generation += 1
        gen, speed, start_s = self._generation, self.speed, self._start_s
        self._started_at = None
        cache, samples, sr, speaker = self._stretched, self.samples, self.samplerate, self.speaker

        def mark_started() -> None:
            if gen == self._generation:
                self._started_at = self.clock()

        def job(progress, cancel):
            audio = cache.get(speed)
            if audio is None:
                audio = cache[speed] = stretch(samples, speed)
            cancel.raise_if_cancelled()
            first = stretched_index(start_s, speed, sr)
            speaker.play(chunks_from(audio, first, on_first=mark_started), sr, cancel)
            return gen

        self._set_state("preparing" if speed not in cache else "playing")
        self._handle = self.jobs.start(
            job, on_done=self._ended, on_error=self._error, on_cancelled=lambda: None
        )
        self._timer.start()

    def pause(self) -> None:
        self._start_s = self.position()
        self._cancel_job()
        self._generation += 1
        self._timer.stop()
        self._set_state("stopped")
        self.position_changed.emit(self._start_s)

    stop = pause

    def seek(self, position_s: float) -> None:
        """Jump to ``position_s`` of the original recording, playing on if it was playing."""
        playing = self.state != "stopped"
        if playing:
            self.pause()
        self._start_s = min(max(0.0, float(position_s)), self.duration_s)
        self.position_changed.emit(self._start_s)
        if playing:
            self.play()

    def skip(self, seconds: float) -> None:
        self.seek(self.position() + seconds)

    def set_speed(self, speed: float) -> None:
        speed = check_speed(speed)
        if speed == self.speed:
            return
        playing = self.state != "stopped"
        if playing:
            self.pause()
        self.speed = speed
        if playing:
            self.play()

    # ---------------------------------------------------------------- internals
    def _cancel_job(self) -> None:
        if self._handle is not None and not self._handle.done:
            self._handle.cancel()
            self.speaker.stop()
        self._handle = None

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def _tick(self) -> None:
        if self.state == "preparing" and self._started_at is not None:
            self._set_state("playing")
        self.position_changed.emit(self.position())

    def _ended(self, gen: int) -> None:
        if gen != self._generation:
            return
        self._timer.stop()
        self._start_s = self.duration_s
        self._set_state("stopped")
        self.position_changed.emit(self._start_s)

    def _error(self, message: str) -> None:
        self._timer.stop()
        self._set_state("stopped")
        self.failed.emit(message)

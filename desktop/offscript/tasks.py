"""The one background-work pattern, without Qt.

A long job is a callable ``job(progress, cancel)`` where ``progress(done, total)`` reports
advancement and ``cancel`` is a :class:`CancelToken` the job polls between steps.  The UI
runs such jobs on a worker thread (``ui/workers.py``); the CLI runs them inline with a
terminal progress bar.  Errors are raised by the job and surfaced by whoever runs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside a job when its :class:`CancelToken` was set."""


class CancelToken:
    """Thread-safe cancellation flag shared between a job and whoever started it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class Progress(Protocol):
    def __call__(self, done: float, total: float) -> None: ...


def no_progress(done: float, total: float) -> None:
    """A progress sink that ignores reports."""


Job = Callable[[Progress, CancelToken], T]

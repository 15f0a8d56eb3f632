"""The one background-work pattern for the GUI.

A job is ``job(progress, cancel) -> result`` (see ``offscript.tasks``).  :class:`JobRunner`
runs it on a ``QThreadPool`` thread and reports back on the GUI thread through signals:
``progress(done, total)``, ``finished(result)``, ``failed(message)`` and ``cancelled()``.
Expected problems (``UserFacingError``) arrive as their message; anything else is logged to
the crash log and reported with where to find it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from offscript.errors import UserFacingError
from offscript.tasks import Cancelled, CancelToken, Job


class _Signals(QObject):
    progress = Signal(float, float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, job: Job[Any], signals: _Signals, cancel: CancelToken) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._signals, self._cancel = job, signals, cancel

    def run(self) -> None:
        signals = self._signals
        try:
            result = self._job(lambda done, total: signals.progress.emit(done, total), self._cancel)
        except Cancelled:
            signals.cancelled.emit()
        except UserFacingError as exc:
            signals.failed.emit(str(exc))
        except Exception as exc:  # surfaced to the user, never swallowed
            from offscript.crash_log import write_crash_log

            log = write_crash_log(exc)
            signals.failed.emit(f"Unexpected error: {exc!r} (details in {log})")
        else:
            if self._cancel.cancelled:
                signals.cancelled.emit()
            else:
                signals.finished.emit(result)


class JobHandle(QObject):
    """A running job: connect to its signals, call :meth:`cancel` to stop it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = _Signals(self)
        self.token = CancelToken()
        self.done = False
        for sig in (self.signals.finished, self.signals.failed, self.signals.cancelled):
            sig.connect(self._mark_done)

    def _mark_done(self, *_: object) -> None:
        self.done = True

    def cancel(self) -> None:
        self.token.cancel()


class JobRunner(QObject):
    """Starts jobs on a private thread pool and can wait for all of them (tests, shutdown).

    Jobs that the candidate waits for (``urgent``, e.g. the feedback) jump the queue of
    background ones (pre-synthesis).  Several threads, because some jobs mostly wait (speaking
    a question waits on the speaker) and must not hold up the others.
    """

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._handles: list[JobHandle] = []

    def start(
        self, job: Job[Any], *, on_done=None, on_error=None, on_progress=None, on_cancelled=None,
        urgent: bool = False,
    ) -> JobHandle:
        handle = JobHandle(self)
        if on_done:
            handle.signals.finished.connect(on_done)
        if on_error:
            handle.signals.failed.connect(on_error)
        if on_progress:
            handle.signals.progress.connect(on_progress)
        if on_cancelled:
            handle.signals.cancelled.connect(on_cancelled)
        self._handles = [h for h in self._handles if not h.done] + [handle]
        self._pool.start(_Runnable(job, handle.signals, handle.token), 1 if urgent else 0)
        return handle

    def cancel_all(self) -> None:
        for h in self._handles:
            h.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every job has ended (returns False on timeout)."""
        return self._pool.waitForDone(msecs)

"""The store the app and CLI use: sessions, questions asked, takes (answers) and analyses.

Layout of the data folder::

    offscript.db                      SQLite, WAL mode (see database.py)
    audio/<session_id>/<take_id>.flac finished takes
    audio/incoming/<take_id>.pcm      takes being recorded (recovered at start-up)
    audio/unlinked/<take_id>.flac     recovered audio whose take row is gone (never thrown away)

Every write is one transaction.  A ``Store`` may be used from several threads (the GUI, the
audio consumer finishing a take, an analysis worker): one lock serialises database access;
the slow FLAC encoding in ``finish_take`` runs outside it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offscript import paths
from offscript.errors import StoreError
from offscript.store.database import open_database, transaction
from offscript.store.failures import os_failure, sqlite_failure
from offscript.store.recordings import EmptyRecordingError, RecordingWriter, pcm_path
from offscript.store.records import (
    SESSION_SELECT,
    TAKE_SELECT,
    SessionRecord,
    TakeRecord,
    session_from_row,
    take_from_row,
)
from offscript.store.recovery import audio_path_for_take, recover_takes

log = logging.getLogger(__name__)

DB_NAME = "offscript.db"
EMPTY_NOTE = "nothing was recorded"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Store:
    """Sessions, questions, takes and analyses in one data folder; see the module docstring."""

    def __init__(self, data_dir: Path, conn: sqlite3.Connection) -> None:
        self.data_dir = data_dir
        self.audio_dir = data_dir / "audio"
        self.incoming_dir = self.audio_dir / "incoming"
        self._conn = conn
        self._lock = threading.RLock()
        self._recording: set[int] = set()  # takes with a live writer in this process

    @classmethod
    def open(cls, data_dir: Path | None = None) -> Store:
        """Open the store in ``data_dir`` (default: the user data folder), creating it."""
        root = Path(data_dir) if data_dir is not None else paths.data_dir()
        if data_dir is None and not root.is_dir() and paths.moved_data_dir() is not None:
            # Never start afresh in an empty folder where the user's data should be.
            raise StoreError(
                f"Your data folder {root} cannot be found (on a drive that is not connected?): "
                f"connect it, or delete {paths.data_pointer_path()} to start a new one."
            )
        try:
            (root / "audio" / "incoming").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_failure(exc, root, "creating the data folder") from exc
        return cls(root, open_database(root / DB_NAME))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The store's connection for queries (``store/history.py``, ``store/report_query.py``),
        held against other threads; a SQLite error becomes a user-facing StoreError."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise sqlite_failure(exc, self.data_dir / DB_NAME) from exc

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self.reading() as conn, transaction(conn):
            yield conn

    @contextmanager
    def paused(self) -> Iterator[sqlite3.Connection]:
        """Hold every other thread off the store and yield its connection (moving the data
        folder); refuses while a take is being recorded."""
        with self.reading() as conn:
            if self._recording:
                raise StoreError("A recording is in progress: stop it first, then try again.")
            yield conn

    def rebase(self, data_dir: Path, conn: sqlite3.Connection) -> None:
        """Use ``data_dir`` (a verified copy of this store's folder) from now on; call inside
        :meth:`paused`.  The old connection is closed."""
        with self._lock:
            old, self._conn = self._conn, conn
            self.data_dir = Path(data_dir)
            self.audio_dir = self.data_dir / "audio"
            self.incoming_dir = self.audio_dir / "incoming"
        old.close()

    def audio_file(self, take: TakeRecord) -> Path | None:
        """Absolute path of a take's audio, if it has any."""
        return self.data_dir / take.audio_path if take.audio_path else None

    # Sessions and questions -------------------------------------------------------------

    def create_session(self, loop_id: str, model: str) -> int:
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (started_at, loop_id, model, status)"
                " VALUES (?, ?, ?, 'active')",
                (_now(), loop_id, model),
            )
            return int(cur.lastrowid)

    def end_session(self, session_id: int) -> None:
        with self._writing() as conn:
            conn.execute(
                "UPDATE sessions SET ended_at = ?, status = 'ended' WHERE id = ?",
                (_now(), session_id),
            )

    def list_sessions(self, limit: int = 50) -> list[SessionRecord]:
        """Most recent first."""
        with self.reading() as conn:
            rows = conn.execute(
                SESSION_SELECT + " ORDER BY s.started_at DESC, s.id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [session_from_row(r) for r in rows]

    def add_question(
        self, session_id: int, question_id: str, bank_id: str, text: str, position: int
    ) -> int:
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO questions (session_id, question_id, bank_id, text, asked_at, position)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, question_id, bank_id, text, _now(), position),
            )
            return int(cur.lastrowid)

    # Takes ------------------------------------------------------------------------------

    def start_take(
        self, question_row_id: int, samplerate: int, channels: int
    ) -> tuple[int, RecordingWriter]:
        """Create the take row, then the on-disk recording that ``write`` appends to."""
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO takes (question_row_id, started_at, samplerate, channels, status)"
                " VALUES (?, ?, ?, ?, 'recording')",
                (question_row_id, _now(), samplerate, channels),
            )
            take_id = int(cur.lastrowid)
        try:
            writer = RecordingWriter(self.incoming_dir, take_id, samplerate, channels)
        except OSError as exc:
            self._mark_failed(take_id, f"could not start recording: {exc}")
            raise os_failure(exc, self.incoming_dir, "starting a recording") from exc
        with self._lock:
            self._recording.add(take_id)
        return take_id, writer

    def _final_path_for_take(self, take_id: int) -> str:
        with self.reading() as conn:
            return audio_path_for_take(conn, take_id)

    def finish_take(self, take_id: int, writer: RecordingWriter) -> TakeRecord:
        """Convert the recording to FLAC and mark the take complete.

        A take with no audio at all is marked 'failed' ("nothing was recorded") instead.

        If this fails the PCM stays in ``audio/incoming`` and ``recover()`` finishes the job
        at the next start.
        """
        return self._close_take(take_id, writer, status="complete", note=None)

    def fail_take(self, take_id: int, note: str, writer: RecordingWriter | None = None) -> None:
        """Mark a take failed.  Audio the writer already holds is kept with it (data is sacred);
        a writer with no audio is discarded."""
        if writer is not None and writer.frames_written > 0:
            self._close_take(take_id, writer, status="failed", note=note)
            return
        if writer is not None:
            writer.discard()
        with self._lock:
            self._recording.discard(take_id)
        self._mark_failed(take_id, note)

    def _close_take(
        self, take_id: int, writer: RecordingWriter, status: str, note: str | None
    ) -> TakeRecord:
        if writer.take_id != take_id:
            raise ValueError(f"writer is for take {writer.take_id}, not {take_id}")
        relative = self._final_path_for_take(take_id)
        try:
            _, duration = writer.finish(self.data_dir / relative)
        except EmptyRecordingError:
            self._mark_failed(take_id, note or EMPTY_NOTE)
            return self._existing_take(take_id)
        except OSError as exc:
            raise os_failure(exc, self.audio_dir, "saving a recording") from exc
        finally:
            with self._lock:
                self._recording.discard(take_id)
        with self._writing() as conn:
            conn.execute(
                "UPDATE takes SET status = ?, ended_at = ?, audio_path = ?, duration_s = ?,"
                " note = ? WHERE id = ?",
                (status, _now(), relative, duration, note, take_id),
            )
        return self._existing_take(take_id)

    def _existing_take(self, take_id: int) -> TakeRecord:
        take = self.get_take(take_id)
        if take is None:
            raise StoreError(f"Take {take_id} was deleted while it was being saved.")
        return take

    def _mark_failed(self, take_id: int, note: str) -> None:
        with self._writing() as conn:
            conn.execute(
                "UPDATE takes SET status = 'failed', ended_at = ?, note = ? WHERE id = ?",
                (_now(), note, take_id),
            )

    def get_take(self, take_id: int) -> TakeRecord | None:
        with self.reading() as conn:
            row = conn.execute(TAKE_SELECT + " WHERE t.id = ?", (take_id,)).fetchone()
        return take_from_row(row) if row is not None else None

    def takes_for_question(self, question_id: str) -> list[TakeRecord]:
        """Every take answering ``question_id`` across sessions, oldest first."""
        with self.reading() as conn:
            rows = conn.execute(
                TAKE_SELECT + " WHERE q.question_id = ? ORDER BY t.started_at, t.id",
                (question_id,),
            ).fetchall()
        return [take_from_row(r) for r in rows]

    def delete_take(self, take_id: int) -> bool:
        """Delete a take, its analyses and its audio; False if there was no such take.

        The row goes first (one transaction), the file after the commit: a crash in between
        leaves an orphan file, never a row pointing at nothing.
        """
        with self._writing() as conn:
            row = conn.execute("SELECT audio_path FROM takes WHERE id = ?", (take_id,)).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM takes WHERE id = ?", (take_id,))
        self.remove_take_files(take_id, row["audio_path"])
        return True

    def remove_take_files(self, take_id: int, audio_path: str | None) -> None:
        """Delete a deleted take's audio and any recording leftovers (after the commit: a
        failure leaves an orphan file, logged, never a row pointing at nothing)."""
        leftovers = [pcm_path(self.incoming_dir, take_id), self.incoming_dir / f"{take_id}.json"]
        if audio_path:
            leftovers.insert(0, self.data_dir / audio_path)
        for path in leftovers:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                log.error("take %d deleted but its file %s could not be: %s", take_id, path, exc)

    # Analyses ---------------------------------------------------------------------------

    def save_analysis(
        self, take_id: int, analysis: dict[str, Any], model: str, schema_version: int | None = None
    ) -> int:
        """Store an analysis as JSON.

        ``schema_version`` defaults to ``analysis["schema_version"]``, else 1.
        """
        if schema_version is None:
            schema_version = int(analysis.get("schema_version", 1))
        text = json.dumps(analysis, ensure_ascii=False, allow_nan=False)
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO analyses (take_id, created_at, model, schema_version, json)"
                " VALUES (?, ?, ?, ?, ?)",
                (take_id, _now(), model, schema_version, text),
            )
            return int(cur.lastrowid)

    def set_script(self, question_id: str, text: str) -> None:
        """Keep the script the user prepared for a question (empty text removes it)."""
        with self._writing() as conn:
            if text.strip():
                conn.execute(
                    "INSERT INTO scripts(question_id, text, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(question_id) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    (question_id, text, _now()),
                )
            else:
                conn.execute("DELETE FROM scripts WHERE question_id = ?", (question_id,))

    def script_for(self, question_id: str) -> str | None:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT text FROM scripts WHERE question_id = ?", (question_id,)
            ).fetchone()
        return None if row is None else row[0]

    def latest_analysis(self, take_id: int) -> dict[str, Any] | None:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT json FROM analyses WHERE take_id = ? ORDER BY id DESC LIMIT 1", (take_id,)
            ).fetchone()
        return json.loads(row["json"]) if row is not None else None

    # Start-up recovery ------------------------------------------------------------------

    def recover(self) -> list[TakeRecord]:
        """Finish what a crash interrupted; return the takes whose state changed.

        Leftover PCM becomes FLAC and its take 'recovered'.  A take still 'recording' with no
        PCM becomes 'recovered' if its FLAC exists (the crash hit between conversion and
        commit), else 'failed'.  Call at start-up, before recording anything.
        """
        with self.reading() as conn:
            try:
                changed = recover_takes(conn, self.data_dir, busy=set(self._recording))
            except OSError as exc:
                raise os_failure(exc, self.audio_dir, "recovering unfinished recordings") from exc
        return [t for t in (self.get_take(i) for i in sorted(changed)) if t is not None]

"""Open the SQLite database with the settings Offscript relies on, migrated to the latest schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from offscript.errors import StoreError
from offscript.store.failures import sqlite_failure
from offscript.store.migrations import migrate

BUSY_TIMEOUT_MS = 5000


def open_database(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``.

    The connection is in autocommit mode: callers group writes with :func:`transaction`.
    ``check_same_thread`` is off because the app finishes takes from a worker thread; the
    caller must serialise use of the connection (``Store`` holds a lock).
    Raises :class:`StoreError` for an unwritable folder, a damaged file, a full disk or a
    database made by a newer Offscript.
    """
    db_path = Path(path)
    if not db_path.parent.is_dir():
        raise StoreError(
            f"Offscript cannot create its database at {db_path}: {db_path.parent} is not a "
            "folder. Create it or set OFFSCRIPT_HOME to a writable folder."
        )
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        # The first real read of the file: a damaged or foreign file fails here.
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            # SQLite silently keeps the old mode when it cannot create the -wal/-shm files.
            raise StoreError(
                f"Offscript cannot use write-ahead logging for {db_path} (got {mode!r}); the "
                "folder may be read-only or on a network drive. Use a local, writable folder."
            )
        # FULL rather than NORMAL: in WAL mode NORMAL is already safe against an app crash
        # and never corrupts the file, but the last commits can vanish on power loss.  A
        # commit here is a take that points at an audio file the user just recorded, and we
        # write a handful of rows per minute, so one fsync per commit costs nothing noticeable.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
        _check_writable(conn)
    except StoreError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise sqlite_failure(exc, db_path) from exc
    return conn


def _check_writable(conn: sqlite3.Connection) -> None:
    """Fail now, not at the first recording, if the file opened read-only."""
    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {int(version):d}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in one write transaction: all of it commits, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

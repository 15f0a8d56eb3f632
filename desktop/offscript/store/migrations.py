"""Versioned schema: ``PRAGMA user_version`` says which steps of :data:`MIGRATIONS` ran.

Step ``n`` (1-based) takes a database from version ``n - 1`` to ``n``.  Each step runs in
its own ``BEGIN IMMEDIATE`` transaction together with the version bump, so a failure (or a
crash) leaves the database at the previous version with nothing half-applied: SQLite DDL
and ``user_version`` are both transactional.  Never edit a released step; append a new one
(``tests/fixtures/db/`` holds databases made by old versions to prove the upgrade path).

Timestamps are ISO-8601 UTC text; audio paths are POSIX paths relative to the data folder.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from offscript.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]

# AUTOINCREMENT on sessions and takes: their ids name audio files, so an id must never be
# reused after a delete (a reused id could point an old row's path at a new recording).
V1_STATEMENTS: tuple[str, ...] = (
    """
    CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        loop_id     TEXT NOT NULL,
        model       TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'active'
    )
    """,
    """
    CREATE TABLE questions (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        bank_id     TEXT NOT NULL,
        text        TEXT NOT NULL,
        asked_at    TEXT NOT NULL,
        position    INTEGER NOT NULL
    )
    """,
    "CREATE INDEX questions_by_question_id ON questions(question_id)",
    "CREATE INDEX questions_by_session ON questions(session_id, position)",
    """
    CREATE TABLE takes (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        question_row_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        started_at      TEXT NOT NULL,
        ended_at        TEXT,
        audio_path      TEXT,
        duration_s      REAL,
        samplerate      INTEGER NOT NULL,
        channels        INTEGER NOT NULL DEFAULT 1,
        status          TEXT NOT NULL DEFAULT 'recording'
                        CHECK (status IN ('recording', 'complete', 'recovered', 'failed')),
        note            TEXT
    )
    """,
    "CREATE INDEX takes_by_question_row ON takes(question_row_id)",
    """
    CREATE TABLE analyses (
        id              INTEGER PRIMARY KEY,
        take_id         INTEGER NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
        created_at      TEXT NOT NULL,
        model           TEXT NOT NULL,
        schema_version  INTEGER NOT NULL,
        json            TEXT NOT NULL
    )
    """,
    "CREATE INDEX analyses_by_take ON analyses(take_id, id)",
)


def _v1_initial(conn: sqlite3.Connection) -> None:
    for statement in V1_STATEMENTS:
        conn.execute(statement)


def _v2_scripts(conn: sqlite3.Connection) -> None:
    """Scripts the user pasted for a question, to detect an answer read from a script."""
    conn.execute(
        """
        CREATE TABLE scripts (
            question_id  TEXT PRIMARY KEY,
            text         TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        )
        """
    )


MIGRATIONS: Sequence[Migration] = (_v1_initial, _v2_scripts)


def latest_version() -> int:
    return len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, steps: Sequence[Migration] | None = None) -> int:
    """Bring ``conn`` up to the latest schema; return the version it ends at.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that this function
    controls the transactions.  The version is re-read inside each write transaction, so two
    processes opening the same old database cannot both run a step.
    """
    steps = MIGRATIONS if steps is None else steps
    known = len(steps)
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)
            if current > known:
                raise StoreError(
                    f"This database (schema version {current}) was made by a newer Offscript "
                    f"than this one (knows up to version {known}). Update Offscript, or "
                    "point OFFSCRIPT_HOME at another folder."
                )
            if current == known:
                conn.execute("COMMIT")
                return current
            steps[current](conn)
            # PRAGMA arguments cannot be bound; the value is an int we computed.
            conn.execute(f"PRAGMA user_version = {current + 1:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

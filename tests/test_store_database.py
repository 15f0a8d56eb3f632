"""The database: schema migrations, connection settings and errors a user can act on."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from offscript.errors import StoreError
from offscript.store import migrations
from offscript.store.database import open_database, transaction
from offscript.store.failures import sqlite_failure
from offscript.store.migrations import latest_version, migrate, schema_version

FIXTURES = Path(__file__).parent / "fixtures" / "db"

V1_TABLES = {"sessions", "questions", "takes", "analyses"}
V1_INDEXES = {
    "questions_by_question_id",
    "questions_by_session",
    "takes_by_question_row",
    "analyses_by_take",
}


def _names(conn: sqlite3.Connection, kind: str) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'", (kind,)
    )
    return {r[0] for r in rows}


def _schema_sql(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    ).fetchall()
    return [(r[0], " ".join(r[1].split())) for r in rows]


def test_empty_file_is_migrated_to_latest_schema(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "new.db")
    assert schema_version(conn) == latest_version() >= 1
    assert _names(conn, "table") >= V1_TABLES
    assert _names(conn, "index") >= V1_INDEXES
    conn.close()


def test_v1_fixture_upgrades_and_keeps_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1.db", db)  # never touch the committed snapshot
    conn = open_database(db)
    assert schema_version(conn) == latest_version()
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in V1_TABLES}
    assert counts == {"sessions": 2, "questions": 3, "takes": 3, "analyses": 2}
    take = conn.execute("SELECT * FROM takes WHERE id = 1").fetchone()
    assert (take["audio_path"], take["duration_s"], take["status"]) == (
        "audio/1/1.flac", 90.0, "complete",
    )
    conn.close()


def test_upgraded_fixture_has_same_schema_as_a_fresh_database(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1.db", old)
    upgraded, fresh = open_database(old), open_database(tmp_path / "fresh.db")
    assert _schema_sql(upgraded) == _schema_sql(fresh)
    upgraded.close()
    fresh.close()


def test_database_from_newer_offscript_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {latest_version() + 1}")
    raw.close()
    with pytest.raises(StoreError, match="was made by a newer Offscript"):
        open_database(db)
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == latest_version() + 1
    raw.close()


def test_failing_migration_step_rolls_back_completely(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)

    def half_then_fail(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE extra (x)")
        raise RuntimeError("step 2 broke")

    steps = [*migrations.MIGRATIONS, half_then_fail]
    with pytest.raises(RuntimeError, match="step 2 broke"):
        migrate(conn, steps)
    known = len(migrations.MIGRATIONS)
    assert schema_version(conn) == known, "the real steps committed on their own"
    assert "extra" not in _names(conn, "table"), "the failing step left nothing behind"
    assert not conn.in_transaction
    conn.close()


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    open_database(db).close()
    conn = open_database(db)
    assert schema_version(conn) == latest_version()
    assert migrate(conn) == latest_version()
    conn.close()


def test_connection_settings(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert isinstance(conn.execute("SELECT 1 AS one").fetchone(), sqlite3.Row)
    with transaction(conn):
        conn.execute(
            "INSERT INTO sessions (started_at, loop_id, model) VALUES ('t', 'l', 'm')"
        )
    assert (tmp_path / "s.db-wal").exists()
    conn.close()


def _populate(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        conn.execute("INSERT INTO sessions (id, started_at, loop_id, model) VALUES (1,'t','l','m')")
        conn.execute(
            "INSERT INTO questions VALUES (1, 1, 'q', 'b', 'text', 't', 0)"
        )
        conn.execute(
            "INSERT INTO takes (id, question_row_id, started_at, samplerate) VALUES (1,1,'t',16000)"
        )
        conn.execute("INSERT INTO analyses VALUES (1, 1, 't', 'm', 1, '{}')")


def test_deleting_a_session_cascades_to_questions_takes_and_analyses(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "fk.db")
    _populate(conn)
    with transaction(conn):
        conn.execute("DELETE FROM sessions WHERE id = 1")
    for table in ("questions", "takes", "analyses"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    conn.close()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "fk.db")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), transaction(conn):
        conn.execute("INSERT INTO questions VALUES (1, 999, 'q', 'b', 'text', 't', 0)")
    assert conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 0
    conn.close()


def test_take_status_is_constrained(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "ck.db")
    _populate(conn)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), transaction(conn):
        conn.execute("UPDATE takes SET status = 'done' WHERE id = 1")
    conn.close()


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "tx.db")
    with pytest.raises(ValueError), transaction(conn):
        conn.execute("INSERT INTO sessions (started_at, loop_id, model) VALUES ('t','l','m')")
        raise ValueError("abort")
    assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
    conn.close()


# Errors a user can act on ------------------------------------------------------------------


def test_corrupt_file_gives_clear_store_error(tmp_path: Path) -> None:
    db = tmp_path / "offscript.db"
    db.write_bytes(b"this is a shopping list, not a database\n" * 200)
    with pytest.raises(StoreError, match="damaged") as info:
        open_database(db)
    assert str(db) in str(info.value)
    assert db.read_bytes().startswith(b"this is a shopping list"), "never overwrite it"


def test_folder_that_is_really_a_file_gives_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="not a folder"):
        open_database(blocker / "offscript.db")


def test_database_path_that_is_a_folder_gives_store_error(tmp_path: Path) -> None:
    (tmp_path / "offscript.db").mkdir()
    with pytest.raises(StoreError, match="cannot open or create"):
        open_database(tmp_path / "offscript.db")


def test_full_disk_gives_store_error(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "full.db")
    _populate(conn)
    # A real SQLITE_FULL: cap the file at its current size, then write.
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as info, transaction(conn):
        conn.execute("INSERT INTO analyses VALUES (2, 1, 't', 'm', 1, ?)", ("x" * 200_000,))
    assert info.value.sqlite_errorname == "SQLITE_FULL"
    error = sqlite_failure(info.value, tmp_path / "full.db")
    assert isinstance(error, StoreError)
    assert "full" in str(error) and "Free some space" in str(error)
    conn.close()


READ_ONLY_PROBE = """
import sys
from pathlib import Path
from offscript.errors import StoreError
from offscript.store.database import open_database
from offscript.store.takes import Store
folder = Path(sys.argv[1])
for attempt in (lambda: open_database(folder / "new" / "offscript.db"),
                lambda: open_database(folder / "existing" / "offscript.db"),
                lambda: Store.open(folder / "new" / "data")):
    try:
        attempt()
    except StoreError as exc:
        print("StoreError:", exc)
    else:
        print("opened")
"""


def test_read_only_folder_gives_store_error() -> None:
    """Root ignores permissions, so when we are root the probe runs as 'nobody' instead."""
    run_as: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a folder unwritable")
        run_as = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    # Not tmp_path: pytest's base folder is private to root, so 'nobody' could not enter it.
    base = Path(tempfile.mkdtemp(prefix="offscript-ro-"))
    try:
        base.chmod(0o755)
        existing = base / "existing"
        existing.mkdir()
        open_database(existing / "offscript.db").close()
        (base / "new").mkdir()
        for folder in (existing, base / "new"):
            folder.chmod(0o555)
        result = subprocess.run(
            [*run_as, sys.executable, "-c", READ_ONLY_PROBE, str(base)],
            capture_output=True, text=True, timeout=60, check=False,
        )
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()
        assert len(lines) == 3, result.stdout
        for line in lines:
            assert line.startswith("StoreError:"), line
            assert re.search(r"cannot (open or create|write)", line), line
            assert "OFFSCRIPT_HOME" in line, "the message says how to fix it"
    finally:
        for folder in (base / "existing", base / "new"):
            if folder.exists():
                folder.chmod(0o755)
        shutil.rmtree(base)

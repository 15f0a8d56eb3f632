"""Upgrades: a database made by every released schema version opens in this Offscript without
losing a row, passes the integrity check, and takes new writes (tests/fixtures/db/)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from offscript.store.migrations import latest_version
from offscript.store.takes import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "db"
VERSIONS = sorted(int(p.stem.removeprefix("schema_v")) for p in FIXTURES.glob("schema_v*.db"))


def _dump(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    conn.close()
    return rows


def test_there_is_a_fixture_for_every_released_version() -> None:
    released = list(range(1, latest_version() + 1))
    assert released == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_old_database_upgrades_without_loss(version: int, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "offscript.db"
    shutil.copy(FIXTURES / f"schema_v{version}.db", db)  # never touch the committed snapshot
    before = _dump(db)
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == version

    with Store.open(home) as store:
        recovered = store.recover()  # what the app does at start-up
        take_id, writer = store.start_take(1, 16000, 1)  # new writes work on the old data
        writer.discard()
        store.set_script("new-question", "A new script.")
    after = _dump(db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()

    for table, rows in before.items():
        kept = after[table]
        if table == "takes":  # recover() settles the take left 'recording' (no audio: failed)
            settled = {t.id for t in recovered}
            kept = [r for r in kept if r[0] not in settled]
            rows = [r for r in rows if r[0] not in settled]
            assert settled <= {r[0] for r in before["takes"]}
        missing = set(rows) - set(kept)
        assert not missing, f"{table}: rows lost or changed in the upgrade: {missing}"
    assert take_id > max(r[0] for r in before["takes"]), "ids are never reused"
    print(f"\nschema v{version} -> v{latest_version()}: "
          + ", ".join(f"{t} {len(r)}" for t, r in before.items()) + " rows kept")

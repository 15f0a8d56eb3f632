"""Moving the data folder (Settings): copy, verify, switch, and only then remove the old copy.

The steps, in an order that leaves one complete data folder in use whatever fails or crashes:

1. Check the target: not the data folder nor inside it, empty or new, writable.  A marker
   file goes in first, so a copy left by a crash is recognised (and replaced) next time.
2. Copy every file except the database (recordings, settings, banks, logs) while the app keeps
   running; each copy is hashed (SHA-256) and fsynced.
3. With the store paused (no other thread reads or writes): copy what was added or changed
   since step 2, copy the database with SQLite's online backup API (a consistent snapshot
   that includes the WAL), and verify the copy: ``PRAGMA integrity_check``, the same row count
   in every table, every file's size and hash re-read from the target.
4. Write the pointer to the new folder (in the config folder, outside any data folder;
   atomic): this is the commit point.  The open store switches to the new folder.
5. Remove the old copy and leave a note there saying where the data went.

A failure or cancel before step 4 removes the partial copy and leaves the old folder in use,
untouched.  A crash before step 4 does the same at the next start (the old folder is used; the
marked partial copy is replaced by the next move into it).  A crash after step 4 starts on the
new folder; the old copy may still be there, which loses nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from offscript import paths
from offscript.errors import StoreError
from offscript.store.atomic import atomic_write_text, file_sha256, fsync_dir
from offscript.store.database import open_database
from offscript.store.takes import DB_NAME, Store
from offscript.tasks import CancelToken, Progress, no_progress

log = logging.getLogger(__name__)

MOVING_MARKER = ".offscript-move-in-progress"
MOVED_NOTE = "OFFSCRIPT-DATA-MOVED.txt"
DB_FILES = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + "-journal")
_CHUNK = 1 << 20


class RelocationError(StoreError):
    """The data folder cannot be moved there; nothing was changed."""


class CopiedFile(NamedTuple):
    size: int
    mtime_ns: int  # of the source when it was copied: a change means copy again
    sha256: str


@dataclass
class MoveResult:
    source: Path
    target: Path
    files: int
    bytes: int
    takes: int
    seconds: float
    old_removed: bool
    problems: list[str] = field(default_factory=list)  # leftovers in the old folder

    def summary(self) -> str:
        text = (
            f"Moved {self.takes} take(s), {self.files} file(s), {self.bytes / 1e6:.1f} MB to "
            f"{self.target} in {self.seconds:.1f} s."
        )
        if self.old_removed:
            return text + f" The old folder {self.source} was emptied."
        return text + f" Some files are left in {self.source}: {'; '.join(self.problems[:3])}"


# ---------------------------------------------------------------------------- checks


def _ignorable(folder: Path) -> set[str]:
    """Entries of ``folder`` that are not data: the config and cache folders when they live
    there (OFFSCRIPT_HOME), a moved-away note, the marker of our own interrupted copy."""
    names = {MOVED_NOTE, MOVING_MARKER}
    for other in (paths.config_dir(), paths.cache_dir()):
        if other.resolve().parent == folder:
            names.add(other.name)
    return names


def check_target(source: Path, target: Path | str) -> Path:
    """The resolved target if the data can move there, else :class:`RelocationError`."""
    source = Path(source).resolve()
    target = Path(target).expanduser()
    if not target.is_absolute():
        raise RelocationError(f"Choose a full folder path, not {str(target)!r}.")
    target = target.resolve()
    if target == source:
        raise RelocationError(f"{target} is already the data folder.")
    if target.is_relative_to(source):
        raise RelocationError(f"{target} is inside the current data folder: choose another.")
    if target.exists() and not target.is_dir():
        raise RelocationError(f"{target} is a file, not a folder.")
    if target.is_dir():
        try:
            present = {p.name for p in target.iterdir()}
        except OSError as exc:
            raise RelocationError(f"Offscript cannot look into {target}: {exc.strerror}.") from exc
        data = present - _ignorable(target)
        if data and MOVING_MARKER not in present:
            raise RelocationError(
                f"{target} is not empty: choose an empty or a new folder (nothing was moved)."
            )
    probe = target / (MOVING_MARKER + ".probe")
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise RelocationError(
            f"Offscript cannot write to {target} ({exc.strerror or exc}): choose a folder you "
            "can write to (nothing was moved)."
        ) from exc
    return target


# ---------------------------------------------------------------------------- copying


def copy_file(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst`` (fsynced); return the SHA-256 of what was read."""
    digest = hashlib.sha256()
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(_CHUNK):
            digest.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


def _data_files(source: Path) -> dict[str, os.stat_result]:
    """Every file to copy (relative path -> stat), the database excluded."""
    skip_top = _ignorable(source) | set(DB_FILES)
    found: dict[str, os.stat_result] = {}
    for root, dirs, files in os.walk(source):
        rel_root = Path(root).relative_to(source)
        if rel_root == Path("."):
            dirs[:] = [d for d in dirs if d not in skip_top]
            files = [f for f in files if f not in skip_top]
        for name in files:
            path = Path(root) / name
            st = path.stat()
            found[(rel_root / name).as_posix()] = st
    return found


def _copy_all(
    source: Path, target: Path, todo: dict[str, os.stat_result], copied: dict[str, CopiedFile],
    progress: Progress, done: float, total: float, cancel: CancelToken | None,
) -> float:  # fmt: skip
    for rel, st in sorted(todo.items()):
        if cancel is not None:
            cancel.raise_if_cancelled()
        digest = copy_file(source / rel, target / rel)
        copied[rel] = CopiedFile(st.st_size, st.st_mtime_ns, digest)
        done += st.st_size
        progress(done, total)
    return done


def _catch_up(source: Path, target: Path, copied: dict[str, CopiedFile]) -> None:
    """Second pass with the store paused: files added, changed or removed since the first."""
    now = _data_files(source)
    for rel in set(copied) - set(now):
        (target / rel).unlink(missing_ok=True)
        del copied[rel]
    changed = {
        rel: st for rel, st in now.items()
        if rel not in copied or copied[rel][:2] != (st.st_size, st.st_mtime_ns)
    }  # fmt: skip
    _copy_all(source, target, changed, copied, no_progress, 0, 1, None)


def _backup_database(conn: sqlite3.Connection, target_db: Path) -> None:
    dest = sqlite3.connect(target_db)
    try:
        conn.backup(dest)
    finally:
        dest.close()


def _verify(
    conn: sqlite3.Connection, target: Path, copied: dict[str, CopiedFile]
) -> sqlite3.Connection:
    """Open the copied database and check it and every file against the source; the open
    connection if all is well, else StoreError (the connection closed)."""
    new = open_database(target / DB_NAME)
    try:
        check = new.execute("PRAGMA integrity_check").fetchall()
        if [tuple(r) for r in check] != [("ok",)]:
            raise StoreError(f"the copied database fails its integrity check: {check[:3]}")
        tables = [
            r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]  # fmt: skip
        for table in tables:
            q = f'SELECT count(*) FROM "{table}"'
            a, b = conn.execute(q).fetchone()[0], new.execute(q).fetchone()[0]
            if a != b:
                raise StoreError(f"the copied database has {b} rows in {table}, not {a}")
        for rel, info in copied.items():
            path = target / rel
            if path.stat().st_size != info.size or file_sha256(path) != info.sha256:
                raise StoreError(f"the copy of {rel} differs from the original")
    except BaseException:
        new.close()
        raise
    return new


# ---------------------------------------------------------------------------- the move


def move_data_folder(
    store: Store, target: Path | str, progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> MoveResult:  # fmt: skip
    """Move the store's data folder to ``target`` (see the module docstring); the store, and
    every later start, then use ``target``.  Raises StoreError (RelocationError when refused
    up front) or ``Cancelled``; the old folder is then untouched and still in use."""
    started = time.monotonic()
    source = store.data_dir.resolve()
    target = check_target(source, target)
    copied: dict[str, CopiedFile] = {}
    marker = target / MOVING_MARKER
    try:
        if marker.exists():
            _clear(target)  # a copy a crash interrupted: ours to replace
        atomic_write_text(marker, f"Offscript is copying its data folder {source} here.\n")
        todo = _data_files(source)
        db_bytes = (source / DB_NAME).stat().st_size if (source / DB_NAME).exists() else 0
        total = float(sum(st.st_size for st in todo.values()) + db_bytes) or 1.0
        done = _copy_all(source, target, todo, copied, progress, 0.0, total, cancel)
        (target / "audio" / "incoming").mkdir(parents=True, exist_ok=True)  # may be empty
        with store.paused() as conn:
            if cancel is not None:
                cancel.raise_if_cancelled()
            _catch_up(source, target, copied)
            _backup_database(conn, target / DB_NAME)
            progress(done + db_bytes * 0.5, total)
            new_conn = _verify(conn, target, copied)
            takes = int(new_conn.execute("SELECT count(*) FROM takes").fetchone()[0])
            try:
                marker.unlink()
                fsync_dir(target)
                paths.set_data_dir(target)  # the commit point
            except BaseException:
                new_conn.close()
                raise
            store.rebase(target, new_conn)
    except BaseException as exc:
        _undo_copy(target)
        if isinstance(exc, OSError):
            raise StoreError(
                f"Moving the data folder failed ({exc.strerror or exc}"
                f"{': ' + str(exc.filename) if exc.filename else ''}); nothing was moved and "
                f"your data is still in {source}."
            ) from exc
        raise
    progress(total, total)
    problems = _remove_old(source, target, copied)
    n_bytes = sum(c.size for c in copied.values()) + db_bytes
    return MoveResult(
        source, target, len(copied), n_bytes, takes, time.monotonic() - started,
        old_removed=not problems, problems=problems,
    )  # fmt: skip


def _clear(target: Path) -> None:
    """Remove everything of ours from ``target`` (a partial copy), keeping what is ignorable."""
    keep = _ignorable(target) - {MOVING_MARKER}
    for entry in target.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _undo_copy(target: Path) -> None:
    """After a failure: remove the partial copy; if that fails too, the marker stays so the
    next move into ``target`` can replace it."""
    try:
        _clear(target)
        (target / MOVING_MARKER).unlink(missing_ok=True)
        if not any(target.iterdir()):
            target.rmdir()
    except OSError as exc:
        log.warning("could not remove the partial copy in %s: %s", target, exc)


def _remove_old(source: Path, target: Path, copied: dict[str, CopiedFile]) -> list[str]:
    """Delete the old copy (only the files that were copied, and the database), prune empty
    folders and leave a note; return what could not be removed."""
    problems: list[str] = []
    for rel in [*copied, *DB_FILES]:
        try:
            (source / rel).unlink(missing_ok=True)
        except OSError as exc:
            problems.append(f"{rel}: {exc.strerror or exc}")
    skip_top = _ignorable(source)
    for root, _dirs, _files in os.walk(source, topdown=False):
        here = Path(root)
        if here == source:
            break
        if here.relative_to(source).parts[0] in skip_top:
            continue
        with contextlib.suppress(OSError):  # not empty: holds something not ours to remove
            here.rmdir()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        atomic_write_text(
            source / MOVED_NOTE,
            f"Offscript's data (recordings, history, settings) was moved to\n{target}\non {when}."
            "\nThis folder can be deleted.\n",
        )
    except OSError as exc:
        problems.append(f"note: {exc.strerror or exc}")
    (target / MOVED_NOTE).unlink(missing_ok=True)  # a note from an earlier move out of it
    return problems

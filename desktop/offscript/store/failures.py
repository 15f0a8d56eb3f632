"""Turn low-level storage failures into StoreErrors that say what is wrong and what to do."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from offscript.errors import StoreError

_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}
_NOT_A_FOLDER_ERRNOS = {errno.ENOTDIR, errno.EEXIST, errno.ENOENT}


def disk_full_error(where: Path) -> StoreError:
    return StoreError(
        f"The disk holding {where} is full, so Offscript cannot save. "
        "Free some space and try again."
    )


def read_only_error(where: Path) -> StoreError:
    return StoreError(
        f"Offscript cannot write to {where}: the folder is read-only or not yours. "
        "Fix its permissions or set OFFSCRIPT_HOME to a writable folder."
    )


def sqlite_failure(exc: sqlite3.Error, db_path: Path) -> StoreError:
    """A StoreError for a sqlite3 exception raised while using the database at ``db_path``."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return disk_full_error(db_path.parent)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StoreError(
            f"Offscript cannot write to its database {db_path}: the file or its folder is "
            "read-only or not yours. Fix the permissions or set OFFSCRIPT_HOME to a writable "
            "folder."
        )
    if name.startswith("SQLITE_NOTADB") or name.startswith("SQLITE_CORRUPT") or (
        "not a database" in text or "malformed" in text
    ):
        return StoreError(
            f"The database {db_path} is damaged ({exc}). Move it somewhere safe and restart "
            "Offscript to start a new one; your recordings in the audio folder are kept."
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return StoreError(
            f"Offscript cannot open or create its database at {db_path}: the folder is missing, "
            "read-only or not a folder. Fix it or set OFFSCRIPT_HOME to a writable folder."
        )
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "locked" in text:
        return StoreError(
            f"The database {db_path} is locked by another program (another Offscript?). "
            "Close it and try again."
        )
    return StoreError(f"The database {db_path} failed: {exc}.")


def os_failure(exc: OSError, where: Path, action: str) -> StoreError:
    """A StoreError for an OSError raised while ``action`` (e.g. 'saving a recording')."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return disk_full_error(where)
    if exc.errno in _READ_ONLY_ERRNOS:
        return read_only_error(where)
    if exc.errno in _NOT_A_FOLDER_ERRNOS:
        return StoreError(
            f"Offscript cannot use {where} while {action}: a parent is missing or is a file, "
            "not a folder. Fix it or set OFFSCRIPT_HOME to a writable folder."
        )
    return StoreError(f"Offscript failed while {action} at {where}: {exc.strerror or exc}.")

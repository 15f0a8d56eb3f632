"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The recipe is write a temp file in the same folder -> flush -> fsync -> ``os.replace`` ->
fsync the folder.  Same folder because ``os.replace`` is only atomic within one file
system; fsync of the folder because on Linux the rename itself is not durable until the
directory entry reaches the disk.  Temp files carry :data:`TEMP_MARKER` in their name so
that a crash in the middle leaves something :func:`remove_stale_temp_files` can find.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_MARKER = ".offscript-tmp"


def fsync_path(path: Path) -> None:
    """Push a file's data (already handed to the OS) down to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    """Make renames, creations and deletions in ``directory`` durable (no-op on Windows)."""
    if os.name == "nt":  # Windows cannot open a directory; NTFS journals the rename itself.
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """Yield a temp path next to ``path``; on clean exit it replaces ``path`` durably.

    The caller writes and closes the temp file inside the ``with`` block.  On any error
    (inside the block, or while syncing/replacing) the temp file is removed and ``path`` is
    left exactly as it was.  The temp name keeps ``path``'s suffix so tools that guess a
    format from the extension still work.  New files get mode 0600 (private user data).
    """
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f"{TEMP_MARKER}{target.suffix}", dir=target.parent
    )
    os.close(fd)
    temp = Path(temp_name)
    try:
        yield temp
        fsync_path(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably."""
    with atomic_output(path) as temp, open(temp, "wb") as f:
        f.write(data)


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically and durably (no newline translation)."""
    atomic_write_bytes(path, text.encode(encoding))


def remove_stale_temp_files(directory: Path) -> list[Path]:
    """Delete temp files that a crash left in ``directory`` (not recursive).

    Only call this when no write can be in progress (at start-up): a live temp file looks
    exactly like a stale one.  The real files they were meant to replace are untouched.
    """
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for candidate in directory.iterdir():
        if TEMP_MARKER in candidate.name and candidate.is_file():
            try:
                candidate.unlink()
                removed.append(candidate)
            except OSError as exc:
                log.warning("could not remove stale temp file %s: %s", candidate, exc)
    return removed


def file_sha256(path: Path, chunk: int = 4 * 1024 * 1024) -> str:
    """SHA-256 of a file's bytes, read in chunks (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()

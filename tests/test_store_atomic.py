"""Atomic writes: the file is the old one or the new one, never a mix, and no temp is left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from offscript.store import atomic
from offscript.store.atomic import (
    TEMP_MARKER,
    atomic_output,
    atomic_write_bytes,
    atomic_write_text,
    remove_stale_temp_files,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of our own (tmp_path also holds the autouse OFFSCRIPT_HOME)."""
    path = tmp_path / "files"
    path.mkdir()
    return path


def test_write_bytes_creates_file_and_leaves_only_it(folder: Path) -> None:
    target = folder / "settings.json"
    atomic_write_bytes(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert sorted(p.name for p in folder.iterdir()) == ["settings.json"]


def test_write_text_replaces_existing_content(folder: Path) -> None:
    target = folder / "notes.txt"
    target.write_text("old", encoding="utf-8")
    atomic_write_text(target, "new – ünïcode\n")
    assert target.read_text(encoding="utf-8") == "new – ünïcode\n"
    assert list(folder.iterdir()) == [target]


def test_failed_replace_keeps_old_file_and_removes_temp(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "take.flac"
    target.write_bytes(b"precious old audio")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"precious old audio"
    assert list(folder.iterdir()) == [target]


def test_error_inside_block_keeps_old_file_and_removes_temp(folder: Path) -> None:
    target = folder / "report.html"
    target.write_text("old report", encoding="utf-8")
    with pytest.raises(RuntimeError, match="encoder blew up"), atomic_output(target) as temp:
        temp.write_text("half a rep", encoding="utf-8")
        raise RuntimeError("encoder blew up")
    assert target.read_text(encoding="utf-8") == "old report"
    assert list(folder.iterdir()) == [target]


def test_atomic_output_temp_is_a_hidden_sibling_with_same_suffix(folder: Path) -> None:
    target = folder / "answer.flac"
    with atomic_output(target) as temp:
        assert temp.parent == folder
        assert temp.name.startswith(".") and temp.suffix == ".flac"
        assert TEMP_MARKER in temp.name
        temp.write_bytes(b"x")
        assert not target.exists(), "target must not appear before the block ends"
    assert target.read_bytes() == b"x"


def test_write_is_fsynced_before_replace(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(
        atomic.os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))
    )
    atomic_write_bytes(folder / "f", b"data")
    # file fsync, then the rename, then the directory fsync
    assert calls == ["fsync", "replace", "fsync"]


def test_remove_stale_temp_files_only_removes_temps(folder: Path) -> None:
    keep = folder / "1.flac"
    keep.write_bytes(b"audio")
    stale = folder / f".1.abc{TEMP_MARKER}.flac"
    stale.write_bytes(b"half")
    assert remove_stale_temp_files(folder) == [stale]
    assert list(folder.iterdir()) == [keep]

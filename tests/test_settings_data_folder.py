"""Moving the data folder (Settings): everything arrives, verified, the next start uses it, and
every refusal or failure leaves the old folder intact and in use."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from offscript import paths
from offscript.errors import StoreError
from offscript.settings import Settings, load_settings, save_settings
from offscript.store import relocate
from offscript.store.relocate import MOVED_NOTE, MOVING_MARKER, RelocationError, move_data_folder
from offscript.store.takes import Store
from offscript.tasks import Cancelled, CancelToken

SR = 16_000


def _fill(store: Store, takes: int, seconds: float = 0.5) -> list[int]:
    """Sessions with finished takes (real FLAC), analyses, a script, settings, a bank, a log."""
    session = store.create_session("loop", "fast")
    rng = np.random.default_rng(1)
    ids = []
    for i in range(takes):
        q = store.add_question(session, f"q{i}", "bank", f"Question {i}?", i)
        take_id, writer = store.start_take(q, SR, 1)
        writer.write((0.1 * rng.standard_normal(int(seconds * SR))).astype(np.float32))
        store.finish_take(take_id, writer)
        store.save_analysis(take_id, {"schema_version": 1, "n": i}, "fast")
        ids.append(take_id)
    store.set_script("q0", "My prepared answer.")
    save_settings(Settings(speed=1.25, theme="dark"))
    (store.data_dir / "banks").mkdir(exist_ok=True)
    (store.data_dir / "banks" / "mine.toml").write_text("# my bank\n", encoding="utf-8")
    (store.data_dir / "logs").mkdir(exist_ok=True)
    (store.data_dir / "logs" / "crash-1.log").write_text("trace\n", encoding="utf-8")
    return ids


def _snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file (the database read through SQLite, see below)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.startswith("offscript.db"):
            out[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _rows(store: Store) -> dict[str, list]:
    with store.reading() as conn:
        return {
            t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("sessions", "questions", "takes", "analyses")
        }


def test_settings_move_data_folder_moves_everything_and_the_next_start_uses_it(
    offscript_home: Path, tmp_path: Path
) -> None:
    store = Store.open()
    ids = _fill(store, takes=5)
    before_files = _snapshot(offscript_home)
    before_rows = _rows(store)
    target = tmp_path / "elsewhere" / "Offscript data"
    reports: list[tuple[float, float]] = []

    result = move_data_folder(store, target, lambda d, t: reports.append((d, t)))

    assert result.target == target.resolve() and result.takes == 5 and result.old_removed
    assert reports and reports[-1][0] == reports[-1][1]
    assert store.data_dir == target.resolve() and paths.data_dir() == target.resolve()
    moved = _snapshot(target)
    expected = {k: v for k, v in before_files.items() if not k.startswith(("config/", "cache/"))}
    assert moved == expected, "every file arrived, byte for byte"
    assert _rows(store) == before_rows, "the open store now reads the copy"
    assert all(store.audio_file(store.get_take(i)).is_relative_to(target.resolve()) for i in ids)
    # The old folder keeps only the config (with the pointer) and a note saying where it went.
    left = sorted(p.relative_to(offscript_home).as_posix() for p in offscript_home.rglob("*"))
    assert left == sorted(["config", f"config/{paths.DATA_POINTER}", MOVED_NOTE])
    assert str(target.resolve()) in (offscript_home / MOVED_NOTE).read_text(encoding="utf-8")
    pointer = json.loads((offscript_home / "config" / paths.DATA_POINTER).read_text("utf-8"))
    assert pointer == {"data_dir": str(target.resolve())}
    # The store keeps working where it now is.
    q = store.add_question(store.create_session("loop", "fast"), "q9", "bank", "Again?", 0)
    take_id, writer = store.start_take(q, SR, 1)
    writer.write(np.zeros(SR, np.float32))
    assert store.finish_take(take_id, writer).audio_path
    assert (target / "audio").is_dir() and not (offscript_home / "audio").exists()
    store.close()

    # A restart (new process, same OFFSCRIPT_HOME) opens the moved folder and its settings.
    child = subprocess.run(
        [sys.executable, "-c", (
            "from offscript.store.takes import Store\n"
            "from offscript.settings import load_settings\n"
            "s = Store.open()\n"
            "print(s.data_dir, len(s.list_sessions()), s.script_for('q0'), load_settings().speed)"
        )],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(),
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    assert child.stdout.split("\n")[0] == f"{target.resolve()} 2 My prepared answer. 1.25"
    assert load_settings().theme == "dark"


def test_settings_move_data_folder_back_to_the_default_place(offscript_home, tmp_path) -> None:
    with Store.open() as store:
        _fill(store, takes=2)
        rows = _rows(store)
        move_data_folder(store, tmp_path / "away")
        back = move_data_folder(store, offscript_home)  # holds config/ and the note: allowed
        assert back.old_removed and _rows(store) == rows
        assert not (offscript_home / "config" / paths.DATA_POINTER).exists()
        assert not (offscript_home / MOVED_NOTE).exists()
        assert (tmp_path / "away" / MOVED_NOTE).exists()
    assert paths.data_dir() == offscript_home


@pytest.mark.parametrize("where", ["non-empty", "itself", "inside", "a file"])
def test_settings_move_data_folder_refuses_bad_targets(where, offscript_home, tmp_path) -> None:
    store = Store.open()
    _fill(store, takes=2)
    before = _snapshot(offscript_home)
    target = {
        "non-empty": tmp_path / "busy",
        "itself": offscript_home,
        "inside": offscript_home / "audio" / "sub",
        "a file": tmp_path / "file.txt",
    }[where]
    if where == "non-empty":
        target.mkdir()
        (target / "holiday.jpg").write_bytes(b"not ours")
    if where == "a file":
        target.write_text("x", encoding="utf-8")
    with pytest.raises(RelocationError, match=r"not empty|already the data folder|inside|a file"):
        move_data_folder(store, target)
    assert _snapshot(offscript_home) == before and store.data_dir == offscript_home
    assert paths.moved_data_dir() is None
    if where == "non-empty":
        assert [p.name for p in target.iterdir()] == ["holiday.jpg"], "the folder is untouched"
    store.close()


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """An empty read-only tmpfs (root can write through chmod, so a mount it is)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "ro"
    point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(point)],
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode != 0:
        pytest.skip(f"mount not permitted here: {result.stderr.strip()}")
    yield point
    subprocess.run(["umount", str(point)], check=False)


def test_settings_move_data_folder_refuses_a_read_only_target(
    read_only_folder, offscript_home
) -> None:
    with Store.open() as store:
        _fill(store, takes=2)
        before = _snapshot(offscript_home)
        with pytest.raises(RelocationError, match="cannot write to"):
            move_data_folder(store, read_only_folder / "data")
        assert _snapshot(offscript_home) == before and paths.moved_data_dir() is None


def _assert_untouched(store: Store, home: Path, before: dict, rows: dict, target: Path) -> None:
    assert store.data_dir == home and paths.data_dir() == home
    assert _snapshot(home) == before and _rows(store) == rows
    assert not target.exists(), "the partial copy was removed"
    with store.reading() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    q = store.add_question(store.create_session("loop", "fast"), "q9", "bank", "Again?", 0)
    take_id, writer = store.start_take(q, SR, 1)  # still in use, still writable
    writer.write(np.zeros(SR, np.float32))
    assert store.finish_take(take_id, writer).audio_path.startswith("audio/")
    assert (home / store.get_take(take_id).audio_path).is_file()


def test_settings_move_data_folder_failing_mid_copy_keeps_the_old_folder_in_use(
    offscript_home, tmp_path, monkeypatch
) -> None:
    store = Store.open()
    _fill(store, takes=6)
    before, rows = _snapshot(offscript_home), _rows(store)
    real_copy, calls = relocate.copy_file, []

    def disk_full_on_the_fourth(src: Path, dst: Path) -> str:
        calls.append(src)
        if len(calls) == 4:
            dst.write_bytes(b"half a fi")
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_copy(src, dst)

    monkeypatch.setattr(relocate, "copy_file", disk_full_on_the_fourth)
    target = tmp_path / "usb"
    with pytest.raises(StoreError, match=r"No space left.*nothing was moved.*still in"):
        move_data_folder(store, target)
    _assert_untouched(store, offscript_home, before, rows, target)
    store.close()


def test_settings_move_data_folder_failing_verification_keeps_the_old_folder_in_use(
    offscript_home, tmp_path, monkeypatch
) -> None:
    store = Store.open()
    _fill(store, takes=3)
    before, rows = _snapshot(offscript_home), _rows(store)
    real_copy = relocate.copy_file

    def flipping_a_bit(src: Path, dst: Path) -> str:  # a bad disk: the copy differs
        digest = real_copy(src, dst)
        if src.suffix == ".flac":
            data = bytearray(dst.read_bytes())
            data[-1] ^= 1
            dst.write_bytes(bytes(data))
        return digest

    monkeypatch.setattr(relocate, "copy_file", flipping_a_bit)
    target = tmp_path / "bad-disk"
    with pytest.raises(StoreError, match="differs from the original"):
        move_data_folder(store, target)
    _assert_untouched(store, offscript_home, before, rows, target)
    store.close()


def test_settings_move_data_folder_cancelled_keeps_the_old_folder(offscript_home, tmp_path):
    store = Store.open()
    _fill(store, takes=3)
    before, rows = _snapshot(offscript_home), _rows(store)
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        move_data_folder(store, tmp_path / "new", lambda d, t: cancel.cancel(), cancel)
    _assert_untouched(store, offscript_home, before, rows, tmp_path / "new")
    store.close()


def test_settings_move_data_folder_into_a_copy_a_crash_left_replaces_it(
    offscript_home, tmp_path
) -> None:
    target = tmp_path / "new"
    target.mkdir()
    (target / MOVING_MARKER).write_text("interrupted", encoding="utf-8")
    (target / "audio").mkdir()
    (target / "audio" / "partial.flac").write_bytes(b"half")
    with Store.open() as store:
        _fill(store, takes=2)
        move_data_folder(store, target)
        assert not (target / "audio" / "partial.flac").exists()
        assert not (target / MOVING_MARKER).exists()
        assert len(store.list_sessions()) == 1


def test_settings_move_data_folder_refuses_while_recording(offscript_home, tmp_path) -> None:
    with Store.open() as store:
        _fill(store, takes=1)
        q = store.add_question(store.create_session("loop", "fast"), "q", "bank", "Q?", 0)
        take_id, writer = store.start_take(q, SR, 1)
        with pytest.raises(StoreError, match="recording is in progress"):
            move_data_folder(store, tmp_path / "new")
        assert not (tmp_path / "new").exists() and store.data_dir == offscript_home
        writer.write(np.zeros(SR, np.float32))
        store.finish_take(take_id, writer)


def test_settings_missing_moved_data_folder_is_a_clear_error(offscript_home, tmp_path) -> None:
    with Store.open() as store:
        move_data_folder(store, tmp_path / "usb")
    shutil.move(tmp_path / "usb", tmp_path / "unplugged")
    with pytest.raises(StoreError, match=r"cannot be found.*connect it"):
        Store.open()
    assert not (tmp_path / "usb").exists(), "no empty data folder was made in its place"


def test_settings_move_data_folder_of_500_takes_benchmark(offscript_home, tmp_path) -> None:
    """500 one-minute takes (FLAC-sized files, ~250 MB): the figure for the README."""
    store = Store.open()
    _fill(store, takes=500, seconds=0.05)
    rng = np.random.default_rng(0)
    blob = rng.bytes(500_000)  # a one-minute spoken answer is ~0.5 MB of FLAC at 16 kHz
    for flac in (offscript_home / "audio").rglob("*.flac"):
        flac.write_bytes(blob)
    t0 = time.perf_counter()
    result = move_data_folder(store, tmp_path / "new")
    took = time.perf_counter() - t0
    print(f"\nmoved {result.takes} takes, {result.files} files, {result.bytes / 1e6:.0f} MB "
          f"in {took:.2f} s (copy, fsync, SQLite backup, integrity check, re-hash, delete old)")
    assert result.takes == 500 and result.old_removed
    assert len(list((tmp_path / "new" / "audio").rglob("*.flac"))) == 500
    store.close()


# ------------------------------------------------------------------------------ the dialog


def _dialog(qtbot, speech_dir):
    import soundfile as sf

    from offscript.ui.settings_dialog import SettingsDialog
    from offscript.ui.workers import JobRunner
    from ui_support import fake_services

    clip = "mfamono_acoustic_corpus"
    samples, sr = sf.read(speech_dir / "audio" / f"{clip}.wav", dtype="float32")
    services, _fakes = fake_services(samples, speech_dir / "words" / f"{clip}.json", sr)
    jobs = JobRunner()
    dialog = SettingsDialog(services, jobs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, services, jobs


def test_settings_dialog_moves_the_data_folder_with_progress(
    qtbot, speech_dir, offscript_home, tmp_path
) -> None:
    from ui_support import save_screenshot

    dialog, services, jobs = _dialog(qtbot, speech_dir)
    _fill(services.store, takes=3)
    assert dialog.data_path.text() == str(offscript_home)
    target = tmp_path / "Documents" / "Offscript"
    dialog.move_data_folder_to(str(target))
    assert not dialog.move_btn.isEnabled() and dialog.move_progress.isVisible()
    qtbot.waitUntil(lambda: dialog.move_btn.isEnabled(), timeout=20_000)
    assert dialog.status.text().startswith("Moved 3 take(s)"), dialog.status.text()
    assert dialog.data_path.text() == str(target.resolve())
    assert services.store.data_dir == target.resolve() and len(services.store.list_sessions()) == 1
    save_screenshot(dialog, "settings_data_folder_moved")
    dialog.speed_spin.setValue(1.5)
    dialog.accept()  # later settings go to the new folder
    assert json.loads((target / "settings.json").read_text("utf-8"))["speed"] == 1.5
    jobs.wait()
    services.store.close()


def test_settings_dialog_says_why_a_move_was_refused(qtbot, speech_dir, offscript_home, tmp_path):
    dialog, services, jobs = _dialog(qtbot, speech_dir)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "letter.odt").write_bytes(b"x")
    dialog.move_data_folder_to(str(busy))
    qtbot.waitUntil(lambda: dialog.move_btn.isEnabled(), timeout=20_000)
    assert "is not empty" in dialog.status.text() and "nothing was moved" in dialog.status.text()
    assert dialog.data_path.text() == str(offscript_home)
    assert services.store.data_dir == offscript_home
    dialog.reject()
    jobs.wait()
    services.store.close()

"""The Store: what the app and CLI see of sessions, questions, takes and analyses."""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from offscript.errors import StoreError
from offscript.store import Store, TakeRecord
from offscript.store.recordings import RecordingWriter, pcm_path

RATE = 16000


def _tone(seconds: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open() as opened:
        yield opened


def _record(store: Store, question_row: int, seconds: float = 0.5) -> TakeRecord:
    take_id, writer = store.start_take(question_row, RATE, 1)
    writer.write(_tone(seconds))
    return store.finish_take(take_id, writer)


def _question(store: Store, question_id: str = "why-us", position: int = 0) -> int:
    session = store.create_session("daily", "base.en")
    return store.add_question(session, question_id, "general", "Why us?", position)


def test_open_defaults_to_offscript_home_and_creates_layout(offscript_home: Path) -> None:
    with Store.open() as store:
        assert store.data_dir == offscript_home
    assert (offscript_home / "offscript.db").is_file()
    assert (offscript_home / "audio" / "incoming").is_dir()


def test_finish_take_saves_flac_under_session_folder(store: Store) -> None:
    session = store.create_session("daily", "base.en")
    row = store.add_question(session, "why-us", "general", "Why us?", 0)
    take = _record(store, row, seconds=1.25)
    assert take.status == "complete"
    assert take.audio_path == f"audio/{session}/{take.id}.flac"
    assert take.duration_s == pytest.approx(1.25)
    assert (take.session_id, take.question_id, take.samplerate) == (session, "why-us", RATE)
    audio, rate = sf.read(store.audio_file(take), dtype="float32")
    assert rate == RATE and len(audio) == int(1.25 * RATE)
    assert take.ended_at is not None and take.ended_at >= take.started_at


def test_records_are_plain_json(store: Store) -> None:
    take = _record(store, _question(store))
    store.save_analysis(take.id, {"wpm": 150.5, "flags": [{"word": "um"}]}, model="base.en")
    again = store.get_take(take.id)
    assert again is not None
    assert json.loads(json.dumps(dataclasses.asdict(again)))["analysis"]["wpm"] == 150.5
    json.dumps([dataclasses.asdict(s) for s in store.list_sessions()])


def test_latest_analysis_wins(store: Store) -> None:
    take = _record(store, _question(store))
    assert store.latest_analysis(take.id) is None
    store.save_analysis(take.id, {"v": 1}, model="base.en")
    second = store.save_analysis(take.id, {"v": 2, "schema_version": 3}, model="small.en")
    assert store.latest_analysis(take.id) == {"v": 2, "schema_version": 3}
    row = store._conn.execute(
        "SELECT model, schema_version FROM analyses WHERE id = ?", (second,)
    ).fetchone()
    assert tuple(row) == ("small.en", 3)


def test_takes_for_question_across_sessions_oldest_first(store: Store) -> None:
    first = _record(store, _question(store, "why-us"))
    _record(store, _question(store, "other-question"))
    second_row = _question(store, "why-us")
    second = _record(store, second_row)
    third = _record(store, second_row)
    store.save_analysis(second.id, {"score": 1}, "m")
    store.save_analysis(second.id, {"score": 2}, "m")
    takes = store.takes_for_question("why-us")
    assert [t.id for t in takes] == [first.id, second.id, third.id]
    assert [t.analysis for t in takes] == [None, {"score": 2}, None]
    assert len({t.session_id for t in takes}) == 2
    assert store.takes_for_question("never-asked") == []


def test_list_sessions_newest_first_with_take_counts(store: Store) -> None:
    old = store.create_session("daily", "base.en")
    row = store.add_question(old, "q", "b", "text", 0)
    _record(store, row)
    _record(store, row)
    store.end_session(old)
    new = store.create_session("mock", "small.en")
    sessions = store.list_sessions(limit=10)
    assert [(s.id, s.take_count, s.status) for s in sessions] == [
        (new, 0, "active"),
        (old, 2, "ended"),
    ]
    assert sessions[1].ended_at is not None
    assert [s.id for s in store.list_sessions(limit=1)] == [new]


def test_delete_take_removes_row_analyses_and_audio(store: Store) -> None:
    take = _record(store, _question(store))
    store.save_analysis(take.id, {"x": 1}, "m")
    audio = store.audio_file(take)
    assert audio is not None and audio.exists()
    assert store.delete_take(take.id) is True
    assert not audio.exists()
    assert store.get_take(take.id) is None
    assert store.latest_analysis(take.id) is None
    assert store.delete_take(take.id) is False


def test_delete_take_logs_when_file_cannot_be_removed(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    take = _record(store, _question(store))
    audio = store.audio_file(take)
    assert audio is not None
    audio.unlink()
    audio.mkdir()  # unlink() on a folder fails: stands in for a locked file
    with caplog.at_level(logging.ERROR, logger="offscript.store.takes"):
        assert store.delete_take(take.id) is True
    assert store.get_take(take.id) is None, "the row goes even if the file cannot"
    assert "could not be" in caplog.text


def test_take_ids_are_not_reused_after_delete(store: Store) -> None:
    row = _question(store)
    take = _record(store, row)
    store.delete_take(take.id)
    assert _record(store, row).id > take.id


def test_fail_take_without_audio(store: Store) -> None:
    take_id, writer = store.start_take(_question(store), RATE, 1)
    store.fail_take(take_id, "microphone unplugged", writer)
    take = store.get_take(take_id)
    assert take is not None
    assert (take.status, take.note, take.audio_path) == ("failed", "microphone unplugged", None)
    assert not pcm_path(store.incoming_dir, take_id).exists()


def test_fail_take_keeps_audio_already_recorded(store: Store) -> None:
    take_id, writer = store.start_take(_question(store), RATE, 1)
    writer.write(_tone(0.75))
    store.fail_take(take_id, "device error", writer)
    take = store.get_take(take_id)
    assert take is not None and take.status == "failed"
    assert take.duration_s == pytest.approx(0.75)
    assert store.audio_file(take).is_file()


def test_finishing_an_empty_take_marks_it_failed(store: Store) -> None:
    take_id, writer = store.start_take(_question(store), RATE, 1)
    take = store.finish_take(take_id, writer)
    assert (take.status, take.note, take.audio_path) == ("failed", "nothing was recorded", None)


def test_add_question_to_missing_session_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="failed"):
        store.add_question(12345, "q", "b", "text", 0)


def test_full_disk_during_write_is_a_store_error(store: Store) -> None:
    take = _record(store, _question(store))
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # a real SQLITE_FULL
    with pytest.raises(StoreError, match="full"):
        store.save_analysis(take.id, {"blob": "x" * 500_000}, "m")
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.latest_analysis(take.id) is None, "the failed write left nothing behind"


def test_data_dir_under_a_regular_file_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="OFFSCRIPT_HOME"):
        Store.open(blocker / "data")


def test_corrupt_database_is_a_store_error(offscript_home: Path) -> None:
    (offscript_home / "offscript.db").write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreError, match="damaged"):
        Store.open()


def test_store_works_from_another_thread(store: Store) -> None:
    take_id, writer = store.start_take(_question(store), RATE, 1)
    writer.write(_tone(0.2))
    done: list[TakeRecord] = []
    worker = threading.Thread(target=lambda: done.append(store.finish_take(take_id, writer)))
    worker.start()
    worker.join()
    assert done and done[0].status == "complete"


# Recovery at start-up ------------------------------------------------------------------------


def test_recover_turns_leftover_pcm_into_recovered_take(offscript_home: Path) -> None:
    with Store.open() as store:
        take_id, writer = store.start_take(_question(store), RATE, 1)
        writer.write(_tone(1.0))
        writer._flush_locked()  # what the OS holds when the process is killed
        writer._file.close()
    with Store.open() as store:
        recovered = store.recover()
        assert [(t.id, t.status) for t in recovered] == [(take_id, "recovered")]
        take = recovered[0]
        assert take.duration_s == pytest.approx(1.0)
        assert take.audio_path == f"audio/{take.session_id}/{take_id}.flac"
        assert store.audio_file(take).is_file()
        assert store.recover() == [], "a second run has nothing to do"


def test_recover_fails_take_with_no_audio_left(store: Store) -> None:
    take_id, writer = store.start_take(_question(store), RATE, 1)
    writer.discard()
    store._recording.clear()  # as after a restart
    [take] = store.recover()
    assert (take.id, take.status) == (take_id, "failed")
    assert "no audio" in (take.note or "")


def test_recover_finds_flac_written_just_before_the_crash(store: Store) -> None:
    take_id, writer = store.start_take(_question(store), RATE, 1)
    writer.write(_tone(0.5))
    row = store.get_take(take_id)
    assert row is not None
    # Crash after the FLAC was written and the pcm removed, before the row was updated.
    writer.finish(store.data_dir / f"audio/{row.session_id}/{take_id}.flac")
    store._recording.clear()
    [take] = store.recover()
    assert (take.status, take.duration_s) == ("recovered", pytest.approx(0.5))


def test_recover_does_not_touch_a_take_being_recorded(store: Store) -> None:
    take_id, writer = store.start_take(_question(store), RATE, 1)
    writer.write(_tone(0.5))
    assert store.recover() == []
    writer.write(_tone(0.5))
    assert store.finish_take(take_id, writer).duration_s == pytest.approx(1.0)


def test_recover_keeps_audio_of_a_take_whose_row_is_gone(store: Store) -> None:
    writer = RecordingWriter(store.incoming_dir, 999, RATE, 1)
    writer.write(_tone(0.25))
    writer._flush_locked()
    writer._file.close()
    assert store.recover() == []
    assert (store.audio_dir / "unlinked" / "999.flac").is_file()



def test_a_pasted_script_is_kept_per_question_replaced_and_removed(offscript_home) -> None:
    from offscript.store.takes import Store

    with Store.open() as store:
        assert store.script_for("nf-co-012") is None
        store.set_script("nf-co-012", "First draft of my answer.")
        store.set_script("nf-co-012", "Second draft.")
        assert store.script_for("nf-co-012") == "Second draft."
        assert store.script_for("other") is None
    with Store.open() as store:  # survives a restart
        assert store.script_for("nf-co-012") == "Second draft."
        store.set_script("nf-co-012", "   ")
        assert store.script_for("nf-co-012") is None

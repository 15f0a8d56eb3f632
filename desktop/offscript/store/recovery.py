"""Start-up recovery: finish in the database what a crash interrupted on disk.

Used by ``Store.recover``; works on a raw connection so the store's lock can be held by the
caller for the whole job.  Nothing here deletes audio: PCM is only removed (by
``recover_unfinished``) once its FLAC is durable.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import soundfile as sf

from offscript.store.atomic import remove_stale_temp_files
from offscript.store.database import transaction
from offscript.store.recordings import pcm_path, recover_unfinished

RECOVERED_NOTE = "recovered after a crash"
LOST_NOTE = "recording was interrupted and no audio was found"


def audio_path_for_take(conn: sqlite3.Connection, take_id: int) -> str:
    """Where a take's FLAC belongs, relative to the data folder (POSIX form)."""
    row = conn.execute(
        "SELECT q.session_id FROM takes t JOIN questions q ON q.id = t.question_row_id"
        " WHERE t.id = ?",
        (take_id,),
    ).fetchone()
    if row is None:
        return f"audio/unlinked/{take_id}.flac"
    return f"audio/{row[0]}/{take_id}.flac"


def recover_takes(conn: sqlite3.Connection, data_dir: Path, busy: set[int]) -> set[int]:
    """Recover leftover recordings and settle takes stuck in 'recording'; return changed ids.

    ``busy`` holds takes being recorded right now in this process: they are left alone.
    """
    audio_dir = data_dir / "audio"
    incoming_dir = audio_dir / "incoming"
    for directory in [incoming_dir, *_session_audio_dirs(audio_dir)]:
        remove_stale_temp_files(directory)
    pending = {int(p.stem) for p in incoming_dir.glob("*.pcm") if p.stem.isdigit()} - busy
    targets = {tid: data_dir / audio_path_for_take(conn, tid) for tid in pending}
    recovered = recover_unfinished(incoming_dir, audio_dir, targets, skip=busy)
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    changed: set[int] = set()
    with transaction(conn):
        for item in recovered:
            cur = conn.execute(
                "UPDATE takes SET status = CASE status WHEN 'recording' THEN 'recovered'"
                " ELSE status END, ended_at = COALESCE(ended_at, ?), audio_path = ?,"
                " duration_s = ?, note = COALESCE(note, ?)"
                " WHERE id = ? AND (status = 'recording' OR audio_path IS NULL)",
                (now, item.path.relative_to(data_dir).as_posix(), item.duration_s,
                 RECOVERED_NOTE, item.take_id),
            )
            if cur.rowcount:
                changed.add(item.take_id)
        stuck = [r[0] for r in conn.execute("SELECT id FROM takes WHERE status = 'recording'")]
        for take_id in stuck:
            if take_id in busy or pcm_path(incoming_dir, take_id).exists():
                continue  # live, or a PCM that recovery had to leave alone (it logged why)
            _settle_interrupted_take(conn, data_dir, take_id, now)
            changed.add(take_id)
    return changed


def _settle_interrupted_take(
    conn: sqlite3.Connection, data_dir: Path, take_id: int, now: str
) -> None:
    """No PCM left: either the crash hit after the FLAC was written, or nothing was saved."""
    relative = audio_path_for_take(conn, take_id)
    flac = data_dir / relative
    if flac.is_file():
        info = sf.info(str(flac))
        conn.execute(
            "UPDATE takes SET status = 'recovered', ended_at = ?, audio_path = ?,"
            " duration_s = ?, note = ? WHERE id = ?",
            (now, relative, info.frames / info.samplerate, RECOVERED_NOTE, take_id),
        )
    else:
        conn.execute(
            "UPDATE takes SET status = 'failed', ended_at = ?, note = ? WHERE id = ?",
            (now, LOST_NOTE, take_id),
        )


def _session_audio_dirs(audio_dir: Path) -> list[Path]:
    if not audio_dir.is_dir():
        return []
    return [d for d in audio_dir.iterdir() if d.is_dir() and d.name != "incoming"]

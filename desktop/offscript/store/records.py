"""Plain records the store hands out: JSON-serialisable with ``dataclasses.asdict``."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

TAKE_STATUSES = ("recording", "complete", "recovered", "failed")


@dataclass(frozen=True)
class SessionRecord:
    id: int
    started_at: str
    ended_at: str | None
    loop_id: str
    model: str
    status: str  # 'active' | 'ended'
    take_count: int


@dataclass(frozen=True)
class TakeRecord:
    """One recorded answer.  ``audio_path`` is relative to the data folder (POSIX form)."""

    id: int
    question_row_id: int
    session_id: int
    question_id: str
    started_at: str
    ended_at: str | None
    audio_path: str | None
    duration_s: float | None
    samplerate: int
    channels: int
    status: str  # one of TAKE_STATUSES
    note: str | None
    analysis: dict[str, Any] | None  # the latest analysis, if any


TAKE_SELECT = """
    SELECT t.id, t.question_row_id, q.session_id, q.question_id, t.started_at, t.ended_at,
           t.audio_path, t.duration_s, t.samplerate, t.channels, t.status, t.note,
           (SELECT a.json FROM analyses a WHERE a.take_id = t.id
             ORDER BY a.id DESC LIMIT 1) AS analysis_json
      FROM takes t JOIN questions q ON q.id = t.question_row_id
"""

SESSION_SELECT = """
    SELECT s.id, s.started_at, s.ended_at, s.loop_id, s.model, s.status,
           (SELECT COUNT(*) FROM takes t JOIN questions q ON q.id = t.question_row_id
             WHERE q.session_id = s.id) AS take_count
      FROM sessions s
"""


def take_from_row(row: sqlite3.Row) -> TakeRecord:
    analysis_json = row["analysis_json"]
    return TakeRecord(
        id=row["id"],
        question_row_id=row["question_row_id"],
        session_id=row["session_id"],
        question_id=row["question_id"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        audio_path=row["audio_path"],
        duration_s=row["duration_s"],
        samplerate=row["samplerate"],
        channels=row["channels"],
        status=row["status"],
        note=row["note"],
        analysis=json.loads(analysis_json) if analysis_json is not None else None,
    )


def session_from_row(row: sqlite3.Row) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        loop_id=row["loop_id"],
        model=row["model"],
        status=row["status"],
        take_count=row["take_count"],
    )

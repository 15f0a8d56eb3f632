"""The takes a progress report covers: every take with its question's text and latest analysis.

Oldest first (reports read as a story over time).  ``since`` is an ISO date (YYYY-MM-DD),
inclusive, compared with the stored UTC start times like the History filter does.
"""

from __future__ import annotations

from dataclasses import dataclass

from offscript.store.records import TAKE_SELECT, TakeRecord, take_from_row
from offscript.store.takes import Store


@dataclass(frozen=True)
class ReportTake:
    take: TakeRecord
    question_text: str
    model: str | None  # the model of the latest analysis


_SELECT = TAKE_SELECT.replace(
    "AS analysis_json",
    "AS analysis_json, q.text AS question_text,"
    " (SELECT a.model FROM analyses a WHERE a.take_id = t.id ORDER BY a.id DESC LIMIT 1)"
    " AS analysis_model",
)


def report_takes(store: Store, since: str = "", session_id: int | None = None) -> list[ReportTake]:
    """Every take matching the filters, oldest first (recording in progress excluded)."""
    clauses, args = ["t.status != 'recording'"], []
    if since:
        clauses.append("t.started_at >= ?")
        args.append(since)
    if session_id is not None:
        clauses.append("q.session_id = ?")
        args.append(session_id)
    sql = _SELECT + " WHERE " + " AND ".join(clauses) + " ORDER BY t.started_at, t.id"
    with store.reading() as conn:
        rows = conn.execute(sql, args).fetchall()
    return [ReportTake(take_from_row(r), r["question_text"], r["analysis_model"]) for r in rows]


def session_exists(store: Store, session_id: int) -> bool:
    with store.reading() as conn:
        row = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return row is not None

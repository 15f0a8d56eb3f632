"""History queries over the store: filter and page every take, delete whole sessions (no Qt).

Scores come from each take's latest analysis JSON (``json_extract``); a page is chosen by
take ids first (``ORDER BY ... LIMIT/OFFSET`` on the small ``takes`` table) and only the
page's analyses are parsed, so opening a history of 10,000 takes stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offscript.store.takes import Store

# score name -> (JSON path in the analysis, label)
SCORES: dict[str, tuple[str, str]] = {
    "wpm": ("$.pace.wpm", "Pace (wpm)"),
    "fillers": ("$.fillers.per_minute", "Fillers / min"),
    "polish": ("$.candour.polish_score", "Polish"),
    "rehearsed": ("$.delivery.rehearsed_score", "Rehearsed"),
}

_LATEST_JSON = "(SELECT a.json FROM analyses a WHERE a.take_id = t.id ORDER BY a.id DESC LIMIT 1)"
_LATEST_MODEL = "(SELECT a.model FROM analyses a WHERE a.take_id = t.id ORDER BY a.id DESC LIMIT 1)"


@dataclass(frozen=True)
class HistoryFilter:
    """Which takes to show; every field left at its default matches everything."""

    text: str = ""  # part of the question's text or id (case-insensitive)
    question_ids: tuple[str, ...] | None = None  # e.g. every question of one stage
    since: str = ""  # ISO date (YYYY-MM-DD), inclusive
    until: str = ""  # ISO date (YYYY-MM-DD), inclusive
    score: str = ""  # one of SCORES, with min_score / max_score
    min_score: float | None = None
    max_score: float | None = None


@dataclass(frozen=True)
class HistoryRow:
    take_id: int
    session_id: int
    started_at: str
    question_id: str
    question_text: str
    status: str
    duration_s: float | None
    audio_path: str | None
    model: str | None  # the model of the latest analysis
    wpm: float | None
    fillers: float | None
    polish: float | None
    rehearsed: float | None

    def score(self, name: str) -> float | None:
        return getattr(self, name)


def _where(f: HistoryFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if f.text.strip():
        like = f"%{f.text.strip().lower()}%"
        clauses.append("(lower(q.text) LIKE ? OR lower(q.question_id) LIKE ?)")
        args += [like, like]
    if f.question_ids is not None:
        if not f.question_ids:
            clauses.append("0")
        else:
            clauses.append(f"q.question_id IN ({','.join('?' * len(f.question_ids))})")
            args += list(f.question_ids)
    if f.since:
        clauses.append("t.started_at >= ?")
        args.append(f.since)
    if f.until:
        clauses.append("t.started_at < date(?, '+1 day')")
        args.append(f.until)
    if f.score and (f.min_score is not None or f.max_score is not None):
        if f.score not in SCORES:
            raise ValueError(f"unknown score {f.score!r}; choose from {', '.join(SCORES)}")
        expr = f"json_extract({_LATEST_JSON}, '{SCORES[f.score][0]}')"
        if f.min_score is not None:
            clauses.append(f"{expr} >= ?")
            args.append(f.min_score)
        if f.max_score is not None:
            clauses.append(f"{expr} <= ?")
            args.append(f.max_score)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


_FROM = " FROM takes t JOIN questions q ON q.id = t.question_row_id"


def count_takes(store: Store, f: HistoryFilter = HistoryFilter()) -> int:
    where, args = _where(f)
    with store.reading() as conn:
        return int(conn.execute("SELECT COUNT(*)" + _FROM + where, args).fetchone()[0])


def query_takes(
    store: Store, f: HistoryFilter = HistoryFilter(), limit: int = 200, offset: int = 0
) -> list[HistoryRow]:
    """One page of matching takes, newest first."""
    where, args = _where(f)
    scores = ", ".join(
        f"json_extract(p.analysis_json, '{path}') AS {name}" for name, (path, _) in SCORES.items()
    )
    sql = (
        f"SELECT p.*, {scores} FROM ("
        " SELECT t.id AS take_id, q.session_id, t.started_at, q.question_id,"
        " q.text AS question_text, t.status, t.duration_s, t.audio_path,"
        f" {_LATEST_JSON} AS analysis_json, {_LATEST_MODEL} AS model"
        f" FROM (SELECT t.id FROM takes t JOIN questions q ON q.id = t.question_row_id{where}"
        "  ORDER BY t.started_at DESC, t.id DESC LIMIT ? OFFSET ?) page"
        " JOIN takes t ON t.id = page.id JOIN questions q ON q.id = t.question_row_id"
        ") p ORDER BY p.started_at DESC, p.take_id DESC"
    )
    with store.reading() as conn:
        rows = conn.execute(sql, [*args, int(limit), int(offset)]).fetchall()
    return [
        HistoryRow(
            take_id=r["take_id"],
            session_id=r["session_id"],
            started_at=r["started_at"],
            question_id=r["question_id"],
            question_text=r["question_text"],
            status=r["status"],
            duration_s=r["duration_s"],
            audio_path=r["audio_path"],
            model=r["model"],
            wpm=_num(r["wpm"]),
            fillers=_num(r["fillers"]),
            polish=_num(r["polish"]),
            rehearsed=_num(r["rehearsed"]),
        )
        for r in rows
    ]


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def question_ids(store: Store) -> list[tuple[str, str]]:
    """Every (question id, text) that has at least one take, by id."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT q.question_id, MAX(q.text) AS text" + _FROM + " GROUP BY q.question_id"
            " ORDER BY q.question_id"
        ).fetchall()
    return [(r["question_id"], r["text"]) for r in rows]


def delete_session(store: Store, session_id: int) -> bool:
    """Delete a session with its questions, takes, analyses and audio; False if none.

    Rows go in one transaction; files are removed after the commit (a crash in between
    leaves orphan files, never rows pointing at nothing).
    """
    with store._writing() as conn:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            return False
        takes = conn.execute(
            "SELECT t.id, t.audio_path" + _FROM + " WHERE q.session_id = ?", (session_id,)
        ).fetchall()
        conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))  # cascades
    for row in takes:
        store.remove_take_files(row["id"], row["audio_path"])
    folder = store.audio_dir / str(session_id)
    try:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass  # an empty folder left behind is harmless
    return True

"""Build a :class:`Report` from the store: takes in range, per question and per session.

``since`` must be a real date (YYYY-MM-DD) and ``session_id`` an existing session; anything
else is a :class:`BadInputError` saying what to give instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from statistics import fmean

from offscript.errors import BadInputError
from offscript.reports.model import (
    METRICS,
    REPORT_SCHEMA_VERSION,
    QuestionSummary,
    Report,
    ReportFilters,
    SessionSummary,
    TakeFigures,
)
from offscript.reports.take_figures import take_figures
from offscript.store.report_query import report_takes, session_exists
from offscript.store.takes import Store


def parse_since(text: str) -> str:
    """``YYYY-MM-DD`` (or empty) checked and normalised; BadInputError otherwise."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadInputError(
            f"--since {text!r} is not a date: use YYYY-MM-DD, e.g. 2026-01-31."
        ) from None


def best_take(takes: list[TakeFigures]) -> TakeFigures | None:
    """The take with the highest quality; the later one wins a tie (the latest skill)."""
    scored = [t for t in takes if t.quality is not None]
    return max(reversed(scored), key=lambda t: t.quality) if scored else None


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(fmean(present), 3) if present else None


def _questions(takes: list[TakeFigures]) -> tuple[QuestionSummary, ...]:
    by_id: dict[str, list[TakeFigures]] = {}
    for t in takes:
        by_id.setdefault(t.question_id, []).append(t)
    out = []
    for qid, group in by_id.items():  # in order of first take
        best = best_take(group)
        out.append(QuestionSummary(
            question_id=qid, question_text=group[-1].question_text,
            take_ids=tuple(t.take_id for t in group),
            best_take_id=None if best is None else best.take_id,
        ))  # fmt: skip
    return tuple(out)


def _sessions(takes: list[TakeFigures]) -> tuple[SessionSummary, ...]:
    by_id: dict[int, list[TakeFigures]] = {}
    for t in takes:
        by_id.setdefault(t.session_id, []).append(t)
    return tuple(
        SessionSummary(
            session_id=sid, started_at=group[0].started_at,
            take_ids=tuple(t.take_id for t in group),
            means={m.key: _mean([t.value(m.key) for t in group]) for m in METRICS},
        )
        for sid, group in by_id.items()
    )


def build_report(
    store: Store,
    since: str = "",
    session_id: int | None = None,
    generated_at: str | None = None,
) -> Report:
    """Everything the exports and the Progress view show; may hold no takes."""
    since = parse_since(since)
    if session_id is not None and not session_exists(store, session_id):
        raise BadInputError(
            f"There is no session {session_id}; the History page (Review menu) lists sessions."
        )
    takes = [take_figures(row) for row in report_takes(store, since, session_id)]
    if generated_at is None:
        generated_at = datetime.now(UTC).isoformat(timespec="seconds")
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        generated_at=generated_at,
        filters=ReportFilters(since=since, session_id=session_id),
        takes=tuple(takes),
        questions=_questions(takes),
        sessions=_sessions(takes),
    )


def require_takes(report: Report) -> Report:
    """The report, or BadInputError when it has nothing to export."""
    if report.takes:
        return report
    scope = []
    if report.filters.since:
        scope.append(f"since {report.filters.since}")
    if report.filters.session_id is not None:
        scope.append(f"in session {report.filters.session_id}")
    where = " " + " and ".join(scope) if scope else ""
    raise BadInputError(
        f"No takes{where} to report on: answer a few questions first, or widen the filters."
    )

"""Every take of a report as one CSV row with its figures (UTF-8, header row, RFC 4180 quoting).

Numbers are written as stored (empty when not measured).  Free text that a spreadsheet
would run as a formula (starting with ``= + - @``, tab or CR) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from offscript.reports.model import Report, TakeFigures

COLUMNS: tuple[str, ...] = (
    "take_id", "session_id", "started_at", "question_id", "question_text", "status",
    "duration_s", "model", "wpm", "articulation_wpm", "fillers_per_minute", "filled_pauses",
    "lexical_fillers", "pauses_per_minute", "thinking_pauses", "hesitation_pauses",
    "boundary_pauses", "longest_pause_s", "rehearsed", "polish", "rubric_coverage",
    "rubric_covered", "rubric_missing", "quality", "best_for_question", "flags", "transcript",
)  # fmt: skip
_TEXT = {"question_id", "question_text", "model", "rubric_covered", "rubric_missing", "flags",
         "transcript"}  # fmt: skip


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cell(take: TakeFigures, column: str, best: set[int]) -> str:
    if column == "best_for_question":
        return "yes" if take.take_id in best else ""
    if column == "flags":
        value: object = "; ".join(f.code for f in take.flags)
    elif column == "transcript":
        value = " ".join(s.text for s in take.transcript)
    elif column in ("rubric_covered", "rubric_missing"):
        value = "; ".join(getattr(take, column))
    else:
        value = getattr(take, column)
    if value is None:
        return ""
    text = str(value)
    return _safe(text) if column in _TEXT else text


def report_csv(report: Report) -> str:
    best = {q.best_take_id for q in report.questions if q.best_take_id is not None}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for take in report.takes:
        writer.writerow([_cell(take, c, best) for c in COLUMNS])
    return buf.getvalue()

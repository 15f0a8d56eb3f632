"""Which charts a report shows, as SVG: overall (per session) and per question (per take).

Shared by the HTML and PDF exports and the app's Progress view, so all three show the same
trends: pace against its band, fillers per minute, the pause profile, the two scores and
rubric coverage.  With a single session the overall charts go take by take instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from offscript.reports.charts import PALETTE, PAUSE_COLOURS, Series, line_chart, stacked_bars
from offscript.reports.model import PACE_BAND, QuestionSummary, Report, TakeFigures

PAUSE_KINDS = ("thinking", "hesitation", "boundary")
# English month names whatever the locale (Qt sets one), so exports do not vary by machine
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(iso: str) -> str:
    """'2026-01-05T...' -> '5 Jan' (the year is in the report's header)."""
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso[:10]
    return f"{d.day} {_MONTHS[d.month - 1]}"


def _per_minute(t: TakeFigures, kind: str) -> float | None:
    count = getattr(t, f"{kind}_pauses")
    if count is None or not t.duration_s:
        return None
    return 60.0 * count / t.duration_s


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _groups(report: Report) -> tuple[list[str], list[list[TakeFigures]]]:
    """Points of the overall charts: one per session, or one per take in a single session."""
    if len(report.sessions) >= 2:
        labels = [short_date(s.started_at) for s in report.sessions]
        return labels, [[report.take(i) for i in s.take_ids] for s in report.sessions]
    return [short_date(t.started_at) for t in report.takes], [[t] for t in report.takes]


def _charts(labels: Sequence[str], groups: Sequence[Sequence[TakeFigures]], *,
            marked: int | None, standalone: bool, width: int,
            height: int) -> list[tuple[str, str]]:
    def mean(key: str) -> list[float | None]:
        return [_mean([t.value(key) for t in g]) for g in groups]

    kw = {"standalone": standalone, "width": width, "height": height}
    pauses = [Series(k, [_mean([_per_minute(t, k) for t in g]) for g in groups], PAUSE_COLOURS[k])
              for k in PAUSE_KINDS]  # fmt: skip
    return [
        ("pace", line_chart("Pace (words per minute)", labels, [Series("wpm", mean("wpm"))],
                            band=PACE_BAND, marked=marked, **kw)),
        ("fillers", line_chart("Fillers per minute", labels,
                               [Series("fillers", mean("fillers_per_minute"), PALETTE[1])],
                               marked=marked, **kw)),
        ("pauses", stacked_bars("Pauses per minute", labels, pauses, **kw)),
        ("scores", line_chart("Sounds rehearsed / too polished", labels,
                              [Series("rehearsed", mean("rehearsed"), PALETTE[2]),
                               Series("polished", mean("polish"), PALETTE[4])],
                              percent=True, marked=marked, **kw)),
        ("rubric", line_chart("Strong-answer points covered", labels,
                              [Series("rubric", mean("rubric_coverage"), PALETTE[3])],
                              percent=True, marked=marked, **kw)),
    ]  # fmt: skip


def overall_charts(report: Report, *, standalone: bool = False, width: int = 520,
                   height: int = 200) -> list[tuple[str, str]]:
    """(name, svg) for the whole report, oldest to newest."""
    labels, groups = _groups(report)
    return _charts(labels, groups, marked=None, standalone=standalone, width=width,
                   height=height)


def question_charts(report: Report, question: QuestionSummary, *, standalone: bool = False,
                    width: int = 520, height: int = 200) -> list[tuple[str, str]]:
    """(name, svg) for one question, take by take, the best take ringed."""
    takes = report.takes_of(question)
    marked = next((i for i, t in enumerate(takes) if t.take_id == question.best_take_id), None)
    return _charts([short_date(t.started_at) for t in takes], [[t] for t in takes],
                   marked=marked, standalone=standalone, width=width,
                   height=height)  # fmt: skip

"""The headline of a report: how each figure moved, and what to work on next.

``changes`` compares the first period with the latest (sessions, or takes when the report
holds one session); ``focus`` ranks the flags raised on each question's latest take, with
their advice, so the report ends with something to practise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from offscript.reports.model import METRICS, PACE_BAND, FlagItem, Metric, Report, TakeFigures


@dataclass(frozen=True)
class Change:
    metric: Metric
    first: float | None
    latest: float | None
    verdict: str  # "better", "worse", "same" or "" (not comparable)

    def text(self, value: float | None) -> str:
        return format_value(self.metric, value)


@dataclass(frozen=True)
class Focus:
    code: str
    message: str  # from the most recent flag with this code
    advice: str
    takes: int  # how many questions' latest takes raised it


def format_value(metric: Metric, value: float | None) -> str:
    if value is None:
        return "–"
    if metric.fraction:
        return f"{value * 100:.0f}%"
    return f"{value:.0f}" if metric.key == "wpm" else f"{value:.1f}"


def focus_scope(f: Focus, report: Report) -> str:
    """'raised on the latest take of 3 of 12 questions'."""
    return f"raised on the latest take of {f.takes} of {len(report.questions)} questions"


def quote(text: str, limit: int = 90) -> str:
    """Evidence shortened for display at a word boundary (flags may quote whole sentences)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _distance_from_band(wpm: float) -> float:
    lo, hi = PACE_BAND
    return max(lo - wpm, wpm - hi, 0.0)


def verdict(metric: Metric, first: float | None, latest: float | None) -> str:
    if first is None or latest is None:
        return ""
    if metric.better == "band":
        before, after = _distance_from_band(first), _distance_from_band(latest)
    elif metric.better == "higher":
        before, after = -first, -latest
    else:
        before, after = first, latest
    tolerance = 0.02 if metric.fraction else 0.5
    if abs(after - before) <= tolerance:
        return "same"
    return "better" if after < before else "worse"


def _periods(report: Report) -> tuple[list[TakeFigures], list[TakeFigures]]:
    if len(report.sessions) >= 2:
        first, latest = report.sessions[0], report.sessions[-1]
        return ([report.take(i) for i in first.take_ids], [report.take(i) for i in latest.take_ids])
    analysed = report.analysed_takes
    return (analysed[:1], analysed[-1:])


def _mean(takes: list[TakeFigures], key: str) -> float | None:
    values = [v for v in (t.value(key) for t in takes) if v is not None]
    return sum(values) / len(values) if values else None


def changes(report: Report) -> list[Change]:
    first, latest = _periods(report)
    out = []
    for m in METRICS:
        a, b = _mean(first, m.key), _mean(latest, m.key)
        out.append(Change(m, a, b, verdict(m, a, b)))
    return out


def focus(report: Report, limit: int = 4) -> list[Focus]:
    latest: list[TakeFigures] = []
    for q in report.questions:
        analysed = [t for t in report.takes_of(q) if t.analysed]
        if analysed:
            latest.append(analysed[-1])
    counts: Counter[str] = Counter()
    example: dict[str, FlagItem] = {}
    latest.sort(key=lambda t: (t.started_at, t.take_id))  # the example is the latest flag
    for t in latest:
        for code in dict.fromkeys(f.code for f in t.flags if f.severity != "info"):
            counts[code] += 1
            example[code] = next(f for f in t.flags if f.code == code)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Focus(code, example[code].message, example[code].advice, n) for code, n in ranked]

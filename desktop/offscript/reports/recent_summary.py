"""The home page's short progress summary: the latest answers' means, and how they moved
against the answers before them (no Qt; reads the store's history rows, newest first).

A "group" is the latest ``group`` analysed takes; the comparison is with the ``group`` before
them, so the verdicts describe recent practice rather than a single lucky take.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from offscript.reports.model import METRIC_BY_KEY, Metric
from offscript.reports.progress_summary import format_value, verdict
from offscript.store.history import HistoryRow, query_takes
from offscript.store.takes import Store

GROUP = 10
# HistoryRow attribute -> the report metric it is
_FIELDS: tuple[tuple[str, str], ...] = (
    ("wpm", "wpm"),
    ("fillers", "fillers_per_minute"),
    ("rehearsed", "rehearsed"),
    ("polish", "polish"),
)


@dataclass(frozen=True)
class Movement:
    metric: Metric
    latest: float | None
    before: float | None
    verdict: str  # "better", "worse", "same" or "" (nothing to compare)


@dataclass(frozen=True)
class RecentSummary:
    latest_count: int  # analysed takes in the latest group
    before_count: int  # analysed takes in the group before it (0: nothing to compare)
    movements: tuple[Movement, ...]

    def text(self) -> str:
        """Two sentences: the latest means, then what got better or worse."""
        figures = " · ".join(
            f"{m.metric.label.lower()} {format_value(m.metric, m.latest)}"
            + ("" if m.metric.fraction else f" {m.metric.unit}")
            for m in self.movements
            if m.latest is not None
        )
        head = f"Your last {self.latest_count} answer{'s' * (self.latest_count != 1)}: {figures}."
        if not self.before_count:
            return head
        def moves(which: str) -> str:
            return ", ".join(
                f"{m.metric.label.lower()} {format_value(m.metric, m.before)} → "
                f"{format_value(m.metric, m.latest)}"
                for m in self.movements
                if m.verdict == which
            )

        parts = [f"{which}: {moves(which)}" for which in ("better", "worse") if moves(which)]
        tail = "; ".join(parts) if parts else "about the same as before"
        return f"{head} Against the {self.before_count} before: {tail}."


def _mean(rows: Sequence[HistoryRow], attr: str) -> float | None:
    values = [v for v in (getattr(r, attr) for r in rows) if v is not None]
    return sum(values) / len(values) if values else None


def summarise_recent(rows: Sequence[HistoryRow], group: int = GROUP) -> RecentSummary | None:
    """``rows`` newest first (as ``query_takes`` gives them); None when no take is analysed."""
    analysed = [r for r in rows if any(getattr(r, a) is not None for a, _ in _FIELDS)]
    latest, before = analysed[:group], analysed[group : 2 * group]
    if not latest:
        return None
    movements = []
    for attr, key in _FIELDS:
        metric = METRIC_BY_KEY[key]
        a, b = _mean(latest, attr), _mean(before, attr)
        movements.append(Movement(metric, a, b, verdict(metric, b, a)))
    return RecentSummary(len(latest), len(before), tuple(movements))


def session_figures(rows: Sequence[HistoryRow]) -> dict[int, str]:
    """Per session among ``rows``: its mean pace, fillers and polish as one short line
    ("142 wpm · 3.1 fillers/min · polished 52%"); sessions without an analysed take are left
    out."""
    by_session: dict[int, list[HistoryRow]] = {}
    for r in rows:
        by_session.setdefault(r.session_id, []).append(r)
    out = {}
    for sid, takes in by_session.items():
        wpm, fillers, polish = (_mean(takes, a) for a in ("wpm", "fillers", "polish"))
        parts = [f"{wpm:.0f} wpm"] if wpm is not None else []
        if fillers is not None:
            parts.append(f"{fillers:.1f} fillers/min")
        if polish is not None:
            parts.append(f"polished {polish * 100:.0f}%")
        if parts:
            out[sid] = " · ".join(parts)
    return out


def recent_rows(store: Store, group: int = GROUP) -> list[HistoryRow]:
    """The store's latest takes, newest first (one page query: fast at 10,000 takes), for
    ``summarise_recent`` and ``session_figures``."""
    return query_takes(store, limit=4 * group)

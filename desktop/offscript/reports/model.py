"""The progress report's data: plain frozen dataclasses, the same for every export format.

A :class:`Report` holds every take in range with its figures (flat, so a take is one CSV
row), its transcript as highlighted segments and its flags with evidence; per question the
takes in order and the best one; per session the mean of each figure.  ``report_json``
serialises it (``REPORT_SCHEMA_VERSION``) and reads it back to an equal object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

REPORT_SCHEMA_VERSION = 1
PACE_BAND = (110.0, 170.0)  # words per minute, the band the feedback uses


@dataclass(frozen=True)
class Metric:
    key: str  # attribute of TakeFigures
    label: str
    unit: str
    better: str  # "lower", "higher" or "band" (PACE_BAND)
    fraction: bool = False  # a 0-1 score, shown as a percentage
    short: str = ""  # column heading

    @property
    def heading(self) -> str:
        return self.short or self.label


METRICS: tuple[Metric, ...] = (
    Metric("wpm", "Pace", "words/min", "band", short="Pace (wpm)"),
    Metric("fillers_per_minute", "Fillers", "per min", "lower", short="Fillers/min"),
    Metric("pauses_per_minute", "Pauses", "per min", "lower", short="Pauses/min"),
    Metric("rehearsed", "Sounds rehearsed", "%", "lower", fraction=True, short="Rehearsed"),
    Metric("polish", "Too polished", "%", "lower", fraction=True, short="Polished"),
    Metric("rubric_coverage", "Strong-answer points", "%", "higher", fraction=True,
           short="Rubric"),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}


@dataclass(frozen=True)
class Evidence:
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class FlagItem:
    code: str
    severity: str  # info | warning | problem
    message: str
    advice: str = ""
    value: float | None = None
    threshold: float | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Segment:
    """One transcript word and how to highlight it."""

    text: str
    kind: str = "word"  # word | filled_pause | lexical_filler
    flagged: bool = False  # part of a phrase a flag points at
    pause_after_s: float | None = None  # the silence after this word, if it counts as a pause
    pause_kind: str | None = None  # thinking | hesitation | boundary


@dataclass(frozen=True)
class TakeFigures:
    take_id: int
    session_id: int
    started_at: str  # ISO-8601 UTC
    question_id: str
    question_text: str
    status: str
    duration_s: float | None = None
    model: str | None = None
    analysed: bool = False
    wpm: float | None = None
    articulation_wpm: float | None = None
    fillers_per_minute: float | None = None
    filled_pauses: int | None = None
    lexical_fillers: int | None = None
    pauses_per_minute: float | None = None
    thinking_pauses: int | None = None
    hesitation_pauses: int | None = None
    boundary_pauses: int | None = None
    longest_pause_s: float | None = None
    rehearsed: float | None = None
    polish: float | None = None
    rubric_coverage: float | None = None
    rubric_covered: tuple[str, ...] = ()
    rubric_missing: tuple[str, ...] = ()
    quality: float | None = None  # 0-1, what "best take" maximises (see gather.take_quality)
    follow_up: str | None = None
    transcript: tuple[Segment, ...] = ()
    flags: tuple[FlagItem, ...] = ()

    def value(self, key: str) -> float | None:
        return getattr(self, key)

    @property
    def date(self) -> str:
        return self.started_at[:10]


@dataclass(frozen=True)
class QuestionSummary:
    question_id: str
    question_text: str
    take_ids: tuple[int, ...]  # oldest first
    best_take_id: int | None  # None when no take was analysed


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    started_at: str
    take_ids: tuple[int, ...]
    means: dict[str, float | None] = field(default_factory=dict)  # METRICS key -> mean


@dataclass(frozen=True)
class ReportFilters:
    since: str = ""  # YYYY-MM-DD or ""
    session_id: int | None = None


@dataclass(frozen=True)
class Report:
    schema_version: int
    generated_at: str
    filters: ReportFilters
    takes: tuple[TakeFigures, ...]
    questions: tuple[QuestionSummary, ...]
    sessions: tuple[SessionSummary, ...]

    @cached_property
    def _by_id(self) -> dict[int, TakeFigures]:
        return {t.take_id: t for t in self.takes}

    def take(self, take_id: int) -> TakeFigures:
        return self._by_id[take_id]

    def takes_of(self, question: QuestionSummary) -> list[TakeFigures]:
        return [self.take(i) for i in question.take_ids]

    @property
    def analysed_takes(self) -> list[TakeFigures]:
        return [t for t in self.takes if t.analysed]

    @property
    def date_range(self) -> tuple[str, str]:
        if not self.takes:
            return ("", "")
        return (self.takes[0].date, self.takes[-1].date)

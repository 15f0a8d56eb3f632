"""The plain data a question bank holds once it has been loaded and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Stage:
    """One step of an interview process, e.g. the recruiter screen."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class RubricPoint:
    """Something a strong answer contains, and the phrases that show it was said."""

    point: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class RedFlag:
    """Something that weakens an answer; phrases (optional) let analysis spot it."""

    label: str
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """``field op value`` on the analysis JSON, e.g. ``candour.we_ratio > 0.6``."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class FollowUp:
    """What the interviewer asks next, and when.

    All given conditions must hold.  A rule with ``always`` set and no conditions is the
    fallback, used when no conditional rule fires.
    """

    say: str
    when: tuple[Condition, ...] = ()
    flag: str | None = None
    rubric_missing: str | None = None
    always: bool = False
    screen_text: str | None = None

    @property
    def is_fallback(self) -> bool:
        return self.always and not self.when and self.flag is None and self.rubric_missing is None


@dataclass(frozen=True)
class Question:
    id: str
    bank_id: str
    stage: str
    text: str
    time_limit_s: int
    tags: tuple[str, ...]
    rubric: tuple[RubricPoint, ...]
    red_flags: tuple[RedFlag, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    screen_text: str | None = None
    model_answer: tuple[str, ...] = ()

    @property
    def display_text(self) -> str:
        """What to show on screen: the optional screen text, else the spoken text."""
        return self.screen_text or self.text


@dataclass(frozen=True)
class LoopStep:
    """Draw ``count`` questions of one stage, optionally limited to some banks or tags."""

    stage: str
    count: int
    banks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Loop:
    """An ordered practice plan, e.g. "Recruiter screen, 15 min" or "Full loop (backend)"."""

    id: str
    title: str
    steps: tuple[LoopStep, ...]
    company: str = ""
    minutes: int | None = None
    description: str = ""
    source: str = ""

    @property
    def question_count(self) -> int:
        return sum(step.count for step in self.steps)


@dataclass(frozen=True)
class Bank:
    id: str
    version: str
    schema_version: int
    company: str
    role_family: str
    title: str
    licence: str
    description: str
    stages: tuple[Stage, ...]
    questions: tuple[Question, ...]
    loops: tuple[Loop, ...] = ()
    path: Path | None = None
    user: bool = False

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


@dataclass(frozen=True)
class LoopFile:
    """A file that holds only loops (content/loops/*.toml)."""

    loops: tuple[Loop, ...]
    path: Path | None = None


@dataclass
class Problem:
    """One thing wrong with a content file, with the line it is on (1-based, 0 if unknown)."""

    file: str
    line: int
    message: str
    context: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = f"{self.context}: " if self.context else ""
        return f"{where}: {prefix}{self.message}"


@dataclass
class Problems:
    """Collects every problem in a file so the user can fix them all in one go."""

    items: list[Problem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        return [str(p) for p in self.items]

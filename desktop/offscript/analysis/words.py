"""The plain data that analysis works on and returns: timed words, pauses, flags, evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

WordKind = Literal["word", "filled_pause", "lexical_filler"]
PauseKind = Literal["thinking", "hesitation", "boundary"]
Severity = Literal["info", "warning", "problem"]


@dataclass(frozen=True)
class Word:
    """One recognised word. Times are seconds from the start of the answer (None for text input)."""

    text: str
    start: float | None = None
    end: float | None = None
    probability: float = 1.0


@dataclass(frozen=True)
class TaggedWord:
    """A word with the role analysis gave it."""

    text: str
    start: float | None
    end: float | None
    kind: WordKind = "word"
    filler: str | None = None  # canonical filler ("um", "you know") when kind is not "word"
    continues: bool = False  # True for the 2nd+ word of a multi-word filler (counted once)

    def to_json(self) -> dict:
        out = {"text": self.text,
               "start": None if self.start is None else round(self.start, 3),
               "end": None if self.end is None else round(self.end, 3),
               "kind": self.kind}
        if self.filler is not None:
            out["filler"] = self.filler
        return out


@dataclass(frozen=True)
class Pause:
    start: float
    end: float
    kind: PauseKind

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_json(self) -> dict:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "kind": self.kind,
                "duration_s": round(self.duration, 3)}


@dataclass(frozen=True)
class Evidence:
    """What a flag points at: the words said and where (times None for text input)."""

    text: str
    start: float | None = None
    end: float | None = None

    def to_json(self) -> dict:
        return {"text": self.text,
                "start": None if self.start is None else round(self.start, 3),
                "end": None if self.end is None else round(self.end, 3)}


@dataclass(frozen=True)
class Flag:
    """A finding shown to the user, always with its evidence, measured value and threshold."""

    code: str
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...] = ()
    value: float | None = None
    threshold: float | None = None
    advice: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"code": self.code, "severity": self.severity, "message": self.message,
               "evidence": [e.to_json() for e in self.evidence],
               "value": self.value, "threshold": self.threshold, "advice": self.advice}
        out.update(self.extra)
        return out

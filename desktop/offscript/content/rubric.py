"""Which rubric points an answer covered: phrase matching with simple prefix wildcards.

A phrase matches whole words, case-insensitively, across any whitespace or punctuation.
``measur*`` matches "measure", "measured", "measurement".  ``@number`` matches digits and
number words ("30", "2.5", "three", "percent").  This is keyword matching on purpose: cheap,
explainable, and the matched phrase is shown to the user as evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from offscript.content.model import Question, RedFlag, RubricPoint

_NUMBER_PATTERN = (
    r"\d+(?:[.,]\d+)?\s*%?|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|"
    r"thousands|million|millions|billion|percent|per cent|half|double|doubled|tripled|dozen|"
    r"twice)"
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_NOT_WORD = re.compile(r"[^a-z0-9'%*]+")


def normalise(text: str) -> str:
    """Lower case words separated by single spaces (keeps ', % and * for wildcards)."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    return " ".join(_NOT_WORD.sub(" ", text).split())


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The compiled regex for one rubric phrase (see the module docstring)."""
    if phrase == "@number":
        body = _NUMBER_PATTERN
    else:
        parts = []
        for word in normalise(phrase).split():
            stem = word.rstrip("*")
            parts.append(re.escape(stem) + (r"[\w']*" if word.endswith("*") else ""))
        body = r"\s+".join(parts) if parts else r"(?!x)x"
    return re.compile(rf"(?<![\w'])(?:{body})(?![\w'])")


def find_phrase(phrases: tuple[str, ...], text: str) -> str | None:
    """The earliest words in ``text`` (already normalised) matching any phrase, or None."""
    best: re.Match[str] | None = None
    for phrase in phrases:
        found = phrase_pattern(phrase).search(text)
        if found and (best is None or found.start() < best.start()):
            best = found
    return best.group(0) if best else None


@dataclass(frozen=True)
class CoveredPoint:
    point: str
    phrase: str  # the words of the transcript that matched


@dataclass(frozen=True)
class RubricCoverage:
    covered: list[CoveredPoint] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    coverage: float = 0.0

    def to_json(self) -> dict:
        """The ``rubric`` part of the analysis JSON."""
        return {"coverage": round(self.coverage, 3),
                "covered": [{"point": c.point, "phrase": c.phrase} for c in self.covered],
                "missing": list(self.missing)}


def coverage_of(points: tuple[RubricPoint, ...], transcript: str) -> RubricCoverage:
    text = normalise(transcript)
    covered: list[CoveredPoint] = []
    missing: list[str] = []
    for point in points:
        phrase = find_phrase(point.phrases, text)
        if phrase is None:
            missing.append(point.point)
        else:
            covered.append(CoveredPoint(point.point, phrase))
    share = len(covered) / len(points) if points else 0.0
    return RubricCoverage(covered, missing, share)


def rubric_coverage(question: Question, transcript: str) -> RubricCoverage:
    """Which of the question's rubric points the transcript covered, with the words that did."""
    return coverage_of(question.rubric, transcript)


@dataclass(frozen=True)
class RedFlagHit:
    label: str
    phrase: str


def red_flag_hits(question: Question, transcript: str) -> list[RedFlagHit]:
    """Red flags whose phrases occur in the transcript (flags without phrases never hit)."""
    text = normalise(transcript)
    hits = []
    for flag in question.red_flags:
        phrase = _flag_phrase(flag, text)
        if phrase is not None:
            hits.append(RedFlagHit(flag.label, phrase))
    return hits


def _flag_phrase(flag: RedFlag, text: str) -> str | None:
    return find_phrase(flag.phrases, text) if flag.phrases else None

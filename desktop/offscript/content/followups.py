"""Choosing the interviewer's follow-up from the analysis of an answer (no eval, ever)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Mapping
from typing import Any

from offscript.content.fields import KNOWN_FIELDS
from offscript.content.model import Condition, FollowUp, Question
from offscript.content.rubric import rubric_coverage

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


def lookup(analysis: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of the analysis, or None when any part is absent."""
    value: Any = analysis
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _typed(value: Any, ftype: str) -> Any:
    """The value if it has the field's type (lists count by length for "count"), else None."""
    if ftype == "count" and isinstance(value, list | tuple):
        return len(value)
    if ftype in ("number", "count"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return value if ok else None
    if ftype == "bool":
        return value if isinstance(value, bool) else None
    return value if isinstance(value, str) else None


def condition_holds(condition: Condition, analysis: Mapping[str, Any]) -> bool:
    """True only when the field is present, has its registered type and the comparison holds."""
    ftype = KNOWN_FIELDS.get(condition.field)
    compare = _OPS.get(condition.op)
    if ftype is None or compare is None:
        return False
    value = _typed(lookup(analysis, condition.field), ftype)
    if value is None:
        return False
    return bool(compare(value, condition.value))


def flag_codes(analysis: Mapping[str, Any]) -> set[str]:
    flags = analysis.get("flags")
    if not isinstance(flags, list):
        return set()
    return {f["code"] for f in flags if isinstance(f, Mapping) and isinstance(f.get("code"), str)}


def missing_points(question: Question, analysis: Mapping[str, Any]) -> set[str] | None:
    """Rubric points the answer missed: from ``rubric.missing``, else from the transcript."""
    missing = lookup(analysis, "rubric.missing")
    if isinstance(missing, list):
        return {m for m in missing if isinstance(m, str)}
    transcript = analysis.get("transcript")
    if isinstance(transcript, str):
        return set(rubric_coverage(question, transcript).missing)
    return None


def rule_fires(rule: FollowUp, question: Question, analysis: Mapping[str, Any]) -> bool:
    """All of the rule's conditions hold (a fallback rule never "fires" on its own)."""
    if rule.is_fallback:
        return False
    if not all(condition_holds(c, analysis) for c in rule.when):
        return False
    if rule.flag is not None and rule.flag not in flag_codes(analysis):
        return False
    if rule.rubric_missing is not None:
        missing = missing_points(question, analysis)
        if missing is None or rule.rubric_missing not in missing:
            return False
    return True


def choose_follow_up(question: Question, analysis: Mapping[str, Any],
                     *, exclude: Collection[str] = ()) -> FollowUp | None:
    """The first conditional rule that fires, else the first fallback; None if neither.

    ``exclude`` holds follow-up texts already asked in this session, so a repeated
    question does not get the same follow-up twice in a row.
    """
    rules = [r for r in question.follow_ups if r.say not in exclude]
    for rule in rules:
        if rule_fires(rule, question, analysis):
            return rule
    return next((r for r in rules if r.is_fallback), None)

"""Rubric coverage on hand-written answers, and choosing the interviewer's follow-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from offscript.content import choose_follow_up, load_all_banks, load_bank, rubric_coverage
from offscript.content.followups import condition_holds
from offscript.content.model import Condition, Question
from offscript.content.rubric import red_flag_hits
from offscript.paths import content_dir


@pytest.fixture(scope="module")
def wrong_decision() -> Question:
    q = load_all_banks([content_dir()]).question("nf-co-012")
    assert q is not None
    return q


STRONG = """I decided to migrate our nightly pipeline to the new cluster without running a
throughput benchmark. At the time it seemed safe because the data had barely grown.
It cost us two days of late data and roughly 40 hours of backfill. Since then I write a
benchmark target before any migration, and we run a shadow job at full volume."""

WEAK = """So the team kind of moved the pipeline and there were some issues, the other team
had not told us about the change, it was their fault really, and it all worked out."""


def test_strong_answer_covers_every_rubric_point(wrong_decision: Question) -> None:
    cov = rubric_coverage(wrong_decision, STRONG)
    assert cov.missing == []
    assert cov.coverage == 1.0
    matched = {c.point: c.phrase for c in cov.covered}
    assert matched["names the mistake plainly"] == "i decided"
    assert matched["names the cost"] in {"cost", "two", "days"}
    assert matched["says what changed after"] in {"since then", "benchmark"}


def test_weak_answer_misses_points_and_hits_red_flags(wrong_decision: Question) -> None:
    cov = rubric_coverage(wrong_decision, WEAK)
    assert "names the cost" in cov.missing
    assert "says what changed after" in cov.missing
    assert cov.coverage <= 0.25
    assert [h.label for h in red_flag_hits(wrong_decision, WEAK)] == ["blames others"]
    assert cov.to_json()["missing"] == cov.missing


def test_wildcards_numbers_and_word_boundaries(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    path.write_text("""schema_version = 1
[bank]
id = "b"
version = "1"
company = "A"
role_family = "r"
title = "T"
licence = "CC0"
description = "d"
[[stages]]
id = "s"
name = "S"
[[questions]]
id = "q"
stage = "s"
text = "Q"
time_limit_s = 60
rubric = [
  { point = "measures", phrases = ["measur*"] },
  { point = "numbers", phrases = ["@number"] },
  { point = "cost", phrases = ["cost"] },
  { point = "phrase", phrases = ["next time"] },
]
follow_ups = [{ say = "x", always = true }]
""", encoding="utf-8")
    q = load_bank(path).questions[0]
    cov = rubric_coverage(q, "We Measured it: p99 fell by 35% ... next\nTime we costed it.")
    assert {c.point: c.phrase for c in cov.covered} == {
        "measures": "measured", "numbers": "35%", "phrase": "next time"}
    assert cov.missing == ["cost"]  # "costed" is not "cost": whole words only
    assert rubric_coverage(q, "").coverage == 0.0


def test_we_ratio_rule_fires_first(wrong_decision: Question) -> None:
    analysis = {"transcript": STRONG, "candour": {"we_ratio": 0.8}}
    assert choose_follow_up(wrong_decision, analysis).say.startswith("You keep saying we")


def test_rubric_missing_rule_fires_from_rubric_json(wrong_decision: Question) -> None:
    analysis = {"candour": {"we_ratio": 0.2},
                "rubric": {"coverage": 0.75, "missing": ["names the cost"], "covered": []}}
    assert choose_follow_up(wrong_decision, analysis).say == "What did it cost? Put a number on it."


def test_rubric_missing_is_computed_from_transcript_when_absent(wrong_decision: Question) -> None:
    rule = choose_follow_up(wrong_decision, {"transcript": WEAK})
    assert rule is not None and rule.rubric_missing == "names the cost"


def test_fallback_when_nothing_fires_and_absent_fields_never_fire(
        wrong_decision: Question) -> None:
    full = {"transcript": STRONG, "candour": {"we_ratio": None}}
    assert choose_follow_up(wrong_decision, full).say == "Tell me a bigger one."
    assert choose_follow_up(wrong_decision, {}).say == "Tell me a bigger one."
    assert choose_follow_up(wrong_decision, {}, exclude={"Tell me a bigger one."}) is None


def test_flag_rule_fires_on_flag_code() -> None:
    q = load_all_banks([content_dir()]).question("nf-co-024")
    assert q is not None
    analysis = {"transcript": "in the meeting because the data said so and they thanked me",
                "flags": [{"code": "hesitations_many", "severity": "info"}]}
    assert choose_follow_up(q, analysis).flag == "hesitations_many"
    analysis["flags"] = [{"code": "pace_fast"}]
    assert choose_follow_up(q, analysis).is_fallback


@pytest.mark.parametrize(("cond", "analysis", "expected"), [
    (Condition("pace.wpm", ">", 180), {"pace": {"wpm": 200.0}}, True),
    (Condition("pace.wpm", ">", 180), {"pace": {"wpm": 150}}, False),
    (Condition("pace.wpm", ">", 180), {"pace": {"wpm": "fast"}}, False),
    (Condition("pace.wpm", ">", 180), {"pace": None}, False),
    (Condition("pauses", ">=", 2), {"pauses": [{}, {}, {}]}, True),
    (Condition("fillers.lexical", "<", 1), {"fillers": {"lexical": 0}}, True),
    (Condition("candour.has_numbers", "==", False), {"candour": {"has_numbers": False}}, True),
    (Condition("candour.has_numbers", "==", False), {"candour": {"has_numbers": 0}}, False),
    (Condition("candour.has_numbers", "==", False), {"candour": {}}, False),
    (Condition("source", "==", "text"), {"source": "text"}, True),
    (Condition("not.a.field", "==", 1), {"not": {"a": {"field": 1}}}, False),
    (Condition("pace.wpm", "__import__('os')", 1), {"pace": {"wpm": 1}}, False),
])
def test_condition_holds(cond: Condition, analysis: dict, expected: bool) -> None:
    assert condition_holds(cond, analysis) is expected

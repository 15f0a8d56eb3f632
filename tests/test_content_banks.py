"""The shipped banks: valid, rich enough for the Netflix loop, and consistent with analysis."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from offscript.content import load_all_banks, pick_questions, validate_bank_file
from offscript.content.catalog import Catalog, default_practice_questions
from offscript.content.fields import KNOWN_FIELDS, KNOWN_FLAG_CODES
from offscript.paths import content_dir

# Every theme of the issue, and the tags that cover it (at least one question must carry one).
THEMES: dict[str, set[str]] = {
    "stunning colleagues": {"stunning_colleagues"},
    "culture memo": {"culture_memo"},
    "freedom and responsibility": {"freedom_responsibility"},
    "highly aligned, loosely coupled": {"aligned_loosely_coupled"},
    "context not control": {"context_not_control"},
    "radical candour": {"candour"},
    "keeper test": {"keeper_test"},
    "a decision that turned out wrong": {"wrong_decision"},
    "acting with enough information": {"decision_confidence"},
    "disagreeing with manager or team": {"disagreement"},
    "feedback given and received": {"feedback"},
    "a failure you own": {"failure_owned"},
    "why Netflix and why now": {"why_netflix"},
    "fault tolerance": {"fault_tolerance"},
    "graceful degradation": {"graceful_degradation"},
    "caching": {"caching"},
    "CDN (Open Connect)": {"cdn_open_connect"},
    "A/B testing infrastructure": {"ab_testing"},
    "microservices": {"microservices"},
    "Spark": {"spark"},
    "Flink": {"flink"},
    "Chaos Monkey": {"chaos_engineering"},
    "Hollow": {"hollow"},
    "GraphQL federation": {"graphql_federation"},
    "pay at top of market": {"compensation"},
    "cash vs stock": {"cash_vs_stock"},
    "competing offers": {"competing_offers"},
    "questions to ask": {"questions_to_ask"},
    "after the loop": {"after_interview"},
    "re-applying after about 6 months": {"reapply"},
    "directional feedback": {"directional_feedback"},
    "creative vs engineering loops": {"creative_vs_engineering"},
    "remote team interviews": {"remote_interview"},
}
NETFLIX_ROLE_BANKS = {"netflix-backend", "netflix-data-engineering",
                      "netflix-engineering-manager", "netflix-content-marketing"}
NETFLIX_STAGES = {"recruiter_screen", "hiring_manager_screen", "team_behavioural",
                  "team_technical"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_all_banks([content_dir()])


def netflix_questions(catalog: Catalog) -> list:
    return [q for b in catalog.banks if b.company == "Netflix" for q in b.questions]


def test_every_shipped_file_validates() -> None:
    files = sorted(content_dir().glob("*/*.toml"))
    assert len(files) >= 7
    for path in files:
        assert validate_bank_file(path) == [], path


def test_catalog_loads_without_problems(catalog: Catalog) -> None:
    assert catalog.problems == []
    assert {b.id for b in catalog.banks} >= NETFLIX_ROLE_BANKS | {"netflix-common", "generic"}


def test_at_least_120_netflix_questions(catalog: Catalog) -> None:
    assert len(netflix_questions(catalog)) >= 120


def test_generic_bank_has_at_least_30_questions(catalog: Catalog) -> None:
    generic = catalog.bank("generic")
    assert generic is not None and len(generic.questions) >= 30


def test_bank_metadata_is_complete(catalog: Catalog) -> None:
    for bank in catalog.banks:
        assert bank.licence.startswith("CC-BY-4.0"), bank.id
        assert bank.description and bank.title and bank.role_family and bank.version


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_theme_is_covered_by_tags(catalog: Catalog, theme: str) -> None:
    tagged = [q for q in netflix_questions(catalog) if THEMES[theme] & set(q.tags)]
    assert tagged, f"no Netflix question covers {theme!r} (tags {THEMES[theme]})"


def test_netflix_loop_stages_are_all_present(catalog: Catalog) -> None:
    stages = Counter(q.stage for q in netflix_questions(catalog))
    for stage in NETFLIX_STAGES | {"closing", "offer", "debrief"}:
        assert stages[stage] >= 3, stage


def test_every_question_has_stage_rubric_and_follow_up(catalog: Catalog) -> None:
    for bank in catalog.banks:
        stage_ids = {s.id for s in bank.stages}
        for q in bank.questions:
            assert q.stage in stage_ids, q.id
            assert q.rubric and all(p.phrases for p in q.rubric), q.id
            assert q.follow_ups, q.id


def test_netflix_questions_have_three_to_six_rubric_points_and_red_flags(catalog: Catalog) -> None:
    for q in netflix_questions(catalog):
        assert 3 <= len(q.rubric) <= 6, q.id
        assert q.red_flags, q.id


def test_every_question_has_a_fallback_follow_up(catalog: Catalog) -> None:
    # so the interviewer always has something to say, even on an empty analysis
    for q in catalog.questions():
        assert any(f.is_fallback for f in q.follow_ups), q.id


def test_many_netflix_questions_have_a_model_answer(catalog: Catalog) -> None:
    questions = netflix_questions(catalog)
    assert sum(bool(q.model_answer) for q in questions) >= 20


def test_follow_up_rules_refer_to_known_fields_flags_and_points(catalog: Catalog) -> None:
    used_fields = set()
    for q in catalog.questions():
        points = {p.point for p in q.rubric}
        for rule in q.follow_ups:
            for cond in rule.when:
                assert cond.field in KNOWN_FIELDS, (q.id, cond.field)
                used_fields.add(cond.field)
            assert rule.flag is None or rule.flag in KNOWN_FLAG_CODES, (q.id, rule.flag)
            assert rule.rubric_missing is None or rule.rubric_missing in points, q.id
    assert len(used_fields) >= 5  # the rules use a variety of analysis signals


def test_no_duplicate_ids_across_banks(catalog: Catalog) -> None:
    question_ids = Counter(q.id for q in catalog.questions())
    assert [i for i, n in question_ids.items() if n > 1] == []
    loop_ids = Counter(lp.id for lp in catalog.loops())
    assert [i for i, n in loop_ids.items() if n > 1] == []
    assert len({b.id for b in catalog.banks}) == len(catalog.banks)


def test_required_loops_exist_and_fill_completely(catalog: Catalog) -> None:
    titles = {lp.title for lp in catalog.loops()}
    for title in ("Recruiter screen, 15 min", "Team interview: behavioural",
                  "Team interview: technical (backend)", "Full loop (backend)"):
        assert title in titles
    assert any(t.startswith("Hiring manager screen") for t in titles)
    for loop in catalog.loops():
        picked = pick_questions(catalog, loop.id, random.Random(7))
        assert len(picked) == loop.question_count, loop.id
        assert len({q.id for q in picked}) == len(picked), loop.id
        assert [q.stage for q in picked] == [s.stage for s in loop.steps for _ in range(s.count)]


def test_pick_questions_is_reproducible_with_a_seed(catalog: Catalog) -> None:
    a = pick_questions(catalog, "nf-full-backend", random.Random(1))
    b = pick_questions(catalog, "nf-full-backend", random.Random(1))
    assert [q.id for q in a] == [q.id for q in b]


def test_catalog_filters_by_stage_and_tags(catalog: Catalog) -> None:
    keeper = catalog.questions(tags=["keeper_test"])
    assert keeper and all("keeper_test" in q.tags for q in keeper)
    screen = catalog.questions(stage="recruiter_screen")
    assert screen and all(q.stage == "recruiter_screen" for q in screen)


def test_default_practice_questions() -> None:
    picked = default_practice_questions(5)
    assert len(picked) == 5 and len({q.id for q in picked}) == 5
    assert all("starter" in q.tags for q in picked)
    assert [q.id for q in default_practice_questions(5)] == [q.id for q in picked]
    assert len(default_practice_questions(60)) == 60
    assert default_practice_questions(0) == []

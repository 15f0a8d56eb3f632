"""Candour signals on hand-made sentences: each signal fires on what it names and not otherwise."""

from __future__ import annotations

import pytest

from offscript.analysis.candour import analyse_candour
from offscript.analysis.fillers import tag_words
from offscript.analysis.words import Word


def codes(text: str) -> set[str]:
    return {s.code for s in analyse_candour(None, text).signals}


def signal(text: str, code: str):
    return next(s for s in analyse_candour(None, text).signals if s.code == code)


def test_i_like_spark_counts_as_nothing() -> None:
    result = analyse_candour(None, "I like Spark")
    assert result.signals == [] and result.flags == []
    assert result.fields["word_count"] == 3  # "like" is a verb here, not a filler
    assert result.fields["i_count"] == 1 and result.fields["we_count"] == 0
    assert 0.4 < result.polish_score < 0.6  # three words are too few to judge


def test_empty_answer_is_neutral() -> None:
    result = analyse_candour(None, "")
    assert result.polish_score == 0.5 and result.signals == [] and result.flags == []
    assert result.fields["we_ratio"] is None and result.fields["word_count"] == 0


WE_STORY = ("We planned the migration together and we chose the new vendor. Our team aligned "
            "on the plan and we delivered it. The team was happy with how we worked and our "
            "process improved. We learned from it and I helped where I could.")


def test_we_counting_and_vague_we() -> None:
    result = analyse_candour(None, WE_STORY)
    assert result.fields["we_count"] == 8  # we x5, our x2, "the team" x1
    assert result.fields["i_count"] == 2
    assert result.fields["we_ratio"] == pytest.approx(8 / 10, abs=1e-3)
    vague = signal(WE_STORY, "vague_we")
    assert vague.direction == "polished" and vague.threshold == 0.6
    assert vague.advice == "You said 'we' 8 times and 'I' twice: say what you did."
    assert {e.text.lower() for e in vague.evidence} <= {"we", "our", "the team"}
    assert "vague_we" in {f.code for f in result.flags}


def test_i_heavy_story_is_not_vague_we() -> None:
    text = ("I chose the vendor and I wrote the migration plan. I missed the rate limits and "
            "we lost a day of imports. I own that, and now I test limits before I sign anything.")
    assert "vague_we" not in codes(text)
    assert analyse_candour(None, text).fields["we_ratio"] == pytest.approx(1 / 7, abs=1e-3)


@pytest.mark.parametrize(("text", "expected"), [
    ("It took eleven weeks and cost 12,000 dollars, about 70% of the budget.", True),
    ("The home page was down for twenty-five minutes at peak.", True),
    ("No one knew, and one of them asked me.", False),
    ("It was a lot of work and a few people helped.", False),
])
def test_numbers(text: str, expected: bool) -> None:
    assert analyse_candour(None, text).fields["has_numbers"] is expected


def test_one_hundred_percent_is_an_absolute_not_a_figure() -> None:
    result = analyse_candour(None, "I always give one hundred percent and I never give up.")
    assert result.fields["has_numbers"] is False


def test_specific_details_shows_what_is_checkable() -> None:
    text = ("I changed the pool size on the gateway from fifty to two hundred. Postgres hit its "
            "connection limit on a Friday evening and the home page fell back to popular titles "
            "for about twenty-five minutes. My manager and the SRE on call, Priya, rolled it "
            "back.")
    s = signal(text, "specific_details")
    said = {e.text for e in s.evidence}
    assert {"fifty", "two hundred", "Postgres", "Friday"} <= said
    assert s.direction == "honest" and s.value >= s.threshold


def test_humble_brag() -> None:
    text = "My biggest weakness is that I'm a perfectionist and I care too much about my work."
    s = signal(text, "humble_brag")
    assert [e.text for e in s.evidence] == ["perfectionist", "care too much"]
    assert "perfectionist" in s.advice
    assert "humble_brag" in {f.code for f in analyse_candour(None, text).flags}


def test_a_real_weakness_is_not_a_humble_brag() -> None:
    text = ("I'm slow to ask for help. Last quarter I was stuck for three days on a flaky test "
            "that a colleague fixed in forty minutes once I asked.")
    assert "humble_brag" not in codes(text)


def test_cliches_need_two_and_a_rate() -> None:
    text = ("I'm a passionate, results-driven team player who thinks outside the box and goes "
            "above and beyond to deliver value and drive innovation for all stakeholders.")
    s = signal(text, "cliches")
    assert len(s.evidence) >= 5 and s.value >= 1.5
    assert "passionate" in s.advice
    assert "cliches" not in codes("I am passionate about compilers, mostly register "
                                  "allocation, which I have worked on for six years at Arm.")


def test_absolute_claims() -> None:
    text = ("I always deliver on time. Everyone on my team trusts me and nobody has ever "
            "complained. I never miss a deadline and everything I ship works perfectly.")
    s = signal(text, "absolute_claims")
    assert {e.text.lower() for e in s.evidence} >= {"always", "everyone", "nobody", "never"}


def test_admitted_mistake_uncertainty_and_lesson() -> None:
    text = ("I was maybe 70% sure about the rewrite and I said ninety in the meeting. I was "
            "wrong: it took eleven weeks instead of four and finance lost two month-ends. Since "
            "then I write my confidence down before I argue for anything.")
    result = analyse_candour(None, text)
    found = {s.code for s in result.signals}
    assert {"admits_mistake", "calibrated_uncertainty", "concrete_lesson", "names_cost",
            "trade_off", "specific_details"} <= found
    assert result.fields["admits_mistake"] is True and result.fields["mentions_lesson"] is True
    assert signal(text, "calibrated_uncertainty").evidence[0].text.startswith("maybe 70%")
    assert result.polish_score < 0.2


def test_blame_free_success_story() -> None:
    text = ("There was a time when the launch slipped. We came together as a team, aligned "
            "with all stakeholders and found common ground. In the end the project was a huge "
            "success, everyone was happy and the relationship became even stronger.")
    result = analyse_candour(None, text)
    found = {s.code for s in result.signals}
    assert {"no_mistake_admitted", "template_structure", "frictionless_story",
            "no_specifics"} <= found
    assert result.polish_score > 0.8
    assert result.flags[0].code == "too_polished"
    assert {"in the end", "huge success"} <= {e.text.lower() for e in
                                              signal(text, "template_structure").evidence}


def test_friction_silences_frictionless_story() -> None:
    text = ("We aligned on the plan and came together for the launch, but I was frustrated "
            "with my manager because he overruled me twice, and he was right once.")
    found = codes(text)
    assert "frictionless_story" not in found and "friction" in found


def test_template_phrases() -> None:
    text = ("The situation was that our release was late. My task was to fix it. The action I "
            "took was to reprioritise. The result was that the project was a success.")
    assert "template_structure" in codes(text)


def test_evidence_times_come_from_the_recognised_words() -> None:
    text = "Um, I was wrong about the cache, and it cost us a day."
    words = [Word(w, start=0.5 * i, end=0.5 * i + 0.4) for i, w in enumerate(text.split())]
    tagged = tag_words(words)
    result = analyse_candour(tagged, text)
    mistake = next(s for s in result.signals if s.code == "admits_mistake")
    ev = mistake.evidence[0]
    assert ev.text == "I was wrong"
    assert (ev.start, ev.end) == (0.5, 1.5 + 0.4)  # words 1-3 ("Um," is word 0)
    text_only = next(s for s in analyse_candour(None, text).signals if s.code == "admits_mistake")
    assert (text_only.evidence[0].start, text_only.evidence[0].end) == (None, None)


def test_fillers_inside_a_phrase_do_not_break_it() -> None:
    result = analyse_candour(None, "I was, um, uh, wrong about the index.")
    ev = next(s for s in result.signals if s.code == "admits_mistake").evidence[0]
    assert ev.text == "I was, um, uh, wrong"  # what was said, fillers and all


def test_a_setback_retold_as_a_win_is_spin() -> None:
    text = ("We slipped the launch by a week. I reworked the plan with the team and it turned "
            "into one of our biggest wins of the year, and I'm really proud of how I handled it.")
    result = analyse_candour(None, text)
    s = signal(text, "success_spin")
    assert s.direction == "polished"
    assert {"turned into", "biggest wins"} <= {e.text.lower() for e in s.evidence}
    assert "success_spin" in {f.code for f in result.flags}


def test_not_proud_is_not_spin() -> None:
    text = "I'm not proud of how I handled the rollout, and I never told my lead what I'd done."
    assert "success_spin" not in codes(text)


def test_figures_that_are_all_gains_are_metric_bragging() -> None:
    text = ("I led the rewrite. We cut p99 latency by forty percent, grew weekly users by "
            "eighteen percent and reduced infrastructure cost by a third.")
    s = signal(text, "metric_brag")
    assert s.value == 2 and s.threshold == 2
    assert "names_cost" not in codes(text)  # reducing a cost is a saving, not a price paid


def test_figures_about_what_went_wrong_are_not_bragging() -> None:
    text = ("The migration took eleven weeks instead of four, we lost two days of imports and "
            "about 300 customers saw errors; it improved p99 by 20 percent in the end.")
    assert "metric_brag" not in codes(text)
    assert "names_cost" in codes(text)


def test_i_that_only_drives_and_rallies_is_heroic() -> None:
    text = ("I made sure every team knew the plan, I drove the design review and I took the "
            "lead on the rollout.")
    s = signal(text, "heroic_i")
    assert [e.text for e in s.evidence] == ["I made sure", "I drove", "I took the lead"]


def test_morals_instead_of_the_story() -> None:
    text = ("I believe feedback should be direct. The key is to stay curious, and at the end of "
            "the day most people want to do good work.")
    s = signal(text, "maxims")
    assert len(s.evidence) == 4 and s.value >= s.threshold


def test_gushing_needs_a_high_rate_and_ignores_negated_praise() -> None:
    text = ("It was an amazing project with a fantastic team, and I loved every minute. I'm so "
            "grateful for the experience, and the launch was a great success that I'm excited "
            "to build on.")
    assert "gushing" in codes(text)
    flat = ("The launch was not great. The first week was not fun either, and two of us spent "
            "it rewriting the import job after I had skipped the load test on the new schema.")
    assert "gushing" not in codes(flat)
    assert analyse_candour(None, flat).polish_score < 0.5


def test_saying_something_unflattering_is_honest() -> None:
    text = ("Partly I want the job for the money, if I'm honest. I tend to get bored once a "
            "system works, and I was embarrassed when my lead noticed I'd stopped reviewing.")
    s = signal(text, "self_disclosure")
    assert s.direction == "honest"
    assert {"for the money", "if i'm honest", "i tend to", "embarrassed"} <= {
        e.text.lower() for e in s.evidence}
    assert "no_mistake_admitted" not in codes(text)  # owned, in words of its own


def test_negated_worry_is_not_a_disclosure() -> None:
    text = "I'm not too worried about the numbers, and I'm not anxious about the move at all."
    assert "self_disclosure" not in codes(text)

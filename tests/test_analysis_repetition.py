"""Across takes: a recited repeat or a read script is flagged; a fresh retelling is not."""

from __future__ import annotations

from offscript.analysis.answer import analyse_text
from offscript.analysis.repetition import compare_across_takes

FIRST = (
    "We moved the billing pipeline to Flink and I signed off the cutover without a throughput "
    "benchmark. Two days later we were dropping about four percent of events at peak and the "
    "finance team had to reconcile by hand. Since then I insist on a load test at twice peak "
    "before any migration goes live."
)
# The same answer recited: a couple of ums and one word changed.
REPEAT = (
    "Um, we moved the billing pipeline to Flink and I signed off the cutover without a "
    "throughput benchmark. Two days later we were dropping about four percent of events at "
    "peak and uh the finance team had to reconcile by hand. Since then I always insist on a "
    "load test at twice peak before any migration goes live."
)
# The same story told afresh.
RETOLD = (
    "So the mistake was mine: I approved switching billing over to Flink before anyone had "
    "measured throughput. At peak we lost roughly four percent of events for two days, and "
    "finance spent that week reconciling by hand. What changed is that nothing migrates now "
    "until it has survived twice our peak load in a test."
)
OTHER = (
    "I pushed back on my manager about rewriting the search service in Rust because the team "
    "had no one who knew it, and we agreed to prototype one endpoint first and measure."
)


def _json(text: str) -> dict:
    return analyse_text(text, source="t").to_json()


def test_a_near_verbatim_repeat_is_flagged_as_memorised_with_the_shared_words():
    result = compare_across_takes(_json(REPEAT), [_json(OTHER), _json(FIRST)])
    assert result["memorised"] is True
    assert result["closest_take"]["index"] == 1 and result["closest_take"]["order"] >= 0.9
    (flag,) = [f for f in result["flags"] if f["code"] == "memorised_repeat"]
    assert flag["value"] >= flag["threshold"]
    assert any("billing pipeline to Flink" in e["text"] for e in flag["evidence"])


def test_retelling_the_same_story_in_new_words_is_not_memorised():
    result = compare_across_takes(_json(RETOLD), [_json(FIRST)])
    assert result["memorised"] is False and result["flags"] == []
    assert result["closest_take"]["overlap"] < 0.3


def test_an_answer_read_from_the_pasted_script_is_flagged_and_a_free_one_is_not():
    read = compare_across_takes(_json(REPEAT), [], script=FIRST)
    assert read["reading"] is True and read["script"]["order"] >= 0.9
    assert [f["code"] for f in read["flags"]] == ["read_from_script"]
    free = compare_across_takes(_json(RETOLD), [], script=FIRST)
    assert free["reading"] is False and free["flags"] == []


def test_short_answers_and_first_takes_are_not_judged():
    short = compare_across_takes(_json("Yes, I would."), [_json("Yes, I would.")])
    assert short["memorised"] is False and short["closest_take"] is None
    first = compare_across_takes(_json(FIRST), [])
    assert first["earlier_takes"] == 0 and first["closest_take"] is None and first["flags"] == []

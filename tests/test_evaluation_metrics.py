"""Scoring functions of ``offscript eval`` on hand-made inputs."""

from __future__ import annotations

import pytest

from offscript.analysis.words import Word
from offscript.evaluation.metrics import (
    Interval,
    Scores,
    count_scores,
    filled_pause_event_scores,
    mean,
    pause_scores,
    real_time_factor,
    reference_filled_pauses,
    reference_pauses,
    reference_wpm,
    total,
    wpm_error_pct,
)


def iv(start: float, end: float | None = None) -> Interval:
    return Interval(start, start + 0.3 if end is None else end)


def test_counts_per_clip_take_the_smaller_count_as_matches() -> None:
    s = count_scores(n_hyp=4, n_ref=3)
    assert (s.tp, s.precision, s.recall) == (3, 0.75, 1.0)
    assert s.f1 == pytest.approx(2 * 3 / 7)


def test_counts_are_summed_over_clips_before_dividing() -> None:
    s = total([count_scores(2, 0), count_scores(0, 2), count_scores(1, 1)])
    assert (s.tp, s.n_hyp, s.n_ref) == (1, 3, 3)
    assert s.recall == pytest.approx(1 / 3) and s.precision == pytest.approx(1 / 3)


def test_no_references_leave_recall_undefined_and_false_alarms_give_zero_f1() -> None:
    s = count_scores(n_hyp=2, n_ref=0)
    assert s.recall is None and s.precision == 0.0 and s.f1 == 0.0


def test_no_detections_leave_precision_undefined_and_misses_give_zero_f1() -> None:
    s = count_scores(n_hyp=0, n_ref=3)
    assert s.precision is None and s.recall == 0.0 and s.f1 == 0.0


def test_nothing_to_find_and_nothing_found_is_undefined_not_perfect() -> None:
    s = count_scores(0, 0)
    assert (s.precision, s.recall, s.f1) == (None, None, None)
    assert s.to_json() == {"tp": 0, "hyp": 0, "ref": 0, "recall": None, "precision": None,
                           "f1": None}


def test_inconsistent_scores_are_refused() -> None:
    with pytest.raises(ValueError):
        Scores(tp=3, n_hyp=2, n_ref=5)
    with pytest.raises(ValueError):
        count_scores(-1, 2)


def test_filled_pauses_match_by_onset_within_half_a_second() -> None:
    ref = [iv(1.0), iv(5.0), iv(9.0)]
    hyp = [iv(1.45), iv(5.6), iv(20.0)]  # 0.45 s late: hit; 0.6 s late: miss; far: false alarm
    s = filled_pause_event_scores(hyp, ref)
    assert (s.tp, s.n_hyp, s.n_ref) == (1, 3, 3)


def test_the_tolerance_boundary_itself_counts_as_a_match() -> None:
    assert filled_pause_event_scores([iv(1.5)], [iv(1.0)]).tp == 1
    assert filled_pause_event_scores([iv(1.501)], [iv(1.0)]).tp == 0


def test_each_event_is_matched_at_most_once() -> None:
    # two detections near one "uh": one hit, one false alarm; and the reverse
    assert filled_pause_event_scores([iv(1.0), iv(1.2)], [iv(1.1)]).tp == 1
    assert filled_pause_event_scores([iv(1.1)], [iv(1.0), iv(1.2)]).tp == 1


def test_greedy_matching_still_finds_the_best_pairing() -> None:
    # a naive "nearest reference" choice would give 2.0 to hyp 1.6 and leave hyp 2.4 unmatched
    hyp = [iv(1.6), iv(2.4)]
    ref = [iv(1.2), iv(2.0)]
    assert filled_pause_event_scores(hyp, ref).tp == 2


def test_event_edge_cases_zero_refs_and_zero_hyps() -> None:
    assert filled_pause_event_scores([], []).f1 is None
    no_refs = filled_pause_event_scores([iv(1.0)], [])
    assert (no_refs.recall, no_refs.precision, no_refs.f1) == (None, 0.0, 0.0)
    no_hyps = filled_pause_event_scores([], [iv(1.0)])
    assert (no_hyps.recall, no_hyps.precision, no_hyps.f1) == (0.0, None, 0.0)


def test_pauses_need_both_boundaries_within_100_ms() -> None:
    ref = [Interval(2.0, 2.5), Interval(4.0, 5.0), Interval(7.0, 7.4)]
    hyp = [Interval(2.08, 2.43),  # both within 100 ms: hit
           Interval(4.05, 5.3),  # end 300 ms late: miss
           Interval(6.8, 7.4)]  # start 200 ms early: miss
    s = pause_scores(hyp, ref)
    assert (s.tp, s.n_hyp, s.n_ref) == (1, 3, 3)


def test_reference_pauses_are_gaps_of_at_least_250_ms_between_words() -> None:
    words = [Word("so", 0.5, 0.8), Word("i", 0.9, 1.0), Word("uh", 1.25, 1.5),
             Word("think", 2.0, 2.3), Word("so", 2.3, 2.6)]
    assert reference_pauses(words) == [Interval(1.0, 1.25), Interval(1.5, 2.0)]


def test_reference_pauses_ignore_edges_order_and_overlaps() -> None:
    words = [Word("b", 3.0, 3.2), Word("a", 1.0, 2.5), Word("inside", 1.5, 1.7)]
    # silence before 1.0 is latency; 1.7 is inside "a" (1.0-2.5), so the gap is 2.5-3.0
    assert reference_pauses(words) == [Interval(2.5, 3.0)]
    assert reference_pauses([]) == []
    assert reference_pauses([Word("alone", 0.0, 1.0)]) == []


def test_filled_pauses_among_reference_words() -> None:
    words = [Word("uh", 0.0, 0.3), Word("so", 0.3, 0.5), Word("um", 1.0, 1.2),
             Word("'er", 1.3, 1.4)]  # 'er is "her"
    assert reference_filled_pauses(words) == [Interval(0.0, 0.3), Interval(1.0, 1.2)]


def test_reference_wpm_leaves_out_filled_pauses_but_times_them() -> None:
    words = [Word("um", 0.0, 1.0), Word("one", 1.0, 2.0), Word("two", 2.0, 3.0),
             Word("three", 3.0, 6.0)]
    assert reference_wpm(words) == pytest.approx(3 / 6 * 60)
    assert reference_wpm([]) is None


def test_wpm_error_is_signed_percent_of_the_reference() -> None:
    assert wpm_error_pct(110.0, 100.0) == pytest.approx(10.0)
    assert wpm_error_pct(90.0, 100.0) == pytest.approx(-10.0)
    assert wpm_error_pct(None, 100.0) is None
    assert wpm_error_pct(100.0, None) is None
    assert wpm_error_pct(100.0, 0.0) is None


def test_real_time_factor_and_mean() -> None:
    assert real_time_factor(2.0, 20.0) == pytest.approx(0.1)
    assert real_time_factor(1.0, 0.0) is None
    assert mean([1.0, None, 3.0]) == 2.0
    assert mean([None]) is None

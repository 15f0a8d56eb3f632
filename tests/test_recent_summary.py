"""The home page's progress summary: the latest answers' means and how they moved."""

from __future__ import annotations

from offscript.reports.recent_summary import recent_rows, session_figures, summarise_recent
from offscript.store.history import HistoryRow
from offscript.store.takes import Store


def row(i: int, wpm=None, fillers=None, rehearsed=None, polish=None, session=1) -> HistoryRow:
    return HistoryRow(i, session, f"2026-12-0{1 + i % 9}", "q", "Q", "done", 60.0, None, "fast",
                      wpm, fillers, polish, rehearsed)


def test_the_latest_answers_are_compared_with_the_ones_before() -> None:
    latest = [row(i, 140, 3.0, 0.4, 0.5) for i in range(10)]
    before = [row(i, 190, 6.0, 0.41, 0.7) for i in range(10, 20)]
    s = summarise_recent(latest + before)
    assert s is not None and (s.latest_count, s.before_count) == (10, 10)
    assert s.text() == (
        "Your last 10 answers: pace 140 words/min · fillers 3.0 per min · sounds rehearsed 40%"
        " · too polished 50%. Against the 10 before: better: pace 190 → 140, fillers 6.0 → 3.0,"
        " too polished 70% → 50%."
    )  # rehearsed 41% -> 40% is within the tolerance: not a movement


def test_worse_figures_are_named_and_pace_counts_distance_from_the_band() -> None:
    latest = [row(i, 100, 8.0) for i in range(3)]
    before = [row(i, 150, 2.0) for i in range(3, 6)]
    text = summarise_recent(latest + before, group=3).text()
    assert text.endswith("Against the 3 before: worse: pace 150 → 100, fillers 2.0 → 8.0.")
    assert "sounds rehearsed" not in text  # never measured: not shown


def test_takes_without_analysis_are_skipped_and_none_means_no_summary() -> None:
    assert summarise_recent([row(1), row(2)]) is None
    s = summarise_recent([row(1), row(2, 150, 2.0), row(3)])
    assert s is not None and s.latest_count == 1 and s.before_count == 0
    assert s.text() == "Your last 1 answer: pace 150 words/min · fillers 2.0 per min."


def test_an_empty_store_has_no_summary() -> None:
    with Store.open() as store:
        assert summarise_recent(recent_rows(store)) is None


def test_each_session_gets_the_means_of_its_analysed_takes() -> None:
    rows = [row(1, 140, 2.0, polish=0.5, session=2), row(2, 160, 4.0, polish=0.7, session=2),
            row(3, 120, session=1), row(4, session=1), row(5, session=3)]
    assert session_figures(rows) == {2: "150 wpm · 3.0 fillers/min · polished 60%",
                                     1: "120 wpm"}  # session 3 has nothing analysed

"""Pace on real reference timings and on synthetic answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from offscript.analysis.fillers import tag_words
from offscript.analysis.pace import measure_pace, timeline, words_per_minute
from offscript.analysis.pauses import find_pauses
from offscript.analysis.tokens import is_filled_pause
from offscript.analysis.words import Word

TIMED_CLIPS = ["mfamono_acoustic_corpus", "mfamono_cold_corpus", "mfamono_cold_corpus3",
               "mfafill_michael"]


def reference_words(speech_dir: Path, clip_id: str) -> list[Word]:
    rows = json.loads((speech_dir / "words" / f"{clip_id}.json").read_text(encoding="utf-8"))
    return [Word(r["word"], r["start"], r["end"]) for r in rows]


@pytest.mark.parametrize("clip_id", TIMED_CLIPS)
def test_wpm_is_words_over_speaking_time(speech_dir: Path, clip_id: str) -> None:
    words = reference_words(speech_dir, clip_id)
    spoken = [w for w in words if not is_filled_pause(w.text)]
    span = words[-1].end - words[0].start
    expected = 60.0 * len(spoken) / span
    tagged = tag_words(words)
    stats = measure_pace(tagged, find_pauses(tagged, None))
    print(f"\n{clip_id}: {stats.wpm:.1f} wpm, articulation {stats.articulation_wpm:.1f}")
    assert stats.wpm == pytest.approx(expected)
    assert stats.speaking_time_s == pytest.approx(span)
    assert stats.articulation_wpm is not None and stats.articulation_wpm >= stats.wpm


def test_the_fast_then_slow_monologue_slows_down_in_the_timeline(speech_dir: Path) -> None:
    """acoustic_corpus: 'I'm talking pretty fast here' ... 'this is me talking really slow'."""
    windows = timeline(reference_words(speech_dir, "mfamono_acoustic_corpus"), window=5.0)
    assert windows[0].wpm > 1.5 * windows[1].wpm


def test_articulation_removes_only_pauses_of_at_least_min_pause() -> None:
    words = [Word("one", 0.0, 1.0), Word("two", 1.1, 2.0), Word("three", 4.0, 5.0)]
    stats = measure_pace(words, find_pauses(words, None))
    assert stats.wpm == pytest.approx(60 * 3 / 5.0)
    assert stats.articulation_wpm == pytest.approx(60 * 3 / 3.0)


def test_filled_pauses_are_not_words_but_count_for_speaking_time() -> None:
    words = [Word("um", 0.0, 1.0), Word("yes", 1.0, 2.0)]
    assert words_per_minute(words) == pytest.approx(60 * 1 / 2.0)


def test_timeline_windows_and_short_tail() -> None:
    words = [Word(f"w{i}", i * 0.5, i * 0.5 + 0.4) for i in range(50)]  # 24.9 s, 120 wpm
    windows = timeline(words, window=10.0)
    assert [round(w.start, 1) for w in windows] == [0.0, 10.0, 20.0]
    assert [w.words for w in windows] == [20, 20, 10]
    assert windows[0].wpm == pytest.approx(120.0)
    short = timeline(words[:42], window=10.0)  # ends at 20.9 s: a 0.9 s tail is dropped
    assert len(short) == 2


def test_text_only_input_has_no_timing_values() -> None:
    stats = measure_pace([Word("just"), Word("text")])
    assert (stats.wpm, stats.articulation_wpm, stats.speaking_time_s) == (None, None, None)
    assert stats.timeline == [] and stats.word_count == 2

"""Property tests: any word timings and any text give a valid, in-range analysis."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offscript.analysis.answer import analyse_answer, analyse_text
from offscript.analysis.fillers import tag_words
from offscript.analysis.words import Word

times = st.one_of(st.none(), st.floats(min_value=-5, max_value=400),
                  st.sampled_from([math.nan, math.inf, -math.inf, 0.0, 1e12, -0.0]))
texts = st.one_of(
    st.sampled_from(["um", "Uh,", "like", "you", "know,", "I", "mean", "kind", "of", "so",
                     "right?", "'er", "…", "-", "", "  ", "Mm-hmm", "ümlaut", "日本語", "🙂",
                     "like,", "basically", "A.", "\u200b", "\U0001F600like"]),
    st.text(max_size=12),
)
words_strategy = st.lists(st.builds(Word, texts, times, times), max_size=60)


def check_ranges(data: dict, n_words: int, *, exact: bool = True) -> None:
    # with audio, a phrase lying in silence at either end may be dropped as a hallucination
    assert len(data["words"]) == n_words if exact else len(data["words"]) <= n_words
    pace = data["pace"]
    for key in ("wpm", "articulation_wpm", "speaking_time_s"):
        assert pace[key] is None or (math.isfinite(pace[key]) and pace[key] >= 0)
    for window in pace["timeline"]:
        assert window["end"] > window["start"] and window["wpm"] >= 0
    for p in data["pauses"]:
        assert p["end"] >= p["start"]
    fillers = data["fillers"]
    assert 0 <= fillers["filled_pauses"] + fillers["lexical"] <= n_words
    assert 0.0 <= fillers["per_100_words"] <= 100.0
    assert fillers["per_minute"] is None or fillers["per_minute"] >= 0
    json.dumps(data, allow_nan=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=words_strategy, duration=times, sort=st.booleans())
def test_any_word_timings_give_a_valid_analysis(words: list[Word], duration: float | None,
                                                sort: bool) -> None:
    if sort:
        words = sorted(words, key=lambda w: (w.start is None, w.start or 0.0))
    data = analyse_answer(words, source="prop", duration_s=duration).to_json()
    check_ranges(data, len(words))


@settings(max_examples=40, deadline=None)
@given(words=words_strategy, seed=st.integers(0, 2**16),
       sr=st.sampled_from([8000, 16000, 44100]), seconds=st.floats(0, 3))
def test_any_words_with_audio_give_a_valid_analysis(words: list[Word], seed: int, sr: int,
                                                    seconds: float) -> None:
    rng = np.random.default_rng(seed)
    audio = (rng.standard_normal(int(sr * seconds)) * rng.uniform(0, 0.5)).astype(np.float32)
    audio[: audio.size // 3] = 0.0
    data = analyse_answer(words, source="prop", duration_s=seconds, audio=audio,
                          sr=sr).to_json()
    check_ranges(data, len(words), exact=False)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=400))
def test_any_text_gives_a_valid_analysis(text: str) -> None:
    data = analyse_text(text, source="prop.txt").to_json()
    check_ranges(data, len(data["words"]))
    assert data["pace"]["wpm"] is None


def test_a_huge_text_is_tagged_word_for_word() -> None:
    words = [Word(w) for w in ("so um you know I mean like kind of " * 5000).split()]
    tagged = tag_words(words)
    assert len(tagged) == len(words)

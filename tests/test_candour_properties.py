"""Property tests: any text, any recognised words → a candour score in [0, 1], never a crash."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from offscript.analysis.candour import analyse_candour
from offscript.analysis.fillers import tag_words
from offscript.analysis.words import Word

VOCAB = ["I", "we", "We.", "our", "the", "team", "um,", "uh", "like", "like,", "you", "know,",
         "always", "never", "everyone", "100%", "70%", "maybe", "sure.", "was", "wrong.",
         "perfectionist", "passionate", "synergy", "Kafka", "Priya", "twenty-five", "one",
         "hundred", "percent", "since", "then", "trade-off", "in", "the", "end", "-", "…",
         "ümlaut", "日本語", "🙂", "\u200b", "'er", "It's", "I'm", "", "  ", "Q3", "p99,"]
texts = st.one_of(st.text(max_size=400),
                  st.lists(st.sampled_from(VOCAB), max_size=120).map(" ".join))
times = st.one_of(st.none(), st.floats(min_value=-5, max_value=400),
                  st.sampled_from([math.nan, math.inf, 0.0]))
words = st.lists(st.builds(Word, st.sampled_from(VOCAB) | st.text(max_size=8), times, times),
                 max_size=80)


def _check(result) -> None:
    assert 0.0 <= result.polish_score <= 1.0 and math.isfinite(result.polish_score)
    data = result.to_json()
    json.dumps(data, allow_nan=False)
    for s in result.signals:
        assert s.evidence and s.direction in ("honest", "polished")
    for f in result.flags:
        assert f.evidence


@settings(max_examples=300, deadline=None)
@given(texts)
def test_any_text_gives_a_score_in_range(text: str) -> None:
    _check(analyse_candour(None, text))


@settings(max_examples=150, deadline=None)
@given(words)
def test_any_recognised_words_give_a_score_in_range(ws: list[Word]) -> None:
    tagged = tag_words(ws)
    _check(analyse_candour(tagged, " ".join(w.text for w in ws)))

"""The feedback transcript: pauses shown after the word they follow, fast on long answers."""

from __future__ import annotations

from offscript.ui.results_view import transcript_html


def words_at(n: int) -> list[dict]:
    return [{"text": f"w{i}", "start": i * 0.5, "end": i * 0.5 + 0.3, "kind": "word"}
            for i in range(n)]


def test_a_pause_is_shown_after_the_word_it_follows() -> None:
    words = words_at(6)
    pauses = [{"start": 1.35, "end": 2.35, "kind": "thinking"}]  # after w2 (ends 1.3)
    out = transcript_html(words, pauses)
    assert "w2 <span" in out and "[1.0s]" in out
    assert out.index("[1.0s]") < out.index("w3")
    assert transcript_html(words, [{"start": 9.0, "end": 10.0, "kind": "boundary"}]).count(
        "pause") == 0  # no word ends near it: not shown


def test_every_pause_of_a_thirty_minute_answer_lands_after_its_word() -> None:
    words = words_at(4000)
    pauses = [{"start": w["end"] + 0.05, "end": w["end"] + 0.3, "kind": "hesitation"}
              for w in words[::4]]
    out = transcript_html(words, pauses)
    assert out.count("hesitation pause") == 1000
    for i in (0, 1996, 3996):
        assert f"w{i} <span" in out


def test_signals_show_readable_values_and_what_the_arrows_mean() -> None:
    from offscript.ui.results_view import signals_html

    signal = {"label": "filled pauses (um, uh) per 100 words", "value": 10.345, "threshold": 1.0,
              "direction": "rehearsed", "advice": "Pause silently instead.",
              "evidence": [{"text": "uh"}]}  # fmt: skip
    text = signals_html({"delivery": {"signals": [signal, {**signal, "value": 0.1925,
                                                            "direction": "live"}]}})
    assert "per 100 words: 10.3 (threshold 1)" in text
    assert ": 0.19 (threshold 1)" in text
    assert "▲ sounds recited · ▼ sounds live" in text
    assert text.count("▲") == 2 and text.count("▼") == 2  # one each in the legend

"""Flags fire on the right evidence and stay quiet on a calm answer."""

from __future__ import annotations

from offscript.analysis.answer import analyse_answer, analyse_text
from offscript.analysis.flags import (
    LONG_PAUSE_S,
    PACE_FAST_WPM,
    PACE_SLOW_WPM,
    REPEATED_FILLER_MIN,
)
from offscript.analysis.words import Word


def timed(text: str, step: float, gaps: dict[int, float] | None = None) -> list[Word]:
    """Words every ``step`` seconds (90 % voiced); ``gaps`` adds silence before word i."""
    out, t = [], 0.0
    for i, piece in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        out.append(Word(piece, t, t + 0.9 * step))
        t += step
    return out


CALM = ("I led the migration of our billing service to a new database. We planned it in "
        "three phases. First we copied the data and compared every night. Then we moved "
        "reads, and finally writes. The whole project took four months and nothing was lost.")


def codes(words: list[Word]) -> dict[str, dict]:
    data = analyse_answer(words, source="t", duration_s=None).to_json()
    return {f["code"]: f for f in data["flags"]}


DELIVERY_CODES = {"sounds_recited", "monotone", "no_thinking_pauses", "no_fillers", "even_pace"}
CANDOUR_CODES = {"too_polished", "vague_we", "no_mistake_admitted", "cliches", "humble_brag",
                 "absolute_claims", "no_specifics"}


def test_a_calm_answer_at_conversational_pace_raises_no_pace_filler_or_pause_flag() -> None:
    found = codes(timed(CALM * 2, 60 / 140))
    other = DELIVERY_CODES | CANDOUR_CODES  # judged by their own tests
    assert {c: f for c, f in found.items() if c not in other} == {}
    # ...but a metronome-even answer with no um and no pause is what recitation sounds like.
    assert found.keys() & DELIVERY_CODES


def test_fast_and_slow_pace_with_the_window_as_evidence() -> None:
    fast = codes(timed(CALM * 2, 60 / 200))["pace_fast"]
    assert fast["value"] > PACE_FAST_WPM and fast["threshold"] == PACE_FAST_WPM
    assert fast["evidence"] and fast["evidence"][0]["start"] is not None
    slow = codes(timed(CALM, 60 / 90))["pace_slow"]
    assert slow["value"] < PACE_SLOW_WPM


def test_long_pause_points_at_the_words_around_it() -> None:
    words = timed(CALM * 2, 60 / 140, gaps={20: 4.0})
    flag = codes(words)["long_pause"]
    assert flag["value"] > LONG_PAUSE_S
    evidence = flag["evidence"][0]
    assert words[19].text in evidence["text"] and words[20].text in evidence["text"]
    assert evidence["end"] - evidence["start"] > LONG_PAUSE_S


def test_repeated_filler_lists_each_occurrence() -> None:
    text = CALM + " Basically we tested. Then, you know, we shipped. " * REPEATED_FILLER_MIN
    flags = codes(timed(text, 60 / 140))
    repeated = flags["repeated_filler"]
    assert repeated["filler"] in {"basically", "you know"}
    assert len(repeated["evidence"]) == REPEATED_FILLER_MIN
    assert all(e["start"] is not None for e in repeated["evidence"])


def test_filled_pauses_high_and_hesitations() -> None:
    text = " ".join(f"the um {w}" for w in CALM.split()[:40])
    gaps = {i: 0.6 for i in range(1, 120, 3)}  # silence after each "the"
    flags = codes(timed(text, 60 / 150, gaps=gaps))
    assert flags["filled_pauses_high"]["value"] > flags["filled_pauses_high"]["threshold"]
    assert len(flags["filled_pauses_high"]["evidence"]) == 40
    assert "hesitations_many" in flags


def test_text_input_uses_rates_per_100_words() -> None:
    data = analyse_text("Um, so, um, I, uh, think, um, it, uh, worked.", source="t.txt").to_json()
    flag = next(f for f in data["flags"] if f["code"] == "filled_pauses_high")
    assert flag["evidence"][0] == {"text": "Um,", "start": None, "end": None}

"""The bands the feedback's headline figures are judged against."""

from __future__ import annotations

from offscript.ui.figure_bands import figure_notes


def analysis(wpm=None, filled=None, lexical=None, rehearsed=None, polish=None, pauses=()):
    return {"pace": {"wpm": wpm},
            "fillers": {"filled_per_minute": filled, "lexical_per_minute": lexical},
            "pauses": [{"kind": k} for k in pauses],
            "delivery": {"rehearsed_score": rehearsed}, "candour": {"polish_score": polish}}


def test_figures_inside_and_outside_their_bands() -> None:
    inside = figure_notes(analysis(140, 2.0, 1.0, 0.3, 0.35, ("thinking", "hesitation",
                                                              "thinking", "boundary")))
    assert {k: n.ok for k, n in inside.items() if n.ok is not None} == {
        "wpm": True, "filled": True, "lexical": True, "rehearsed": True, "polish": True}
    assert inside["pauses"].text == "2 thinking · 1 hesitation"
    outside = figure_notes(analysis(185, 9.5, 7.0, 0.7, 0.72))
    assert {k: n.ok for k, n in outside.items() if n.ok is not None} == {
        "wpm": False, "filled": False, "lexical": False, "rehearsed": False, "polish": False}
    assert outside["filled"].text == "9.5/min (healthy ≤ 6)"
    assert outside["polish"].text == "flag ≥ 70%; 50–70% unsure"
    assert figure_notes(analysis(polish=0.57))["polish"].ok is None  # undecided: no colour
    assert figure_notes(analysis(109.9))["wpm"].ok is False  # the band's edges are its own
    assert figure_notes(analysis(110.0))["wpm"].ok is True


def test_nothing_measured_means_nothing_judged() -> None:
    notes = figure_notes({"pace": {}, "fillers": {}, "pauses": []})
    assert all(n.ok is None for n in notes.values())
    assert notes["filled"].text == "–/min (healthy ≤ 6)"

"""What each headline figure of the feedback is measured against (no Qt): the healthy band or
threshold, taken from the same constants the flags use, and whether the answer is inside it.

``None`` as the verdict means there is nothing to judge (no band for that figure, or the figure
could not be measured); the view then shows the note without a colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from offscript.analysis.candour import POLISHED_FROM, TOO_POLISHED
from offscript.analysis.delivery import RECITED_SCORE
from offscript.analysis.flags import (
    FILLED_PAUSES_PER_MIN_HIGH,
    LEXICAL_FILLERS_PER_MIN_HIGH,
    PACE_FAST_WPM,
    PACE_SLOW_WPM,
)


@dataclass(frozen=True)
class FigureNote:
    text: str  # one short line under the figure
    ok: bool | None  # inside the band (True), outside (False), nothing to judge (None)


def _per_min(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def figure_notes(data: dict) -> dict[str, FigureNote]:
    """Notes for the figure keys of ``ResultsView`` from one analysis JSON."""
    pace, fillers, pauses = data.get("pace", {}), data.get("fillers", {}), data.get("pauses", [])
    wpm = pace.get("wpm")
    rehearsed = (data.get("delivery") or {}).get("rehearsed_score")
    polish = (data.get("candour") or {}).get("polish_score")
    filled_rate, lexical_rate = fillers.get("filled_per_minute"), fillers.get("lexical_per_minute")
    kinds = [p.get("kind") for p in pauses]
    return {
        "wpm": FigureNote(
            f"healthy {PACE_SLOW_WPM:.0f}–{PACE_FAST_WPM:.0f}",
            None if wpm is None else PACE_SLOW_WPM <= wpm <= PACE_FAST_WPM,
        ),
        "articulation": FigureNote("pauses left out", None),
        "pauses": FigureNote(
            f"{kinds.count('thinking')} thinking · {kinds.count('hesitation')} hesitation", None
        ),
        "filled": FigureNote(
            f"{_per_min(filled_rate)}/min (healthy ≤ {FILLED_PAUSES_PER_MIN_HIGH:.0f})",
            None if filled_rate is None else filled_rate <= FILLED_PAUSES_PER_MIN_HIGH,
        ),
        "lexical": FigureNote(
            f"{_per_min(lexical_rate)}/min (healthy ≤ {LEXICAL_FILLERS_PER_MIN_HIGH:.0f})",
            None if lexical_rate is None else lexical_rate <= LEXICAL_FILLERS_PER_MIN_HIGH,
        ),
        "per_minute": FigureNote("um/uh + lexical", None),
        "rehearsed": FigureNote(
            f"flag ≥ {RECITED_SCORE * 100:.0f}%",
            None if rehearsed is None else rehearsed < RECITED_SCORE,
        ),
        "polish": FigureNote(
            f"flag ≥ {TOO_POLISHED * 100:.0f}%; {POLISHED_FROM * 100:.0f}–"
            f"{TOO_POLISHED * 100:.0f}% unsure",
            _polish_verdict(polish),
        ),
    }


def _polish_verdict(polish: float | None) -> bool | None:
    """Candid below ``POLISHED_FROM``, too polished from ``TOO_POLISHED``; in between the score
    cannot tell, so the figure gets no colour."""
    if polish is None or POLISHED_FROM <= polish < TOO_POLISHED:
        return None
    return polish < POLISHED_FROM

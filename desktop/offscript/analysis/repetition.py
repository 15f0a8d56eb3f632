"""Across takes: is this answer a near-verbatim repeat of an earlier take (memorised), or
read from a script the user pasted?

Two measures over the words said (filled pauses left out, case and punctuation ignored):

* ``overlap``: share of this answer's word trigrams that also occur in the other text;
* ``order``: share of this answer's words that form the longest common word sequence
  with the other text, in the same order (difflib's matching blocks).

A free retelling of the same story shares content words but neither many trigrams nor long
runs in order; a recited answer shares both.  Thresholds (``MEMORISED_*``, ``READING_*``)
were set from paraphrase vs repeat pairs in tests/test_analysis_repetition.py and err on
the side of not accusing: a flag needs both measures high.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from offscript.analysis.tokens import is_filled_pause
from offscript.analysis.words import Evidence, Flag

MEMORISED_OVERLAP = 0.6
MEMORISED_ORDER = 0.7
READING_OVERLAP = 0.7
READING_ORDER = 0.8
MIN_WORDS = 12  # shorter answers repeat by necessity ("I'd say yes, because...")
MIN_RUN = 6  # shared runs shown as evidence


@dataclass(frozen=True)
class Similarity:
    overlap: float
    order: float
    runs: tuple[tuple[int, int], ...]  # (start index, length) in this answer's word list


def _norm(text: str) -> str:
    return re.sub(r"[^\w']+", "", text.lower())


def spoken_words(words: Sequence[dict]) -> list[tuple[str, dict]]:
    """(normalised word, original word dict) for every word that is not a filled pause."""
    out = []
    for w in words:
        n = _norm(w.get("text", ""))
        if n and w.get("kind") != "filled_pause" and not is_filled_pause(n):
            out.append((n, w))
    return out


def similarity(current: Sequence[str], other: Sequence[str]) -> Similarity:
    if not current or not other:
        return Similarity(0.0, 0.0, ())
    grams = {tuple(current[i : i + 3]) for i in range(len(current) - 2)}
    other_grams = {tuple(other[i : i + 3]) for i in range(len(other) - 2)}
    overlap = len(grams & other_grams) / len(grams) if grams else 0.0
    blocks = SequenceMatcher(None, current, other, autojunk=False).get_matching_blocks()
    in_order = sum(b.size for b in blocks)
    runs = tuple((b.a, b.size) for b in blocks if b.size >= MIN_RUN)
    return Similarity(round(overlap, 3), round(in_order / len(current), 3), runs)


def _evidence(pairs: list[tuple[str, dict]], runs) -> tuple[Evidence, ...]:
    ev = []
    for start, size in sorted(runs, key=lambda r: -r[1])[:3]:
        first, last = pairs[start][1], pairs[start + size - 1][1]
        text = " ".join(p[1]["text"] for p in pairs[start : start + size])
        ev.append(Evidence(text, first.get("start"), last.get("end")))
    return tuple(ev)


def compare_across_takes(current: dict, earlier: Sequence[dict], script: str | None = None) -> dict:
    """Compare an analysis JSON with earlier takes of the same question and a pasted script.

    Returns the ``across_takes`` part of the analysis JSON, with its flags (as JSON).
    """
    pairs = spoken_words(current.get("words", []))
    words = [p[0] for p in pairs]
    result: dict = {"earlier_takes": len(earlier), "closest_take": None, "memorised": False,
                    "script": None, "reading": None, "flags": []}  # fmt: skip
    if len(words) < MIN_WORDS:
        return result
    best: tuple[Similarity, int] | None = None
    for i, take in enumerate(earlier):
        other = [p[0] for p in spoken_words(take.get("words", []))]
        sim = similarity(words, other)
        if best is None or (sim.order, sim.overlap) > (best[0].order, best[0].overlap):
            best = (sim, i)
    if best is not None:
        sim, i = best
        result["closest_take"] = {"index": i, "overlap": sim.overlap, "order": sim.order}
        if sim.overlap >= MEMORISED_OVERLAP and sim.order >= MEMORISED_ORDER:
            result["memorised"] = True
            result["flags"].append(Flag(
                "memorised_repeat", "warning",
                f"This take repeats an earlier one almost word for word "
                f"({sim.order:.0%} of the words in the same order).",
                _evidence(pairs, sim.runs), sim.order, MEMORISED_ORDER,
                "Tell it fresh: keep the facts, let the words be new.").to_json())  # fmt: skip
    if script and script.strip():
        script_words = [n for t in script.split() if (n := _norm(t)) and not is_filled_pause(n)]
        sim = similarity(words, script_words)
        result["script"] = {"overlap": sim.overlap, "order": sim.order}
        result["reading"] = sim.overlap >= READING_OVERLAP and sim.order >= READING_ORDER
        if result["reading"]:
            message = (f"This answer follows your script closely ({sim.order:.0%} of the words "
                       "in order): it may sound read.")  # fmt: skip
            advice = "Keep the script's points, not its sentences."
            flag = Flag("read_from_script", "warning", message, _evidence(pairs, sim.runs),
                        sim.order, READING_ORDER, advice)  # fmt: skip
            result["flags"].append(flag.to_json())
    return result

"""Silent pauses inside an answer, from word timings, refined with the signal when audio is given.

Finding pauses
--------------
- Words are sorted by start; untimed or non-finite words are ignored; an end before its start is
  treated as a zero-length word. Overlapping words leave no gap.
- Without audio, a pause is every gap between consecutive words of at least ``min_pause``
  (default 250 ms, the usual lower bound for a perceived silent pause; shorter gaps are
  articulation, e.g. stop closures).
- With audio, a pause is a silent stretch from ``energy.silent_runs`` (band energy vs adaptive
  noise floor, 10 ms hop) of at least ``min_pause`` with recognised speech on both sides (a word
  whose midpoint lies before its centre and one after). The recogniser only says *where the
  answer is*, never where a pause starts or ends: Whisper word boundaries are off by 50-500 ms
  and words are stretched over the silence next to them, while the reference pauses are
  measured to 10 ms. So silences hidden inside a recognised "word" span are found, and a gap
  between recognised words with no silence in it (a misplaced word boundary, a breath, a
  cough) is not a *silent* pause. Recognised words inside a silence are not trusted either
  (Whisper puts zero-length "uh" and stretched words there).
  Only when the signal shows no speech at all over the words (digital silence, a broken
  input) do the recogniser gaps stand in.
  On ../shared/speech (fast model, both boundaries within 100 ms) this took pause F1 from
  0.38 (gaps ∪ energy) to 0.79; the thresholds were set on two clips
  (acoustic_corpus, cold_corpus) and checked on cold_corpus3 and on spliced synthetic speech.
- Silence before the first word and after the last is *not* a pause: it is response latency
  and trailing silence, reported by ``edge_silences``.

Classifying pauses (first rule that applies)
--------------------------------------------
1. ``hesitation`` - the word before is a determiner or preposition, or a filled pause not
   followed by a discourse starter, or the word after is a filled pause: the speaker stopped
   inside a phrase ("the ... database", "um ... database", "we ... um").
2. ``thinking`` - at a clause/sentence boundary (the word before ends with . ? ! ; : or the word
   after is a discourse starter such as so/and/but/well/because/then/I think) and at least
   ``THINKING_MIN_S`` long.
3. ``boundary`` - a shorter pause at such a boundary, or after a comma.
4. Otherwise (no punctuation, no cue): ``hesitation`` if at least ``THINKING_MIN_S`` long
   (a long stop between two content words), else ``boundary``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from offscript.analysis.energy import silent_runs
from offscript.analysis.tokens import (
    DETERMINERS,
    DISCOURSE_STARTERS,
    PREPOSITIONS,
    Token,
    make_tokens,
)
from offscript.analysis.words import Pause, PauseKind, TaggedWord, Word

# Pauses of 1 s and more at a boundary read as planning ("thinking") rather than breathing or
# phrasing; ordinary between-sentence pauses in fluent speech are mostly 0.3-1 s.
THINKING_MIN_S = 1.0


@dataclass(frozen=True)
class EdgeSilences:
    """Silence before the first word (response latency) and after the last one."""

    leading_s: float | None
    trailing_s: float | None

    def to_json(self) -> dict:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)
        return {"leading_s": r(self.leading_s), "trailing_s": r(self.trailing_s)}


@dataclass(frozen=True)
class _Timed:
    start: float
    end: float
    token: Token


def _usable(words: Sequence[Word | TaggedWord]) -> list[Word | TaggedWord]:
    """The words with a finite start and end."""
    return [w for w in words if w.start is not None and w.end is not None
            and math.isfinite(w.start) and math.isfinite(w.end)]


def _timed_words(words: Sequence[Word | TaggedWord]) -> list[_Timed]:
    usable = _usable(words)
    usable.sort(key=lambda w: (w.start, w.end))
    tokens = make_tokens(usable)
    return [_Timed(float(w.start), float(max(w.start, w.end)), t)  # type: ignore[arg-type]
            for w, t in zip(usable, tokens, strict=True)]


def classify_pause(before: Token | None, after: Token | None, duration: float) -> PauseKind:
    """Kind of a pause between two words (see the module docstring for the rules)."""
    starter = after is not None and (after.core in DISCOURSE_STARTERS or after.core == "i")
    if before is not None and (before.core in DETERMINERS or before.core in PREPOSITIONS
                               or (before.filled and not starter)):
        return "hesitation"
    if after is not None and after.filled:
        return "hesitation"
    at_sentence = before is not None and any(c in before.punct_after for c in ".?!;:")
    if at_sentence or starter:
        return "thinking" if duration >= THINKING_MIN_S else "boundary"
    if before is not None and before.punct_after:
        return "boundary"
    return "hesitation" if duration >= THINKING_MIN_S else "boundary"


def _gaps(timed: list[_Timed]) -> list[tuple[float, float, int]]:
    """(start, end, index of the word before) for every positive gap between words."""
    out = []
    reach = timed[0].end
    for i in range(1, len(timed)):
        if timed[i].start > reach:
            out.append((reach, timed[i].start, i - 1))
        reach = max(reach, timed[i].end)
    return out


def _midpoints(timed: list[_Timed]) -> np.ndarray:
    return np.array([(w.start + w.end) / 2 for w in timed])


def _refined(timed: list[_Timed], runs: Sequence[tuple[float, float]]
             ) -> list[tuple[float, float, int]] | None:
    """Silences with a word on each side, each with the index of the word before (by
    midpoint); None when the signal shows no speech over the words."""
    mids = _midpoints(timed)
    if any(s <= mids[0] and mids[-1] <= e for s, e in runs):
        return None  # no speech anywhere the words are: energy cannot tell
    order = np.argsort(mids, kind="stable")
    sorted_mids = mids[order]
    out = []
    for s, e in runs:
        k = int(np.searchsorted(sorted_mids, (s + e) / 2, side="left"))
        if 0 < k < len(sorted_mids):
            out.append((s, e, int(order[k - 1])))
    return out


def find_pauses(words: Sequence[Word | TaggedWord], duration_s: float | None,
                min_pause: float = 0.25, audio: np.ndarray | None = None, sr: int = 16000,
                silences: Sequence[tuple[float, float]] | None = None) -> list[Pause]:
    """Silent pauses between the first and last word, classified (module docstring).
    ``silences``: the audio's ``silent_runs`` of at least ``min_pause``, when already known."""
    timed = _timed_words(words)
    if not timed:
        return []
    min_pause = max(min_pause, 0.01)
    spans = None
    if silences is None and audio is not None and np.asarray(audio).size > 0 and sr > 0:
        silences = silent_runs(audio, sr, min_pause)
    if silences is not None:
        spans = _refined(timed, silences)
    if spans is None:
        spans = [g for g in _gaps(timed) if g[1] - g[0] >= min_pause]
    if duration_s is not None and math.isfinite(duration_s):
        spans = [(s, min(e, duration_s), b) for s, e, b in spans if min(e, duration_s) - s > 0]
    pauses = []
    for s, e, before in spans:
        after = timed[before + 1].token if before + 1 < len(timed) else None
        pauses.append(Pause(start=s, end=e,
                            kind=classify_pause(timed[before].token, after, e - s)))
    return pauses


def edge_silences(words: Sequence[Word | TaggedWord], duration_s: float | None
                  ) -> EdgeSilences:
    """Silence before the first word and after the last (None when unknown)."""
    timed = [(float(w.start), float(max(w.start, w.end)))  # type: ignore[arg-type]
             for w in _usable(words)]  # no tokens needed here
    if not timed:
        return EdgeSilences(None, None)
    leading = max(0.0, min(s for s, _ in timed))
    trailing = None
    if duration_s is not None and math.isfinite(duration_s):
        trailing = max(0.0, duration_s - max(e for _, e in timed))
    return EdgeSilences(leading, trailing)

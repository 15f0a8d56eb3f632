"""Known recogniser artefacts, undone before the words are analysed.

Whisper with the filler prompt (``speech/asr.py``) brings back most "um"/"uh", at a price that
was measured on ../shared/speech (per-clip listing in the README's calibration notes):

- **Doubled fillers.** The decoder repeats a filler it has just written ("uh, uh,") with a very
  low word probability. A filled pause with probability below ``DOUBTFUL_FILLER_P`` is dropped
  when its neighbour is the same filler ("uh" next to "uh"; a run of different ones such as
  "uh um hmm" is real hesitation and is kept). An isolated low-probability "uh" is kept: Whisper
  gives the first token after the prompt a low probability even when it is right (3 of the 4
  isolated "uh" under 0.05 with the fast model were real).
- **Trailing hallucinations.** Over silence or breath at the end of a clip Whisper adds a
  filler or "Thank you." / "Thanks for watching" (subtitle habits). A filled pause as the very
  last word, or one of those closing phrases, is dropped when its first word's probability is
  below ``DOUBTFUL_FILLER_P``; a confident "Thank you" at the end of an answer stays.
- **Phrases in silence.** Over a silence at either end of the recording Whisper can also write
  a whole phrase that is not there ("Thanks for watching guys, see you in the next video.",
  "See you next time."). A run of at least ``MIN_PHRASE_IN_SILENCE`` words at the start or the
  end whose every word lies inside one silence (``energy.silent_runs``) is dropped: nobody
  speaks three words without a sound. One or two words are kept, because Whisper sometimes
  collapses the time stamps of real words onto a point in a nearby silence (in
  ../shared/speech: "word. word." at the end of `mfafill_words`, which the speaker did say).
- **Filler onsets.** Whisper time-stamps a filled pause at the start of the *next* word, often
  with zero length, so "cares. [silence] um this" comes out as "cares. um|this" with the "um"
  0.6 s late. When a silent pause (``pauses.find_pauses``) ends between the previous word's
  start and the filler's start, the filler starts where that silence ends: the first sound
  after the silence is the filler (at most ``MAX_FILLED_S`` earlier than recognised). When the
  audio is known and the stretch between the previous word's end and the filler's stamp holds
  no silence at all but lasts at least ``MIN_LATE_GAP_S``, that stretch is sound no word
  accounts for: the filler, which then starts where the previous word ends ("happened,
  [sound] uh" stamped 0.7 s after "happened" while the "uh" began 0.16 s after it).

Without word probabilities (typed text, reference timings) every probability is 1.0 and only
the onset rule can apply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from offscript.analysis.tokens import is_filled_pause
from offscript.analysis.words import Pause, TaggedWord, Word

DOUBTFUL_FILLER_P = 0.3
MAX_FILLED_S = 1.2
MIN_LATE_GAP_S = 0.2
MIN_PHRASE_IN_SILENCE = 3
IN_SILENCE_TOLERANCE_S = 0.03
_CLOSINGS = (("thank", "you"), ("thanks", "for", "watching"), ("thank", "you", "for",
                                                               "watching"))


def _core(text: str) -> str:
    return re.sub(r"[^\w']+", "", text.lower())


def _filled(w: Word) -> bool:
    return is_filled_pause(_core(w.text))


def _same_filler(a: Word, b: Word | None) -> bool:
    return b is not None and _filled(a) and _core(a.text)[:2] == _core(b.text)[:2]


def drop_recogniser_artefacts(words: Sequence[Word]) -> list[Word]:
    """The words without doubled low-probability fillers and trailing hallucinations."""
    out = list(words)
    for closing in _CLOSINGS:
        n = len(closing)
        tail = out[-n:]
        if (len(out) > n and tuple(_core(w.text) for w in tail) == closing
                and tail[0].probability < DOUBTFUL_FILLER_P):
            out = out[:-n]
            break
    keep: list[Word] = []
    for i, w in enumerate(out):
        if _filled(w) and w.probability < DOUBTFUL_FILLER_P:
            nxt = out[i + 1] if i + 1 < len(out) else None
            doubled = ((keep and _same_filler(w, keep[-1])) or
                       (_same_filler(w, nxt) and nxt.probability >= DOUBTFUL_FILLER_P))
            if doubled or (nxt is None and keep):
                continue
        keep.append(w)
    return keep


def drop_phrases_in_silence(words: Sequence[Word], silences: Sequence[tuple[float, float]]
                            ) -> list[Word]:
    """The words without a leading or trailing run of ``MIN_PHRASE_IN_SILENCE`` or more words
    that all lie inside a silence (module docstring)."""
    tol = IN_SILENCE_TOLERANCE_S

    def in_silence(w: Word) -> bool:
        return (w.start is not None and w.end is not None
                and any(s - tol <= w.start and w.end <= e + tol for s, e in silences))

    out = list(words)
    tail = 0
    while tail < len(out) and in_silence(out[-1 - tail]):
        tail += 1
    if tail >= MIN_PHRASE_IN_SILENCE:
        out = out[: len(out) - tail]
    head = 0
    while head < len(out) and in_silence(out[head]):
        head += 1
    if head >= MIN_PHRASE_IN_SILENCE:
        out = out[head:]
    return out


def retime_filled_pauses(tagged: Sequence[TaggedWord], pauses: Sequence[Pause],
                         silences: Sequence[tuple[float, float]] | None = None
                         ) -> list[TaggedWord]:
    """Move each filled pause's start to the end of the silence before it, or, when
    ``silences`` (the audio's silent runs) shows sound all through a gap before it, to the
    previous word's end (module docstring)."""
    out = list(tagged)
    prev: TaggedWord | None = None
    for i, w in enumerate(out):
        if w.start is None or w.end is None:
            continue
        if w.kind == "filled_pause" and prev is not None:
            start = _filler_onset(w.start, prev, pauses, silences)
            if start is not None:
                out[i] = replace(w, start=start, end=max(w.end, start))
        prev = w
    return out


def _filler_onset(start: float, prev: TaggedWord, pauses: Sequence[Pause],
                  silences: Sequence[tuple[float, float]] | None) -> float | None:
    assert prev.start is not None and prev.end is not None
    ends = [p.end for p in pauses if prev.start < p.end < start and start - p.end <= MAX_FILLED_S]
    if ends:
        return min(ends)
    gap = start - prev.end
    if silences is None or not MIN_LATE_GAP_S <= gap <= MAX_FILLED_S:
        return None
    if any(s < start and e > prev.end for s, e in silences):
        return None  # part of the gap is silent: the onset rule above had its chance
    return prev.end

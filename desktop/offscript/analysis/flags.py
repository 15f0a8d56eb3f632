"""Findings shown to the user. Every flag carries its evidence: the words, where they were said,
the measured value and the threshold it crossed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from offscript.analysis.fillers import FillerCounts
from offscript.analysis.pace import PaceStats
from offscript.analysis.words import Evidence, Flag, Pause, TaggedWord

# Conversational English runs at roughly 120-160 wpm (NCVS and common speech-rate surveys put
# conversation around 150 wpm); interview answers that listeners find easy to follow sit in the
# same band. Above ~170 wpm listeners start missing content; below ~110 wpm the answer sounds
# laboured or read out.
PACE_FAST_WPM = 170.0
PACE_SLOW_WPM = 110.0
# Pace needs enough material to mean anything: one sentence said quickly is not a habit.
PACE_MIN_SPEAKING_S = 15.0
# Spontaneous speech has ~6 disfluencies per 100 words (Bortfeld et al. 2001), of which filled
# pauses are ~1-2 per 100 words, i.e. ~2-3 per minute at 150 wpm. Above 6 per minute (about
# twice the ordinary rate) they become noticeable to a listener.
FILLED_PAUSES_PER_MIN_HIGH = 6.0
FILLED_PAUSES_PER_100_WORDS_HIGH = 4.0  # the same band for text input (no timings)
# Lexical fillers (like, you know, basically) are judged more harshly in interviews than um/uh
# because they are heard as habits; same band as filled pauses.
LEXICAL_FILLERS_PER_MIN_HIGH = 6.0
LEXICAL_FILLERS_PER_100_WORDS_HIGH = 4.0
# A silence over 3 s in the middle of an answer reads as being lost rather than thinking
# (typical between-sentence pauses are under 1 s; "thinking" pauses 1-3 s).
LONG_PAUSE_S = 3.0
# The same lexical filler three times in one answer is a verbal tic a listener notices.
REPEATED_FILLER_MIN = 3
# Hesitations (stops inside a phrase): more than 4 per minute, and at least 4 in total, breaks
# up the answer; a few are normal in spontaneous speech.
HESITATIONS_PER_MIN_HIGH = 4.0
HESITATIONS_MIN_COUNT = 4
_CONTEXT_WORDS = 3


def _span(words: Sequence[TaggedWord]) -> Evidence:
    starts = [w.start for w in words if w.start is not None]
    ends = [w.end for w in words if w.end is not None]
    return Evidence(text=" ".join(w.text for w in words), start=min(starts) if starts else None,
                    end=max(ends) if ends else None)


def _filler_occurrences(tagged: Sequence[TaggedWord], kind: str) -> list[list[TaggedWord]]:
    groups: list[list[TaggedWord]] = []
    for w in tagged:
        if w.kind != kind:
            continue
        if w.continues and groups:
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def pace_flags(pace: PaceStats) -> list[Flag]:
    if pace.wpm is None or (pace.speaking_time_s or 0.0) < PACE_MIN_SPEAKING_S:
        return []
    windows = pace.timeline
    if pace.wpm > PACE_FAST_WPM:
        peak = max(windows, key=lambda w: w.wpm, default=None)
        evidence = (Evidence(f"{peak.words} words in {peak.end - peak.start:.0f} s",
                             peak.start, peak.end),) if peak else ()
        return [Flag("pace_fast", "warning", f"You spoke at {pace.wpm:.0f} words per minute.",
                     evidence, round(pace.wpm, 1), PACE_FAST_WPM,
                     "Slow down: pause briefly after each key point.")]
    if pace.wpm < PACE_SLOW_WPM:
        low = min(windows, key=lambda w: w.wpm, default=None)
        evidence = (Evidence(f"{low.words} words in {low.end - low.start:.0f} s",
                             low.start, low.end),) if low else ()
        return [Flag("pace_slow", "info", f"You spoke at {pace.wpm:.0f} words per minute.",
                     evidence, round(pace.wpm, 1), PACE_SLOW_WPM,
                     "Aim for a conversational 120-160 wpm; shorten long pauses.")]
    return []


def _rate_flag(code: str, label: str, groups: list[list[TaggedWord]], per_min: float | None,
               per_100: float, limits: tuple[float, float], advice: str) -> list[Flag]:
    value, threshold, unit = ((per_min, limits[0], "per minute") if per_min is not None
                              else (per_100, limits[1], "per 100 words"))
    if value is None or value <= threshold or not groups:
        return []
    return [Flag(code, "warning", f"{len(groups)} {label} ({value:.1f} {unit}).",
                 tuple(_span(g) for g in groups), round(value, 2), threshold, advice)]


def filler_flags(tagged: Sequence[TaggedWord], counts: FillerCounts) -> list[Flag]:
    filled = _filler_occurrences(tagged, "filled_pause")
    lexical = _filler_occurrences(tagged, "lexical_filler")
    words = sum(1 for w in tagged if any(c.isalnum() for c in w.text)) or 1
    flags = _rate_flag("filled_pauses_high", "filled pauses (um, uh)", filled,
                       counts.filled_per_minute, 100.0 * len(filled) / words,
                       (FILLED_PAUSES_PER_MIN_HIGH, FILLED_PAUSES_PER_100_WORDS_HIGH),
                       "Replace um/uh with a short silent pause.")
    flags += _rate_flag("lexical_fillers_high", "filler words", lexical,
                        counts.lexical_per_minute, 100.0 * len(lexical) / words,
                        (LEXICAL_FILLERS_PER_MIN_HIGH, LEXICAL_FILLERS_PER_100_WORDS_HIGH),
                        "Drop the filler words; a pause sounds more confident.")
    by_text: dict[str, list[list[TaggedWord]]] = defaultdict(list)
    for g in lexical:
        by_text[g[0].filler or g[0].text.lower()].append(g)
    for text, groups in sorted(by_text.items()):
        if len(groups) >= REPEATED_FILLER_MIN:
            flags.append(Flag("repeated_filler", "info",
                              f'You said "{text}" {len(groups)} times.',
                              tuple(_span(g) for g in groups), float(len(groups)),
                              float(REPEATED_FILLER_MIN),
                              f'Notice "{text}" and replace it with a pause.',
                              extra={"filler": text}))
    return flags


def _words_around(tagged: Sequence[TaggedWord], pause: Pause) -> Evidence:
    before = [w for w in tagged if w.end is not None and w.end <= pause.start + 0.05]
    after = [w for w in tagged if w.start is not None and w.start >= pause.end - 0.05]
    text = " ".join([w.text for w in before[-_CONTEXT_WORDS:]] + ["…"]
                    + [w.text for w in after[:_CONTEXT_WORDS]])
    return Evidence(text=text.strip(), start=pause.start, end=pause.end)


def pause_flags(tagged: Sequence[TaggedWord], pauses: Sequence[Pause],
                speaking_time_s: float | None) -> list[Flag]:
    flags = [Flag("long_pause", "warning", f"A {p.duration:.1f} s silence mid-answer.",
                  (_words_around(tagged, p),), round(p.duration, 2), LONG_PAUSE_S,
                  "If you need time, say so briefly, then continue.")
             for p in pauses if p.duration > LONG_PAUSE_S]
    hesitations = [p for p in pauses if p.kind == "hesitation"]
    if speaking_time_s and len(hesitations) >= HESITATIONS_MIN_COUNT:
        rate = 60.0 * len(hesitations) / speaking_time_s
        if rate > HESITATIONS_PER_MIN_HIGH:
            flags.append(Flag("hesitations_many", "info",
                              f"{len(hesitations)} hesitations inside phrases "
                              f"({rate:.1f} per minute).",
                              tuple(_words_around(tagged, p) for p in hesitations),
                              round(rate, 2), HESITATIONS_PER_MIN_HIGH,
                              "Pause between ideas, not inside them."))
    return flags


def build_flags(tagged: Sequence[TaggedWord], pauses: Sequence[Pause], pace: PaceStats,
                fillers: FillerCounts) -> list[Flag]:
    """All flags for one answer, most important first."""
    flags = pace_flags(pace) + filler_flags(tagged, fillers)
    flags += pause_flags(tagged, pauses, pace.speaking_time_s)
    order = {"problem": 0, "warning": 1, "info": 2}
    return sorted(flags, key=lambda f: order[f.severity])

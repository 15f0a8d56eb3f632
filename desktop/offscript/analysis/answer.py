"""One spoken (or typed) answer analysed end to end: words → fillers, pauses, pace, flags → JSON."""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from offscript.analysis.asr_artefacts import (
    drop_phrases_in_silence,
    drop_recogniser_artefacts,
    retime_filled_pauses,
)
from offscript.analysis.candour import analyse_candour
from offscript.analysis.delivery import analyse_delivery
from offscript.analysis.energy import silent_runs
from offscript.analysis.fillers import FillerCounts, count_fillers, tag_words
from offscript.analysis.flags import build_flags
from offscript.analysis.pace import PaceStats, measure_pace
from offscript.analysis.pauses import EdgeSilences, edge_silences, find_pauses
from offscript.analysis.prosody import summarise_prosody
from offscript.analysis.words import Flag, Pause, TaggedWord, Word

SCHEMA_VERSION = 1
MIN_PAUSE_S = 0.25


@dataclass(frozen=True)
class AnswerAnalysis:
    source: str
    duration_s: float | None
    words: list[TaggedWord]
    pace: PaceStats
    pauses: list[Pause]
    fillers: FillerCounts
    flags: list[Flag]
    edges: EdgeSilences = field(default_factory=lambda: EdgeSilences(None, None))
    delivery: dict = field(default_factory=lambda: {"rehearsed_score": None})
    candour: dict = field(default_factory=lambda: {"polish_score": None, "signals": []})

    @property
    def transcript(self) -> str:
        return " ".join(w.text for w in self.words if w.text)

    def to_json(self) -> dict:
        """Plain JSON-ready dict (schema_version 1; field names are a contract with the UI)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "duration_s": None if self.duration_s is None else round(self.duration_s, 3),
            "transcript": self.transcript,
            "words": [w.to_json() for w in self.words],
            "pace": self.pace.to_json(),
            "pauses": [p.to_json() for p in self.pauses],
            "fillers": self.fillers.to_json(),
            "latency": self.edges.to_json(),
            "delivery": self.delivery,
            "candour": self.candour,
            "flags": [f.to_json() for f in self.flags],
        }


def _clean_duration(duration_s: float | None) -> float | None:
    if duration_s is None or not math.isfinite(duration_s) or duration_s < 0:
        return None
    return float(duration_s)


def analyse_answer(words: Sequence[Word], *, source: str, duration_s: float | None,
                   audio: np.ndarray | None = None, sr: int = 16000) -> AnswerAnalysis:
    """Analyse recognised words (with timings) and, when given, the audio they came from."""
    duration = _clean_duration(duration_s)
    if duration is None and audio is not None and sr > 0:
        duration = np.asarray(audio).size / sr
    silences = prosody = None
    if audio is not None and np.asarray(audio).size > 0 and sr > 0:
        # Pitch and loudness (delivery) and the silences are the two big numpy jobs; their
        # FFTs release the GIL, so on two cores running them side by side takes 120 s of
        # audio from ~150 to ~100 ms.  The same numbers either way.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pitch = pool.submit(summarise_prosody, np.asarray(audio), sr)
            silences = silent_runs(audio, sr, MIN_PAUSE_S)
            prosody = pitch.result()
    kept = drop_recogniser_artefacts(words)
    if silences is not None:
        kept = drop_phrases_in_silence(kept, silences)
    tagged = tag_words(kept)
    pauses = find_pauses(tagged, duration, MIN_PAUSE_S, audio=audio, sr=sr, silences=silences)
    tagged = retime_filled_pauses(tagged, pauses, silences)
    pace = measure_pace(tagged, pauses, min_pause=MIN_PAUSE_S)
    fillers = count_fillers(tagged)
    delivery = analyse_delivery(tagged, pauses, pace, audio=audio, sr=sr, duration_s=duration,
                                prosody=prosody)
    candour = analyse_candour(tagged, " ".join(w.text for w in tagged))
    flags = build_flags(tagged, pauses, pace, fillers) + list(delivery.flags) + list(candour.flags)
    delivery_json = delivery.to_json()
    delivery_json.pop("flags", None)  # they are in the answer's flags
    return AnswerAnalysis(source=source, duration_s=duration, words=tagged, pace=pace,
                          pauses=pauses, fillers=fillers, flags=flags,
                          edges=edge_silences(tagged, duration), delivery=delivery_json,
                          candour=candour.to_json())


def analyse_text(text: str, *, source: str) -> AnswerAnalysis:
    """Analyse a typed or pasted transcript: no timings, so every timing value is None."""
    words: list[Word] = []
    for piece in text.split():
        if not any(c.isalnum() for c in piece) and words:
            # stray punctuation ("-", "…") belongs to the word before: it marks a break there
            words[-1] = Word(words[-1].text + piece)
        else:
            words.append(Word(piece))
    return analyse_answer(words, source=source, duration_s=None)

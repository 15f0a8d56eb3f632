"""Analyse every clip of a set with one loaded recogniser and score it against its reference.

Timing covers what a user waits for after recording: transcription plus analysis
(``analyse_samples``), not reading the file or loading the model.  A clip the pipeline rejects
(silence only, unreadable audio) is kept with its ``error`` and scored as detecting nothing, so a
failure never improves the figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from offscript.errors import UserFacingError
from offscript.evaluation.manifest import Clip
from offscript.evaluation.metrics import (
    Interval,
    Scores,
    count_scores,
    filled_pause_event_scores,
    pause_scores,
    real_time_factor,
    reference_filled_pauses,
    reference_pauses,
    reference_wpm,
    wpm_error_pct,
)
from offscript.speech.asr import SAMPLE_RATE, Transcriber

ClipProgress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Hypothesis:
    """What the analysis found in one clip (taken from its JSON)."""

    filled_pauses: tuple[Interval, ...] = ()
    pauses: tuple[Interval, ...] = ()
    wpm: float | None = None
    transcript: str = ""

    @classmethod
    def from_analysis_json(cls, data: dict) -> Hypothesis:
        filled = tuple(Interval(w["start"], w["end"]) for w in data.get("words", [])
                       if w.get("kind") == "filled_pause" and w.get("start") is not None
                       and w.get("end") is not None)
        pauses = tuple(Interval(p["start"], p["end"]) for p in data.get("pauses", []))
        return cls(filled, pauses, (data.get("pace") or {}).get("wpm"),
                   data.get("transcript", ""))


@dataclass(frozen=True)
class ClipResult:
    """One clip's figures; reference-dependent ones are None when the folder lacks them."""

    clip_id: str
    set: str
    duration_s: float
    wall_s: float
    hyp: Hypothesis
    filled_count: Scores | None
    filled_events: Scores | None
    pauses: Scores | None
    ref_wpm: float | None
    wpm_error_pct: float | None
    error: str | None = None

    @property
    def rtf(self) -> float | None:
        return real_time_factor(self.wall_s, self.duration_s)

    def to_json(self) -> dict:
        def js(s: Scores | None) -> dict | None:
            return None if s is None else s.to_json()

        def r(x: float | None, nd: int = 3) -> float | None:
            return None if x is None else round(x, nd)
        return {
            "id": self.clip_id, "set": self.set, "duration_s": round(self.duration_s, 3),
            "wall_s": round(self.wall_s, 3), "rtf": r(self.rtf),
            "filled_pauses": {"count": js(self.filled_count), "events": js(self.filled_events),
                              "hyp_times": [round(i.start, 3) for i in self.hyp.filled_pauses]},
            "pauses": js(self.pauses),
            "hyp_pauses": [[round(i.start, 3), round(i.end, 3)] for i in self.hyp.pauses],
            "wpm": {"hyp": r(self.hyp.wpm, 1), "ref": r(self.ref_wpm, 1),
                    "error_pct": r(self.wpm_error_pct, 1)},
            "transcript": self.hyp.transcript, "error": self.error,
        }


@dataclass
class EvalRun:
    model: str
    results: list[ClipResult] = field(default_factory=list)
    load_s: float = 0.0

    @property
    def errors(self) -> list[ClipResult]:
        return [r for r in self.results if r.error is not None]


def score_clip(clip: Clip, hyp: Hypothesis, *, duration_s: float, wall_s: float,
               error: str | None = None) -> ClipResult:
    """Compare what the analysis found with the clip's reference (pure)."""
    ref_n = clip.ref_filled_pauses
    count = None if ref_n is None else count_scores(len(hyp.filled_pauses), ref_n)
    events = pauses = ref_wpm = None
    if clip.words is not None:
        events = filled_pause_event_scores(hyp.filled_pauses, reference_filled_pauses(clip.words))
        pauses = pause_scores(hyp.pauses, reference_pauses(clip.words))
        ref_wpm = reference_wpm(clip.words)
    return ClipResult(clip.id, clip.set, duration_s, wall_s, hyp, count, events, pauses,
                      ref_wpm, wpm_error_pct(hyp.wpm, ref_wpm), error)


def evaluate_clip(clip: Clip, transcriber: Transcriber) -> ClipResult:
    """Load, transcribe, analyse and score one clip."""
    from offscript.audio.audio_files import load_audio
    from offscript.pipeline import analyse_samples

    duration = 0.0
    try:
        samples = load_audio(clip.audio, target_sr=SAMPLE_RATE).samples
        duration = len(samples) / SAMPLE_RATE
        started = time.perf_counter()
        analysis = analyse_samples(samples, transcriber, source=clip.id)
        wall = time.perf_counter() - started
    except UserFacingError as exc:
        return score_clip(clip, Hypothesis(), duration_s=duration, wall_s=0.0, error=str(exc))
    return score_clip(clip, Hypothesis.from_analysis_json(analysis.to_json()),
                      duration_s=duration, wall_s=wall)


def run_eval(clips: Sequence[Clip], transcriber: Transcriber,
             progress: ClipProgress | None = None) -> EvalRun:
    """Evaluate ``clips`` in order; the model is loaded once, before the first clip."""
    run = EvalRun(model=transcriber.name)
    load = getattr(transcriber, "load", None)
    if callable(load):
        started = time.perf_counter()
        load()
        run.load_s = time.perf_counter() - started
    for k, clip in enumerate(clips):
        if progress is not None:
            progress(k, len(clips), clip.id)
        run.results.append(evaluate_clip(clip, transcriber))
    if progress is not None:
        progress(len(clips), len(clips), "")
    return run

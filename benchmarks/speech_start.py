"""How soon the interviewer starts speaking: from `speaker.play(voice.synthesize(q))` to the
first sound reaching the (virtual) speaker, for questions not yet synthesised and for
pre-synthesised ones.  Needs the virtual devices (run through `make bench`).

Usage: .venv/bin/python benchmarks/speech_start.py [--n 12] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def first_sound_latency(speaker, voice, text: str) -> float:
    """Seconds from play() to the first non-silent sample captured from the speaker monitor."""
    from headless.feed import SpeakerCapture

    rate = 44100
    with SpeakerCapture(rate=rate, tail_s=0.2) as cap:
        time.sleep(0.3)
        n_before = sum(len(c) for c in cap._chunks) // 4  # samples captured before play()
        chunks = voice.synthesize(text)  # a generator: synthesis starts inside play()
        thread = threading.Thread(target=speaker.play, args=(chunks, voice.samplerate))
        thread.start()
        thread.join(60)
    loud = np.flatnonzero(np.abs(cap.audio[n_before:]) > 0.01)
    if loud.size == 0:
        raise RuntimeError("nothing reached the speaker")
    # Samples captured before play() mark its moment on the capture's timeline (parec adds
    # ~20 ms of buffering, so this slightly underestimates).
    return loud[0] / rate


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from offscript.audio.playback import SoundDeviceSpeaker
    from offscript.content import load_all_banks
    from offscript.speech.tts import PiperTTS

    voice = PiperTTS.from_name(cache=Path(tempfile.mkdtemp()))
    voice.load()
    speaker = SoundDeviceSpeaker()
    questions = [q.text for q in load_all_banks().questions()[: args.n]]
    uncached = [first_sound_latency(speaker, voice, q) for q in questions]
    cached = [first_sound_latency(speaker, voice, q) for q in questions]  # now in the cache
    result = {
        "questions": len(questions),
        "uncached_ms": {"median": round(1000 * statistics.median(uncached)),
                        "max": round(1000 * max(uncached))},
        "presynthesised_ms": {"median": round(1000 * statistics.median(cached)),
                              "max": round(1000 * max(cached))},
    }  # fmt: skip
    if args.json:
        print(json.dumps(result))
    else:
        u, c = result["uncached_ms"], result["presynthesised_ms"]
        print(
            f"question speech start ({len(questions)} questions): uncached median {u['median']} ms"
            f" (max {u['max']}), pre-synthesised median {c['median']} ms (max {c['max']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How soon the interviewer starts speaking: from `speaker.play(chunks)` to the first sound
reaching the (virtual) speaker, for questions not yet synthesised (Piper's first clause, the
raw figure), for the same as the app speaks them (a cached acknowledgement covers the
synthesis, see speech/interviewer.py) and for pre-synthesised ones (how the app asks nearly
every question: it synthesises each one ahead).  Needs the virtual devices (`make bench`).

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
LATENCY_MS = 5  # parec's buffering (the capture side of the measurement)
sys.path.insert(0, str(REPO / "tests"))


def first_sound_latency(speaker, voice, text: str, chunks=None) -> float:
    """Seconds from play() to the first non-silent sample captured from the speaker monitor."""
    from headless.feed import SpeakerCapture

    rate = 44100
    with SpeakerCapture(rate=rate, tail_s=0.2, latency_ms=LATENCY_MS) as cap:
        time.sleep(0.3)
        n_before = sum(len(c) for c in cap._chunks) // 4  # samples captured before play()
        if chunks is None:
            chunks = voice.synthesize(text)  # a generator: synthesis starts inside play()
        thread = threading.Thread(target=speaker.play, args=(chunks, voice.samplerate))
        thread.start()
        thread.join(60)
    loud = np.flatnonzero(np.abs(cap.audio[n_before:]) > 0.01)
    if loud.size == 0:
        raise RuntimeError("nothing reached the speaker")
    # Samples captured before play() mark its moment on the capture's timeline.  Those reach
    # us up to parec's buffering (LATENCY_MS) late, so this overestimates by up to that much.
    return loud[0] / rate


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from offscript.audio.playback import SoundDeviceSpeaker
    from offscript.content import load_all_banks
    from offscript.speech.interviewer import InterviewerSpeech
    from offscript.speech.tts import PiperTTS

    voice = PiperTTS.from_name(cache=Path(tempfile.mkdtemp()))
    voice.load()
    speech = InterviewerSpeech(voice)
    speech.presynthesize_lead_ins()
    speaker = SoundDeviceSpeaker()
    bank = [q.text for q in load_all_banks().questions()]
    raw_qs, app_qs = bank[: args.n], bank[args.n : 2 * args.n]
    raw = [first_sound_latency(speaker, voice, q) for q in raw_qs]
    with_ack = [first_sound_latency(speaker, voice, q, speech.chunks(q)) for q in app_qs]
    cached = [first_sound_latency(speaker, voice, q) for q in raw_qs]  # now in the cache

    def ms(values: list[float]) -> dict:
        return {"median": round(1000 * statistics.median(values)), "max": round(1000 * max(values))}

    result = {"questions": len(raw_qs), "uncached_ms": ms(raw),
              "uncached_with_acknowledgement_ms": ms(with_ack), "presynthesised_ms": ms(cached)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"question speech start ({len(raw_qs)} questions each), median (max):")
        for key, label in [("uncached_ms", "uncached, Piper's first clause"),
                           ("uncached_with_acknowledgement_ms", "uncached, as the app speaks it"),
                           ("presynthesised_ms", "pre-synthesised")]:
            print(f"  {label:34} {result[key]['median']} ms ({result[key]['max']} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

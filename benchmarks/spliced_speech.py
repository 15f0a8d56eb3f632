"""Build a pause test set from another voice: Piper phrases spliced with silences of known length.

All the real speech in ../shared/speech is one speaker, so pause detection is also checked on a
different (synthetic) voice where the truth is exact: each phrase is synthesised alone, trimmed
to where its sound starts and ends, and joined to the next by a chosen silence (some under
250 ms, which must *not* be reported).  A low noise floor is added to everything (white noise
at ``--noise-db`` dBFS; a second level makes a noisier copy), so the detector cannot rely on
digital zeros.  Word timings inside a phrase are spread evenly over its span: only the phrase
edges are exact, so use the set for pauses and pace, not for word-level timing.

The folder is in the ../shared/speech format (manifest.csv, audio/, words/), so
``offscript eval OUT`` scores it like the real set.
Usage: .venv/bin/python benchmarks/spliced_speech.py OUT [--seed 3] [--clips 6]
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16000
# Interview-style phrases written for this set (no commas: Piper would pause inside them).
PHRASES = [
    "I worked on the payments team for three years",
    "we moved the nightly batch jobs to a streaming pipeline",
    "the hardest part was getting the data model right",
    "my manager asked me to lead the migration",
    "we cut the latency of the checkout page in half",
    "I learned to write the design document before the code",
    "the first version failed under real traffic",
    "so we added a queue in front of the database",
    "I would do the rollout in smaller steps next time",
    "the team disagreed about the schema at first",
    "we ran both systems side by side for a month",
    "that gave us confidence to switch over",
    "I still review every incident report myself",
    "customers noticed the faster pages within a week",
    "my role was mostly planning and code review",
    "we wrote load tests that matched the busiest day of the year",
]
GAPS_S = (0.12, 0.18, 0.22, 0.3, 0.4, 0.55, 0.8, 1.2, 1.8, 2.5)
EDGE_DB = -40.0  # a phrase starts/ends where its 10 ms RMS first/last reaches this (re peak)


def trim(audio: np.ndarray) -> np.ndarray:
    hop = SR // 100
    frames = audio[: len(audio) // hop * hop].reshape(-1, hop)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) + 1e-12
    loud = np.flatnonzero(20 * np.log10(rms / rms.max()) >= EDGE_DB)
    return audio[loud[0] * hop:(loud[-1] + 1) * hop]


def synthesise(phrases: list[str]) -> dict[str, np.ndarray]:
    import soxr

    from offscript.speech.tts import PiperTTS

    with tempfile.TemporaryDirectory() as cache:
        voice = PiperTTS.from_name(None, cache=Path(cache))
        out = {}
        for text in phrases:
            audio = voice.synthesize_all(text)
            out[text] = trim(soxr.resample(audio, voice.samplerate, SR).astype(np.float32))
    return out


def build(out: Path, n_clips: int, seed: int, noise_db: tuple[float, ...]) -> None:
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(len(PHRASES))[:6] for _ in range(n_clips)]
    audio_of = synthesise(sorted({PHRASES[i] for order in orders for i in order}))
    (out / "audio").mkdir(parents=True, exist_ok=True)
    (out / "words").mkdir(exist_ok=True)
    rows = []
    for k, order in enumerate(orders):
        gaps = rng.choice(GAPS_S, size=len(order) - 1, replace=True)
        lead = 0.6
        pieces, words, t = [np.zeros(int(lead * SR), np.float32)], [], lead
        for j, idx in enumerate(order):
            text, audio = PHRASES[idx], audio_of[PHRASES[idx]]
            span = len(audio) / SR
            tokens = text.split()
            for m, tok in enumerate(tokens):
                words.append({"word": tok, "start": round(t + span * m / len(tokens), 3),
                              "end": round(t + span * (m + 1) / len(tokens), 3)})
            pieces.append(audio)
            t += span
            if j < len(gaps):
                pieces.append(np.zeros(round(gaps[j] * SR), np.float32))
                t += round(gaps[j] * SR) / SR
        pieces.append(np.zeros(int(0.8 * SR), np.float32))
        clean = np.concatenate(pieces)
        for level in noise_db:
            clip_id = f"spliced_{k:02d}_noise{abs(int(level))}"
            noisy = clean + rng.normal(0, 10 ** (level / 20), clean.size).astype(np.float32)
            sf.write(out / "audio" / f"{clip_id}.wav", np.clip(noisy, -1, 1), SR,
                     subtype="PCM_16")
            (out / "words" / f"{clip_id}.json").write_text(json.dumps(words))
            rows.append({"id": clip_id, "file": f"audio/{clip_id}.wav",
                         "set": f"spliced_noise{abs(int(level))}", "style": "read",
                         "duration_s": round(clean.size / SR, 3), "speaker": "piper_default",
                         "transcript": " ".join(w["word"] for w in words),
                         "n_filled_pauses": 0})
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--clips", type=int, default=6)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--noise-db", type=float, nargs="+", default=[-60.0, -45.0])
    args = ap.parse_args()
    build(args.out, args.clips, args.seed, tuple(args.noise_db))
    print(f"wrote {args.out}/manifest.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

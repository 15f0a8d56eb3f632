"""Build a pause test set from another voice: Piper phrases spliced with silences of known length.

All the real speech in ../shared/speech is one speaker, so pause detection is also checked on a
different (synthetic) voice where the truth is exact: each phrase is synthesised alone, trimmed
to where its sound starts and ends, and joined to the next by a chosen silence (some under
250 ms, which must *not* be reported).  A low noise floor is added to everything (white noise
at ``--noise-db`` dBFS; a second level makes a noisier copy), so the detector cannot rely on
digital zeros.  Word timings inside a phrase are spread evenly over its span: only the phrase
edges are exact, so use the set for pauses and pace, not for word-level timing.

With ``--fillers P`` each gap gets, with probability P, a filled pause spoken by the same
voice ("um" or "uh", synthesised alone at a slowed speed so it is drawn out like a hesitation,
and trimmed the same way) between two silences drawn from the same gap lengths: a check that
filled-pause detection is not tuned to the one speaker of ../shared/speech.  The fillers are
timed words and counted in ``n_filled_pauses``, so ``offscript eval OUT`` reports their recall
and precision, per clip and time-matched.

The folder is in the ../shared/speech format (manifest.csv, audio/, words/), so
``offscript eval OUT`` scores it like the real set.
Usage: .venv/bin/python benchmarks/spliced_speech.py OUT [--seed 3] [--clips 6] [--fillers 0.5]
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
FILLERS = ("Um.", "Uh.")
FILLER_SPEEDS = (0.6, 0.8)  # Piper's speed: below 1 draws the filler out (200-500 ms)
EDGE_DB = -40.0  # a phrase starts/ends where its 10 ms RMS first/last reaches this (re peak)


def trim(audio: np.ndarray) -> np.ndarray:
    hop = SR // 100
    frames = audio[: len(audio) // hop * hop].reshape(-1, hop)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) + 1e-12
    loud = np.flatnonzero(20 * np.log10(rms / rms.max()) >= EDGE_DB)
    return audio[loud[0] * hop:(loud[-1] + 1) * hop]


def synthesise(phrases: list[str], speeds: tuple[float, ...] = (1.0,)
               ) -> dict[tuple[str, float], np.ndarray]:
    import soxr

    from offscript.speech.tts import PiperTTS

    with tempfile.TemporaryDirectory() as cache:
        voice = PiperTTS.from_name(None, cache=Path(cache))
        out = {}
        for text in phrases:
            for speed in speeds:
                audio = voice.synthesize_all(text, speed)
                out[text, speed] = trim(
                    soxr.resample(audio, voice.samplerate, SR).astype(np.float32)
                )
    return out


class _Clip:
    """Audio pieces and their word timings, laid end to end."""

    def __init__(self, lead_s: float) -> None:
        self.pieces: list[np.ndarray] = []
        self.words: list[dict] = []
        self.t = 0.0
        self.silence(lead_s)

    def add(self, audio: np.ndarray, text: str) -> None:
        """Words spread evenly over the piece: only its edges are exact."""
        span = len(audio) / SR
        tokens = text.split()
        for m, tok in enumerate(tokens):
            self.words.append({"word": tok, "start": round(self.t + span * m / len(tokens), 3),
                               "end": round(self.t + span * (m + 1) / len(tokens), 3)})
        self.pieces.append(audio)
        self.t += span

    def silence(self, seconds: float) -> None:
        self.pieces.append(np.zeros(round(seconds * SR), np.float32))
        self.t += round(seconds * SR) / SR


def build(out: Path, n_clips: int, seed: int, noise_db: tuple[float, ...],
          fillers: float = 0.0) -> None:
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(len(PHRASES))[:6] for _ in range(n_clips)]
    audio_of = synthesise(sorted({PHRASES[i] for order in orders for i in order}))
    filler_audio = synthesise(list(FILLERS), FILLER_SPEEDS) if fillers > 0 else {}
    (out / "audio").mkdir(parents=True, exist_ok=True)
    (out / "words").mkdir(exist_ok=True)
    rows = []
    for k, order in enumerate(orders):
        gaps = rng.choice(GAPS_S, size=len(order) - 1, replace=True)
        clip = _Clip(lead_s=0.6)
        for j, idx in enumerate(order):
            clip.add(audio_of[PHRASES[idx], 1.0], PHRASES[idx])
            if j < len(gaps):
                clip.silence(gaps[j])
                # no draw without fillers: that set stays as it was
                if fillers > 0 and rng.random() < fillers:
                    which = FILLERS[rng.integers(len(FILLERS))]
                    speed = FILLER_SPEEDS[rng.integers(len(FILLER_SPEEDS))]
                    clip.add(filler_audio[which, speed], which.rstrip(".").lower())
                    clip.silence(float(rng.choice(GAPS_S)))
        clip.silence(0.8)
        clean, words = np.concatenate(clip.pieces), clip.words
        n_filled = sum(1 for w in words if w["word"] in ("um", "uh"))
        for level in noise_db:
            clip_id = f"spliced_{k:02d}_noise{abs(int(level))}"
            noisy = clean + rng.normal(0, 10 ** (level / 20), clean.size).astype(np.float32)
            sf.write(out / "audio" / f"{clip_id}.wav", np.clip(noisy, -1, 1), SR,
                     subtype="PCM_16")
            (out / "words" / f"{clip_id}.json").write_text(json.dumps(words))
            rows.append({"id": clip_id, "file": f"audio/{clip_id}.wav",
                         "set": f"spliced_noise{abs(int(level))}",
                         "style": "spontaneous" if n_filled else "read",
                         "duration_s": round(clean.size / SR, 3), "speaker": "piper_default",
                         "transcript": " ".join(w["word"] for w in words),
                         "n_filled_pauses": n_filled})
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
    ap.add_argument("--fillers", type=float, default=0.0,
                    help="chance of a filled pause (um/uh) in each gap (default 0: none)")
    args = ap.parse_args()
    build(args.out, args.clips, args.seed, tuple(args.noise_db), args.fillers)
    print(f"wrote {args.out}/manifest.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

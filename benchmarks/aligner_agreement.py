"""How far two forced aligners agree on pauses, and where Offscript's pause detector stands.

The pause target (F1 >= 0.90, both boundaries within 100 ms) is scored against the word timings
in ../shared/speech/words/, which are forced alignments (MFA / PolyglotDB), not hand-marked
boundaries.  This script aligns the same verbatim transcripts with a second, independent aligner
(PocketSphinx 5 and its bundled US English acoustic model: a different model, dictionary and
decoder) and prints, per clip and overall, the pause recall / precision / F1 of

- PocketSphinx's pauses against the reference: how well two aligners agree with each other;
- Offscript's pauses (the full analysis of the chosen model's transcription) against the
  reference, and against PocketSphinx.

It works on any folder in the ../shared/speech format; clips without ``words/<id>.json`` are
skipped, and so is a clip with a word that is neither in CMUdict nor in ``EXTRA_WORDS`` (it says
which).  Needs the ``align`` extra: ``.venv/bin/pip install -e '.[align]'``.

Usage: .venv/bin/python benchmarks/aligner_agreement.py [FOLDER] [--model fast]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

from offscript.analysis.words import Word
from offscript.audio.audio_files import load_audio
from offscript.evaluation.manifest import Clip, load_manifest
from offscript.evaluation.metrics import (
    Interval,
    Scores,
    pause_scores,
    reference_pauses,
    total,
)

SR = 16000
# Words of our set that CMUdict lacks, in its phone set.
EXTRA_WORDS = {"yknow": "Y N OW", "aligner": "AH L AY N ER"}
# Wider beams than the defaults: with them, alignment of the noisy `cold_corpus` gave up.
BEAMS = {"beam": 1e-100, "pbeam": 1e-100, "wbeam": 1e-80}
NOT_WORDS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]"}


def _tokens(text: str) -> list[str]:
    words = (re.sub(r"[^a-z']", "", w.lower()) for w in text.split())
    return [w for w in words if w]


def align(samples: np.ndarray, transcript: str) -> list[Word]:
    """Word timings of ``transcript`` in 16 kHz ``samples`` by PocketSphinx forced alignment."""
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=SR, bestpath=False, loglevel="FATAL", **BEAMS)
    words = _tokens(transcript)
    for w in sorted(set(words) & set(EXTRA_WORDS)):
        decoder.add_word(w, EXTRA_WORDS[w], False)
    decoder.set_align_text(" ".join(words))
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    segments = decoder.seg()
    if segments is None:
        raise RuntimeError("the aligner found no path through the transcript")
    out = [Word(re.sub(r"\(\d+\)$", "", s.word), s.start_frame / 100, (s.end_frame + 1) / 100)
           for s in segments if s.word not in NOT_WORDS]  # fmt: skip
    if [w.text for w in out] != words:
        raise RuntimeError("the alignment does not cover the transcript")
    return out


def _missing_words(transcript: str) -> list[str]:
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=SR, loglevel="FATAL")
    return [w for w in _tokens(transcript)
            if w not in EXTRA_WORDS and decoder.lookup_word(w) is None]  # fmt: skip


def _fmt(s: Scores) -> str:
    js = s.to_json()
    cells = [f"{js[k]:.2f}" if js[k] is not None else "  - " for k in ("recall", "precision", "f1")]
    return f"{' '.join(cells)} ({js['ref']:>2})"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folder", nargs="?", type=Path,
                   default=Path(__file__).resolve().parents[1].parent / "shared" / "speech")
    p.add_argument("--model", default="fast")
    args = p.parse_args()
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        print("needs PocketSphinx: .venv/bin/pip install -e '.[align]'", file=sys.stderr)
        return 2
    from offscript.pipeline import analyse_samples
    from offscript.speech.asr import WhisperTranscriber

    clips: list[Clip] = [c for c in load_manifest(args.folder) if c.words]
    transcriber = WhisperTranscriber(args.model)
    rows: list[tuple[str, Scores, Scores, Scores]] = []
    print(f"pause R / P / F1 (reference pauses), both boundaries within 100 ms; model {args.model}")
    print(f"{'clip':<26} {'PocketSphinx vs ref':<21} {'Offscript vs ref':<21} "
          "Offscript vs PocketSphinx")
    for clip in clips:
        if not clip.transcript:
            print(f"{clip.id:<26} skipped: no transcript to align")
            continue
        missing = _missing_words(clip.transcript)
        if missing:
            print(f"{clip.id:<26} skipped: not in the aligner's dictionary: {missing}")
            continue
        samples = load_audio(clip.audio, target_sr=SR).samples
        try:
            second = align(samples, clip.transcript)
        except RuntimeError as exc:
            print(f"{clip.id:<26} skipped: {exc}")
            continue
        analysis = analyse_samples(samples, transcriber, source=clip.id).to_json()
        ours_iv = [Interval(p["start"], p["end"]) for p in analysis["pauses"]]
        ref_p, second_p = reference_pauses(clip.words), reference_pauses(second)
        row = (clip.id, pause_scores(second_p, ref_p), pause_scores(ours_iv, ref_p),
               pause_scores(ours_iv, second_p))  # fmt: skip
        rows.append(row)
        print(f"{row[0]:<26} {_fmt(row[1]):<21} {_fmt(row[2]):<21} {_fmt(row[3])}")
    if rows:
        sums = [total(r[k] for r in rows) for k in (1, 2, 3)]
        print(f"{'overall':<26} {_fmt(sums[0]):<21} {_fmt(sums[1]):<21} {_fmt(sums[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time and size every report export on a history filled the way the app fills it.

Each take goes through the app's own path: a question row, a recording (the real clip's
audio, FLAC), ``analyse_answer`` on the clip's reference word timings (stretched per take so
pace varies, with fewer um/uh as the weeks go by), ``add_question_context`` (rubric, red
flags, follow-up) and ``add_take_history`` against the earlier takes, then ``save_analysis``.
Start times are then spread over the weeks.  Prints the time to build the report and, per
format, the time to render + write it and the file size; keeps the files in --out.
Usage: .venv/bin/python benchmarks/report_export.py [--takes 200] [--out DIR] [--speech DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
CLIPS = ("mfamono_acoustic_corpus", "mfamono_cold_corpus", "mfamono_cold_corpus3",
         "mfafill_michael")  # the clips with reference word timings  # fmt: skip


def fill(store, n_takes: int, speech: Path, seed: int = 7) -> None:
    from offscript.analysis.answer import analyse_answer
    from offscript.analysis.words import Word
    from offscript.content import load_all_banks
    from offscript.pipeline import add_question_context, add_take_history

    rng = random.Random(seed)
    catalog = load_all_banks()
    questions = [q for q in catalog.questions(banks=["netflix-common"]) if q.rubric][:12]
    clips = []
    for name in CLIPS:
        audio, sr = sf.read(speech / "audio" / f"{name}.wav", dtype="float32")
        words = json.loads((speech / "words" / f"{name}.json").read_text())
        clips.append((audio, sr, words))
    per_session, start = 10, datetime(2026, 1, 5, 9, tzinfo=UTC)
    sessions = max(1, n_takes // per_session)
    for s in range(sessions):
        when = start + timedelta(days=2 * s, hours=rng.randrange(10))
        sid = store.create_session("netflix-backend", "fast")
        progress = s / max(1, sessions - 1)  # 0 first session .. 1 last
        for k in range(per_session):
            q = rng.choice(questions)
            audio, sr, ref = rng.choice(clips)
            stretch = 1.3 - 0.35 * progress + rng.uniform(-0.08, 0.08)
            keep_um = 0.9 - 0.7 * progress
            words = [Word(w["word"], w["start"] * stretch, w["end"] * stretch) for w in ref
                     if w["word"] not in ("um", "uh") or rng.random() < keep_um]  # fmt: skip
            row = store.add_question(sid, q.id, q.bank_id, q.text, k)
            take_id, writer = store.start_take(row, sr, 1)
            writer.write(audio.reshape(-1, 1))
            take = store.finish_take(take_id, writer)
            result = analyse_answer(words, source=str(store.audio_file(take)),
                                    duration_s=len(audio) / sr * stretch).to_json()
            add_question_context(result, q)
            add_take_history(result, store, q.id, take_id)
            store.save_analysis(take_id, result, "fast")
            at = (when + timedelta(minutes=3 * k)).isoformat(timespec="milliseconds")
            with store._writing() as conn:
                conn.execute("UPDATE takes SET started_at = ? WHERE id = ?", (at, take_id))
        store.end_session(sid)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", type=int, default=200)
    ap.add_argument("--out", type=Path, default=None, help="keep the exports here")
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    args = ap.parse_args()
    from offscript.reports.export import FORMATS, write_report
    from offscript.reports.gather import build_report
    from offscript.store.takes import Store

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "exports"
        out.mkdir(parents=True, exist_ok=True)
        store = Store.open(Path(tmp) / "data")
        t0 = time.perf_counter()
        fill(store, args.takes, args.speech)
        print(f"filled {args.takes} takes the app's way in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        report = build_report(store)
        print(f"report built from the store: {len(report.takes)} takes, "
              f"{len(report.questions)} questions in {(time.perf_counter() - t0) * 1000:.0f} ms")
        print("| format | render + atomic write | size |\n|---|---|---|")
        for fmt in FORMATS:
            t0 = time.perf_counter()
            path = write_report(report, fmt, out / f"progress.{fmt}")
            seconds = time.perf_counter() - t0
            print(f"| {fmt} | {seconds * 1000:.0f} ms | {path.stat().st_size / 1024:.0f} KB |")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time opening the History page on a store holding 10,000 analysed takes.

The rows are written directly with SQL into a temporary data folder (no audio files), each
with an analysis JSON of realistic size (60 timed words).  Prints the time to build the page
and show its first rows, and the time of a score filter that reads every analysis.
Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/history_10k.py [--takes 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def fake_analysis(rng: random.Random) -> dict:
    words = [
        {"text": rng.choice(["so", "um", "we", "shipped", "the", "service"]),
         "start": i * 0.4, "end": i * 0.4 + 0.3, "kind": "word"}
        for i in range(60)
    ]  # fmt: skip
    return {
        "schema_version": 1, "source": "bench", "duration_s": 25.0,
        "transcript": " ".join(w["text"] for w in words), "words": words,
        "pace": {"wpm": round(rng.uniform(90, 200), 1), "timeline": []},
        "pauses": [], "fillers": {"per_minute": round(rng.uniform(0, 15), 1)},
        "delivery": {"rehearsed_score": round(rng.random(), 2)},
        "candour": {"polish_score": round(rng.random(), 2), "signals": []}, "flags": [],
    }  # fmt: skip


def fill_history(store, n_takes: int, per_session: int = 10, seed: int = 1) -> None:
    """Write ``n_takes`` analysed takes (``per_session`` per session) straight into SQLite."""
    rng = random.Random(seed)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    with store._writing() as conn:
        for s in range(n_takes // per_session):
            when = (t0 + timedelta(hours=s)).isoformat(timespec="milliseconds")
            sid = conn.execute(
                "INSERT INTO sessions (started_at, loop_id, model, status)"
                " VALUES (?, '', 'fast', 'ended')",
                (when,),
            ).lastrowid
            for k in range(per_session):
                qid = f"bench-q{rng.randrange(40)}"
                qrow = conn.execute(
                    "INSERT INTO questions (session_id, question_id, bank_id, text, asked_at,"
                    " position) VALUES (?, ?, 'bench', ?, ?, ?)",
                    (sid, qid, f"Benchmark question {qid}?", when, k),
                ).lastrowid
                tid = conn.execute(
                    "INSERT INTO takes (question_row_id, started_at, audio_path, duration_s,"
                    " samplerate, channels, status) VALUES (?, ?, NULL, 25.0, 16000, 1,"
                    " 'complete')",
                    (qrow, when),
                ).lastrowid
                conn.execute(
                    "INSERT INTO analyses (take_id, created_at, model, schema_version, json)"
                    " VALUES (?, ?, 'fast', 1, ?)",
                    (tid, when, json.dumps(fake_analysis(rng))),
                )


def time_open(services, jobs) -> tuple[float, object]:
    """Seconds to build the History page and lay out its first rows."""
    from PySide6.QtWidgets import QApplication

    from offscript.ui.history_page import HistoryPage

    t0 = time.perf_counter()
    page = HistoryPage(services, jobs)
    page.resize(1000, 700)
    page.show()
    QApplication.processEvents()
    return time.perf_counter() - t0, page


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", type=int, default=10_000)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from PySide6.QtWidgets import QApplication

    from offscript.store.takes import Store
    from offscript.ui.services import AppServices
    from offscript.ui.workers import JobRunner

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp))
        fill_history(store, args.takes)
        services = AppServices(store=store, questions=[], voice=None, transcriber=None,
                               speaker=None, open_microphone=None, warm_up=lambda: None)  # type: ignore[arg-type]  # fmt: skip
        jobs = JobRunner()
        seconds, page = time_open(services, jobs)
        print(
            f"history with {page.model.total} takes opened in {seconds * 1000:.0f} ms "
            f"({len(page.model.rows)} rows loaded)"
        )
        page.score_box.setCurrentIndex(1)
        page.min_edit.setText("150")
        t0 = time.perf_counter()
        page.apply_filter()
        print(
            f"filter wpm >= 150 over every analysis: {page.model.total} takes in "
            f"{(time.perf_counter() - t0) * 1000:.0f} ms"
        )
        page.close()
        store.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

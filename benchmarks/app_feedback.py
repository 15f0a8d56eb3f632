"""Stop-to-feedback in the real app: a 120 s answer played into the virtual microphone while
the app records it (live captions on), then Space; the time until the feedback is on screen.

This is the whole path a candidate waits for: the microphone is closed, the recording becomes
FLAC, the live transcriber finishes its tail, the answer is analysed, compared with earlier
takes and saved, and the feedback view is filled.  Needs the virtual devices (`make bench`).

Usage: .venv/bin/python benchmarks/app_feedback.py [--model fast|accurate] [--seconds 120]
       [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))


def wait_until(app, predicate, timeout: float) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="fast")
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("OFFSCRIPT_HOME", tempfile.mkdtemp(prefix="offscript-bench-"))

    from live_feedback import answer_wer, build_answer
    from PySide6.QtWidgets import QApplication

    from headless.feed import MIC_FEED, require_fed_microphone
    from offscript.app import build_services
    from offscript.process_memory import peak_rss_mb
    from offscript.settings import Settings
    from offscript.speech.asr import SAMPLE_RATE
    from offscript.ui.main_window import MainWindow

    require_fed_microphone()
    answer, reference = build_answer(args.speech, args.seconds)
    wav = Path(tempfile.mkdtemp()) / "answer.wav"
    sf.write(wav, answer, SAMPLE_RATE)

    app = QApplication.instance() or QApplication([])
    services = build_services(args.model)
    win = MainWindow(services)
    win.show()
    win.start_session(Settings(question_count=1, model=args.model, time_limit_s=1800))
    win.warm_up()
    page = win.interview
    wait_until(app, lambda: page.models_ready, 120)
    results: list[dict] = []
    page.analysis_ready.connect(results.append)
    page.start_recording()
    assert page.state == "recording", page.status_label.text()
    player = subprocess.Popen(["paplay", "-d", MIC_FEED, str(wav)])
    wait_until(app, lambda: player.poll() is not None, args.seconds + 60)
    end = time.monotonic() + 0.3  # the last blocks arrive; a candidate stops a moment later
    wait_until(app, lambda: time.monotonic() > end, 1)
    live = page.recorder.live
    stop = time.monotonic()
    page.stop_recording()
    wait_until(app, lambda: bool(results), 120)
    app.processEvents()  # the feedback view is filled in the same slot; let it paint
    shown = time.monotonic()
    data = results[0]
    result = {
        "model": args.model, "answer_s": round(len(answer) / SAMPLE_RATE, 1),
        "stop_to_feedback_s": round(shown - stop, 3),
        "tail_s_at_stop": None if live is None else round(live.tail_s_at_finish or 0, 2),
        "tail_decoded_s": None if live is None else round(live.tail_decoded_s or 0, 2),
        "wer": round(answer_wer(reference, data["transcript"]), 3),
        "filled_pauses": data["fillers"]["filled_pauses"],
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }
    win.close()
    services.store.close()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"in-app stop to feedback, {result['answer_s']} s answer, model {args.model}: "
              f"{result['stop_to_feedback_s']} s (target ≤ 1.5; tail {result['tail_s_at_stop']} s"
              f", decoded {result['tail_decoded_s']} s); WER {result['wer']}, "
              f"peak RSS {result['peak_rss_mb']} MB (load {result['load_avg_1min']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

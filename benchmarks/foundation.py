"""Print the foundation figures: `offscript analyse --json` wall time and real-time factor on
a 60 s answer (fast and accurate), and the time until the window is shown.

Usage: .venv/bin/python benchmarks/foundation.py [--speech ../shared/speech] [--json]
The 60 s answer is built by concatenating the spontaneous clips of the speech set.
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

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
OFFSCRIPT = [sys.executable, "-m", "offscript"]


def build_clip(speech: Path, seconds: float, out: Path) -> float:
    parts, sr = [], 16000
    for f in sorted((speech / "audio").glob("mfamono_*.wav")):
        audio, sr = sf.read(f, dtype="float32")
        parts.append(audio)
    audio = np.concatenate(parts)[: int(seconds * sr)]
    sf.write(out, audio, sr)
    return len(audio) / sr


def time_analyse(clip: Path, model: str, env: dict) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run([*OFFSCRIPT, "analyse", "--json", "--model", model, str(clip)],
                         capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - t0
    data = json.loads(out.stdout)
    return {"model": model, "wall_s": round(wall, 2),
            "rtf": round(wall / data["duration_s"], 3),
            "in_process_s": data.get("timing", {}).get("wall_s"), "words": len(data["words"])}


def time_window(env: dict) -> float | None:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None
    p = subprocess.Popen(OFFSCRIPT, stdout=subprocess.PIPE, text=True,
                         env={**env, "OFFSCRIPT_REPORT_STARTUP": "1"})
    try:
        line = p.stdout.readline()
    finally:
        p.terminate()
        p.wait(10)
    return float(line.split("=")[1]) if line.startswith("window_shown_s=") else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "OFFSCRIPT_HOME": os.path.join(tmp, "home")}
        clip = Path(tmp) / "answer60.wav"
        duration = build_clip(args.speech, 60.0, clip)
        subprocess.run([*OFFSCRIPT, "analyse", "--json", "--model", "accurate", str(clip)],
                       capture_output=True, env=env, check=True)  # assemble + warm the cache
        results = {"clip_s": round(duration, 2),
                   "analyse": [time_analyse(clip, m, env) for m in ("fast", "accurate")],
                   "window_shown_s": time_window(env)}
    if args.json:
        print(json.dumps(results))
    else:
        print(f"60 s answer ({results['clip_s']} s), 2-core CPU")
        for r in results["analyse"]:
            print(f"  analyse --model {r['model']:8} wall {r['wall_s']:5.2f} s  RTF {r['rtf']:.3f}"
                  f"  (in process {r['in_process_s']} s, {r['words']} words)")
        print(f"  window shown after {results['window_shown_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

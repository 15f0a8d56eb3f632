"""Per-set and overall figures of an evaluation run, as JSON and as a readable table.

Scores are micro-averaged (matches and counts summed over clips); event and pause scores only
over clips with reference word timings; the WPM error is the mean over those clips of the
absolute (and, separately, the signed) % error; the real-time factor is total processing time
over total audio.
"""

from __future__ import annotations

from collections.abc import Sequence

from offscript.evaluation.metrics import Scores, mean, real_time_factor, total
from offscript.evaluation.runner import ClipResult, EvalRun


def _r(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(x, nd)


def aggregate(results: Sequence[ClipResult]) -> dict:
    """Figures for a group of clips (one set, or all of them)."""
    def summed(scores: list[Scores | None]) -> dict | None:
        known = [s for s in scores if s is not None]
        return total(known).to_json() if known else None

    audio = sum(r.duration_s for r in results)
    wall = sum(r.wall_s for r in results)
    errors = [r.wpm_error_pct for r in results if r.wpm_error_pct is not None]
    return {
        "clips": len(results),
        "clips_with_timings": sum(r.pauses is not None for r in results),
        "audio_s": round(audio, 3), "wall_s": round(wall, 3),
        "rtf": _r(real_time_factor(wall, audio)),
        "filled_pauses": {"count": summed([r.filled_count for r in results]),
                          "events": summed([r.filled_events for r in results])},
        "pauses": summed([r.pauses for r in results]),
        "wpm": {"clips": len(errors), "mean_abs_error_pct": _r(mean(map(abs, errors)), 1),
                "mean_error_pct": _r(mean(errors), 1)},
        "errors": sum(r.error is not None for r in results),
    }


def build_report(run: EvalRun) -> dict:
    """The ``--json`` object: model, per-set and overall figures, and every clip's figures."""
    sets: dict[str, list[ClipResult]] = {}
    for r in run.results:
        sets.setdefault(r.set, []).append(r)
    return {
        "model": run.model,
        "model_load_s": round(run.load_s, 3),
        "sets": {name: aggregate(sets[name]) for name in sorted(sets)},
        "overall": aggregate(run.results),
        "clips": [r.to_json() for r in run.results],
    }


def _prf(scores: dict | None) -> str:
    if scores is None:
        return "-"
    def f(x: float | None) -> str:
        return "  - " if x is None else f"{x:.2f}"
    return f"{f(scores['recall'])} {f(scores['precision'])} {f(scores['f1'])} ({scores['ref']})"


def _row(name: str, agg: dict) -> list[str]:
    fp = agg["filled_pauses"]
    count = fp["count"]
    wpm = agg["wpm"]["mean_abs_error_pct"]
    return [name, str(agg["clips"]), f"{agg['audio_s']:.0f}",
            "-" if count is None else f"{count['ref']}/{count['hyp']}",
            _prf(count), _prf(fp["events"]), _prf(agg["pauses"]),
            "-" if wpm is None else f"{wpm:.1f} ({agg['wpm']['clips']})",
            "-" if agg["rtf"] is None else f"{agg['rtf']:.3f}"]


HEADER = ["set", "clips", "audio s", "FP ref/hyp", "FP count R P F1 (ref)",
          "FP events R P F1 (ref)", "pauses R P F1 (ref)", "|WPM err| % (n)", "RTF"]


def format_table(report: dict) -> str:
    """A plain-text table: one row per set, then the overall row, then notes."""
    rows = [_row(name, agg) for name, agg in report["sets"].items()]
    rows.append(_row("overall", report["overall"]))
    widths = [max(len(HEADER[i]), *(len(r[i]) for r in rows)) for i in range(len(HEADER))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    rule = "  ".join("-" * w for w in widths)
    out = [f"model: {report['model']} (loaded in {report['model_load_s']:.1f} s)",
           line(HEADER), rule, *map(line, rows[:-1]), rule, line(rows[-1]),
           "FP = filled pauses: count = min(hyp, ref) per clip; events = onsets within 0.5 s "
           "(clips with word timings). Pauses ≥ 250 ms, both boundaries within 100 ms. "
           "RTF = (transcription + analysis) / audio."]
    errors = [c for c in report["clips"] if c["error"]]
    out += [f"error in {c['id']}: {c['error']}" for c in errors]
    return "\n".join(out)

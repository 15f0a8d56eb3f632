"""``offscript eval PATH_TO_SET [--model fast|accurate|PATH] [--json]``.

Runs the analysis over every clip of a folder in the ``../shared/speech`` format and prints
filled-pause, pause, pace and speed figures per set and overall (see ``report``).  Bad input
(missing folder or manifest, bad rows, unusable model) prints one line on stderr and exits 2;
so does a run in which some clip could not be analysed (after printing the figures).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from offscript.errors import UserFacingError

EXIT_OK, EXIT_BAD_INPUT = 0, 2
PROG = "offscript eval"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Measure the analysis on a labelled speech set "
        "(a folder with manifest.csv and optional words/<id>.json timings).",
    )
    parser.add_argument("folder", type=Path, metavar="PATH_TO_SET")
    parser.add_argument(
        "--model", default="fast", help="fast (default), accurate, or a model folder"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _progress(done: int, total: int, clip_id: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(
            f"\r[{done}/{total}] {clip_id[:50]:50}" if clip_id else "\r" + " " * 60 + "\r"
        )
        sys.stderr.flush()


def _cli_lexical_eval(argv: list[str]) -> int:
    """``offscript eval lexical [CSV] [--json]``: lexical-filler rules on labelled sentences."""
    from offscript.evaluation.lexical_eval import (
        DEFAULT_CSV,
        evaluate_lexical,
        format_lexical_report,
    )

    parser = argparse.ArgumentParser(prog=f"{PROG} lexical")
    parser.add_argument("csv", type=Path, nargs="?", default=DEFAULT_CSV)
    parser.add_argument("--json", action="store_true")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        result = evaluate_lexical(args.csv)
    except UserFacingError as exc:
        print(f"{PROG} lexical: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(result, ensure_ascii=False) if args.json else format_lexical_report(result))
    return EXIT_OK


def _cli_score_eval(kind: str, argv: list[str]) -> int:
    """``offscript eval candour [PATH ...] [--json]`` (default: our sets and the external one) and
    ``offscript eval rehearsed PATH [--model M] [--reference-words] [--json]``: how well the two
    scores separate labelled answers."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog=f"{PROG} {kind}")
    parser.add_argument("path", type=Path, nargs="*" if kind == "candour" else None)
    parser.add_argument("--json", action="store_true")
    if kind == "rehearsed":
        parser.add_argument("--model", default="fast")
        parser.add_argument("--reference-words", action="store_true",
                            help="use words/<id>.json timings where the set has them")  # fmt: skip
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if kind == "candour":
            from offscript.evaluation.candour_eval import (
                DEFAULT_SETS,
                evaluate_candour,
                format_candour_report,
            )

            result = evaluate_candour(args.path or DEFAULT_SETS)
            text = format_candour_report
        else:
            from offscript.evaluation.rehearsed_eval import (
                evaluate_rehearsed,
                format_rehearsed_report,
            )
            from offscript.speech.asr import WhisperTranscriber

            if not (args.path / "manifest.csv").is_file():
                raise UserFacingError(f"{args.path}: no manifest.csv (see ../shared/speech).")
            result = evaluate_rehearsed(args.path, WhisperTranscriber(args.model),
                                        reference_words=args.reference_words)  # fmt: skip
            text = format_rehearsed_report
    except UserFacingError as exc:
        print(f"{PROG} {kind}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(result, ensure_ascii=False, default=str) if args.json else text(result))
    return 0


def cli_eval(argv: list[str]) -> int:
    """Entry point for ``offscript eval``; returns the exit code."""
    if argv and argv[0] in ("candour", "rehearsed"):
        return _cli_score_eval(argv[0], argv[1:])
    if argv and argv[0] == "lexical":
        return _cli_lexical_eval(argv[1:])
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help exits 0, a bad option 2
        return int(exc.code or 0)
    try:
        from offscript.evaluation.manifest import load_manifest
        from offscript.evaluation.report import build_report, format_table
        from offscript.evaluation.runner import run_eval
        from offscript.speech.asr import WhisperTranscriber

        clips = load_manifest(args.folder)  # before the model: bad rows fail fast
        run = run_eval(clips, WhisperTranscriber(args.model), progress=_progress)
    except UserFacingError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    report = build_report(run)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        print(format_table(report))
    sys.stdout.flush()
    for failed in run.errors:
        print(f"{PROG}: {failed.clip_id}: {failed.error}", file=sys.stderr)
    return EXIT_BAD_INPUT if run.errors else EXIT_OK

"""The ``offscript`` command.

``offscript``                 opens the app
``offscript analyse FILE...`` analyses audio or .txt transcripts (``--json`` for machines)
``offscript say TEXT``        speaks through the default output (or ``--out f.wav``)
``offscript doctor``          checks devices, models, voice and data folder
``offscript selftest``        proves model, voice and database work (also in the frozen build)
``offscript content ...``     validates, lists and imports question banks
``offscript report ...``      exports progress (PDF, HTML, CSV, JSON)

Bad input prints one line on stderr and exits with code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from offscript import __version__
from offscript.errors import UserFacingError

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        # argparse's default also prints the usage (several lines); bad input gets one line
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="offscript", description="Practise job interviews out loud, offline.")
    parser.add_argument("--version", action="version", version=f"offscript {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser(
        "analyse", aliases=["analyze"], help="analyse recorded answers or transcripts"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="wav/flac/ogg/mp3 or .txt")
    p.add_argument("--model", default="fast", help="fast (default), accurate, or a model folder")
    p.add_argument("--json", action="store_true", help="print one JSON object per input")
    p.add_argument("--question", metavar="ID", help="question id: adds rubric and follow-up")

    p = sub.add_parser("say", help="speak text with the interviewer's voice")
    p.add_argument("text")
    p.add_argument("--out", type=Path, help="write a WAV file instead of playing it")
    p.add_argument(
        "--voice", default=None, help="voice id from voices/catalog.toml or a .onnx path"
    )
    p.add_argument("--speed", type=float, default=1.0, help="speaking speed, 0.5-2.0 (default 1.0)")

    sub.add_parser("doctor", help="check devices, models, voice and data folder")
    p = sub.add_parser("selftest", help="load model and voice, speak, transcribe back, open a DB")
    p.add_argument("--model", default="fast", help="fast (default), accurate, or a model folder")
    p = sub.add_parser("eval", help="accuracy on a labelled speech set", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p = sub.add_parser("content", help="question banks: validate, list, import", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p = sub.add_parser("report", help="export progress: pdf, html, csv or json")
    p.add_argument("--since", default="", metavar="DATE", help="takes on or after YYYY-MM-DD")
    p.add_argument("--session", type=int, metavar="ID", help="only this session's takes")
    p.add_argument("--format", required=True, choices=("pdf", "html", "csv", "json"))
    p.add_argument("--out", required=True, type=Path, metavar="PATH", help="file to write")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from offscript.app import run_app

            return run_app()
        if args.command in ("analyse", "analyze"):
            from offscript.cli_analyse import run_analyse

            return run_analyse(
                args.files, model=args.model, as_json=args.json, question_id=args.question
            )
        if args.command == "say":
            return _run_say(args.text, out=args.out, voice=args.voice, speed=args.speed)
        if args.command == "doctor":
            from offscript.doctor import run_doctor

            return run_doctor()
        if args.command == "selftest":
            from offscript.selftest import run_selftest

            return run_selftest(args.model)
        if args.command == "eval":
            from offscript.evaluation.commands import cli_eval

            return cli_eval(list(args.rest))
        if args.command == "content":
            from offscript.content.commands import cli_content

            return cli_content(list(args.rest))
        if args.command == "report":
            from offscript.reports.commands import run_report

            return run_report(args.since, args.session, args.format, args.out)
    except UserFacingError as exc:
        print(f"offscript: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("offscript: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never show a traceback; keep it in the log for a bug report
        from offscript.crash_log import write_crash_log

        log = write_crash_log(exc)
        print(f"offscript: internal error: {exc!r} (details in {log})", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _run_say(text: str, *, out: Path | None, voice: str | None, speed: float) -> int:
    from offscript.errors import BadInputError
    from offscript.speech.tts import PiperTTS

    if not text.strip():
        raise BadInputError('Nothing to say: give some text, e.g. offscript say "Hello".')
    if not 0.5 <= speed <= 2.0:
        raise BadInputError(f"--speed {speed} is out of range: use 0.5 to 2.0.")
    tts = PiperTTS.from_name(voice)
    if out is not None:
        import io

        import soundfile as sf

        from offscript.store.atomic import atomic_write_bytes

        buf = io.BytesIO()
        sf.write(
            buf, tts.synthesize_all(text, speed), tts.samplerate, format="WAV", subtype="PCM_16"
        )
        try:
            atomic_write_bytes(out, buf.getvalue())
        except OSError as exc:
            raise BadInputError(f"Cannot write {out}: {exc.strerror}.") from exc
        print(f"wrote {out}", file=sys.stderr)
        return EXIT_OK
    from offscript.audio.playback import SoundDeviceSpeaker

    SoundDeviceSpeaker().play(tts.synthesize(text, speed), tts.samplerate)
    return EXIT_OK


def print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())

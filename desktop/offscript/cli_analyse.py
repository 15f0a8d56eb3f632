"""``offscript analyse``: one JSON object (or a readable summary) per input file."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from offscript.errors import UserFacingError
from offscript.pipeline import add_question_context, analyse_path
from offscript.reports.summary_text import format_summary

EXIT_OK, EXIT_BAD_INPUT = 0, 2


class TerminalProgress:
    """A one-line progress bar on stderr, shown only on a terminal."""

    def __init__(self, label: str, stream=None) -> None:
        self.label = label
        # looked up now, not at import: sys.stderr may have been replaced since
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self._shown = False

    def __call__(self, done: float, total: float) -> None:
        if not self.enabled or total <= 0:
            return
        frac = min(1.0, done / total)
        bar = "#" * int(frac * 30)
        self.stream.write(f"\r{self.label[:40]:40} [{bar:30}] {frac * 100:5.1f}%")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


def run_analyse(
    files: list[Path], *, model: str, as_json: bool, question_id: str | None = None
) -> int:
    from offscript.cli import print_json

    transcriber = None

    def transcriber_factory():
        nonlocal transcriber
        if transcriber is None:
            from offscript.speech.asr import WhisperTranscriber

            transcriber = WhisperTranscriber(model)
        return transcriber

    question = None
    if question_id is not None:
        from offscript.content import load_all_banks
        from offscript.errors import BadInputError

        question = load_all_banks().question(question_id)
        if question is None:
            raise BadInputError(
                f"Unknown question id '{question_id}': see `offscript content list`."
            )
    if model not in ("fast", "accurate"):  # check a custom model folder before any work
        from offscript.speech.models import resolve_asr_model

        resolve_asr_model(model)
    status = EXIT_OK
    for path in files:
        bar = TerminalProgress(path.name)
        started = time.perf_counter()
        try:
            result = analyse_path(path, transcriber_factory, progress=bar)
        except UserFacingError as exc:
            bar.close()
            print(f"offscript: {exc}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        bar.close()
        data = result.to_json()
        if question is not None:
            add_question_context(data, question)
        data.setdefault("timing", {})["wall_s"] = round(time.perf_counter() - started, 3)
        if transcriber is not None and data.get("duration_s") is not None:
            data["model"] = transcriber.name
        if as_json:
            print_json(data)
        else:
            print(format_summary(data))
    return status

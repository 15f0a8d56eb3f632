"""Reading an evaluation folder in the ``../shared/speech`` format.

``manifest.csv`` needs the columns ``id`` and ``file`` (audio path relative to the folder);
``set``, ``transcript`` and ``n_filled_pauses`` are optional (other columns are ignored).
``words/<id>.json`` (``[{"word", "start", "end"}, ...]``, seconds) is optional per clip.

The reference number of filled pauses is ``n_filled_pauses`` when the row gives it (the
set's own annotation), otherwise the transcript's tokens that ``is_filled_pause`` accepts, and
unknown when the row has neither.  Every problem is a :class:`BadInputError` naming the file and
line, so the command can print it as one line before any model is loaded.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from offscript.analysis.tokens import is_filled_pause
from offscript.analysis.words import Word
from offscript.errors import BadInputError

MANIFEST = "manifest.csv"
WORDS_DIR = "words"
REQUIRED_COLUMNS = ("id", "file")
DEFAULT_SET = "all"


@dataclass(frozen=True)
class Clip:
    """One labelled clip: its audio and whatever reference the folder has for it."""

    id: str
    audio: Path
    set: str
    transcript: str | None = None
    ref_filled_pauses: int | None = None
    words: tuple[Word, ...] | None = None
    """Reference word timings (None when ``words/<id>.json`` does not exist)."""


def count_filled_pauses(transcript: str) -> int:
    """Filled pauses in a verbatim transcript ("uh", "um", "hm"...)."""
    return sum(1 for token in transcript.split() if is_filled_pause(token))


def _number(value: object, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInputError(f"{where}: '{name}' must be a number of seconds, not {value!r}.")
    return float(value)


def load_reference_words(path: Path) -> tuple[Word, ...]:
    """Word timings from ``words/<id>.json``, checked (a list of word/start/end objects)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(f"{path}: not a readable JSON word list ({exc}).") from exc
    if not isinstance(data, list):
        raise BadInputError(f"{path}: expected a JSON list of {{word, start, end}} objects.")
    words = []
    for k, item in enumerate(data, start=1):
        where = f"{path} item {k}"
        if not isinstance(item, dict) or not isinstance(item.get("word"), str):
            raise BadInputError(f"{where}: expected an object with a 'word' string.")
        start = _number(item.get("start"), where, "start")
        end = _number(item.get("end"), where, "end")
        if start < 0 or end < start:
            raise BadInputError(f"{where}: bad times (start {start}, end {end}).")
        words.append(Word(item["word"], start, end))
    return tuple(words)


def _filled_pause_reference(row: dict[str, str], where: str) -> int | None:
    raw = (row.get("n_filled_pauses") or "").strip()
    if raw:
        try:
            n = int(raw)
        except ValueError:
            n = -1
        if n < 0:
            raise BadInputError(
                f"{where}: n_filled_pauses must be a whole number ≥ 0, not {raw!r}.")
        return n
    transcript = row.get("transcript")
    return None if transcript is None or not transcript.strip() else count_filled_pauses(transcript)


def _clip(folder: Path, row: dict[str, str | None], where: str) -> Clip:
    clip_id = (row.get("id") or "").strip()
    file = (row.get("file") or "").strip()
    if not clip_id or not file:
        raise BadInputError(f"{where}: 'id' and 'file' must not be empty.")
    if None in row or any(value is None for value in row.values()):
        raise BadInputError(f"{where}: wrong number of fields (check quoting of commas).")
    audio = folder / file
    if not audio.is_file():
        raise BadInputError(f"{where}: audio file '{file}' not found in {folder}.")
    words_path = folder / WORDS_DIR / f"{clip_id}.json"
    transcript = row.get("transcript")
    return Clip(
        id=clip_id, audio=audio, set=(row.get("set") or "").strip() or DEFAULT_SET,
        transcript=transcript.strip() if transcript and transcript.strip() else None,
        ref_filled_pauses=_filled_pause_reference(row, where),  # type: ignore[arg-type]
        words=load_reference_words(words_path) if words_path.is_file() else None,
    )


def load_manifest(folder: Path) -> list[Clip]:
    """Every clip of ``folder/manifest.csv``, in file order; BadInputError on any problem."""
    if not folder.exists():
        raise BadInputError(f"{folder}: no such folder.")
    if not folder.is_dir():
        raise BadInputError(f"{folder}: not a folder; give a folder holding {MANIFEST}.")
    path = folder / MANIFEST
    if not path.is_file():
        raise BadInputError(f"{folder}: no {MANIFEST} in this folder.")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            columns = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise BadInputError(f"{path}: missing column(s) {', '.join(missing)} "
                                    f"(need {', '.join(REQUIRED_COLUMNS)}).")
            clips = [_clip(folder, row, f"{path} line {reader.line_num}") for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BadInputError(f"{path}: cannot read it as UTF-8 CSV ({exc}).") from exc
    if not clips:
        raise BadInputError(f"{path}: no clips listed.")
    seen: set[str] = set()
    for clip in clips:
        if clip.id in seen:
            raise BadInputError(f"{path}: clip id '{clip.id}' appears twice.")
        seen.add(clip.id)
    return clips

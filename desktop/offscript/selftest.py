"""``offscript selftest``: prove an installation works, also inside the frozen (PyInstaller) build.

Loads the speech model and the default voice, speaks a sentence, transcribes it back and checks
the words came back, then opens and closes a database.  Everything it writes goes to a temporary
folder that is removed afterwards: it never touches the user's data or caches.  Prints one
``PASS``/``FAIL`` line per step with its time; exit status 0 only if every step passed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from offscript.errors import BadInputError, UserFacingError
from offscript.evaluation.metrics import word_error_rate, words_of

SENTENCE = "Tell me about a time you disagreed with your manager and what you did next."
# Piper's joe voice read back by tiny.en: 0.00 on this machine; one or two misheard words of
# 14 (0.14) still prove the chain works, garbage or silence does not.
MAX_WER = 0.25
SAMPLE_RATE = 16_000


@dataclass
class StepResult:
    name: str
    ok: bool
    seconds: float
    detail: str


@dataclass
class SelftestDeps:
    """The real parts the self-test exercises; tests swap them for fakes."""

    make_transcriber: Callable[[str], Any]  # name -> object with load() and transcribe(audio)
    make_voice: Callable[[Path], Any]  # TTS cache folder -> object with load(), synthesize_all
    open_database: Callable[[Path], Any]  # database path -> sqlite3-like connection


def real_deps() -> SelftestDeps:
    def make_transcriber(name: str) -> Any:
        from offscript.speech.asr import WhisperTranscriber

        return WhisperTranscriber(name)

    def make_voice(cache: Path) -> Any:
        from offscript.speech.tts import PiperTTS

        return PiperTTS.from_name(None, cache=cache)

    def open_db(path: Path) -> Any:
        from offscript.store.database import open_database

        return open_database(path)

    return SelftestDeps(make_transcriber, make_voice, open_db)


def check_model_argument(model: str) -> None:
    """Bad input (exit 2): a --model that is neither a known name nor an existing path."""
    from offscript.speech.models import MODEL_NAMES

    if model not in MODEL_NAMES and not Path(model).expanduser().exists():
        raise BadInputError(
            f"Model '{model}' not found: use --model fast, --model accurate, "
            "or the path of a faster-whisper model folder."
        )


class _Run:
    """Runs steps in order; a step whose inputs failed is reported as skipped (a FAIL)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.results: list[StepResult] = []

    def step(self, name: str, fn: Callable[[], tuple[Any, str]], *, needs: bool = True) -> Any:
        t0 = time.perf_counter()
        value = None
        if not needs:
            result = StepResult(name, False, 0.0, "skipped: an earlier step failed")
        else:
            try:
                value, detail = fn()
                result = StepResult(name, True, time.perf_counter() - t0, detail)
            except UserFacingError as exc:
                result = StepResult(name, False, time.perf_counter() - t0, str(exc))
            except Exception as exc:  # a self-test reports every failure, it never crashes
                result = StepResult(name, False, time.perf_counter() - t0, f"{exc!r}")
        self.results.append(result)
        mark = "PASS" if result.ok else "FAIL"
        print(f"{mark}  {name:<11} {result.seconds:6.2f} s  {result.detail}", file=self.out)
        self.out.flush()
        return value if result.ok else None


def run_selftest(
    model: str = "fast", *, deps: SelftestDeps | None = None, out: TextIO | None = None
) -> int:
    """Run every step, print PASS/FAIL lines and a summary; return 0 if all passed, else 1."""
    from offscript import __version__

    out = out or sys.stdout
    deps = deps or real_deps()
    check_model_argument(model)
    build = "frozen build" if getattr(sys, "frozen", False) else "from source"
    print(f"offscript {__version__} selftest ({build}, model {model})", file=out)
    t_start = time.perf_counter()
    run = _Run(out)
    with tempfile.TemporaryDirectory(prefix="offscript-selftest-") as tmp:
        folder = Path(tmp)
        transcriber = run.step("model", lambda: _load_model(deps, model))
        voice = run.step("voice", lambda: _load_voice(deps, folder / "tts"))
        speech = run.step("synthesise", lambda: _synthesise(voice), needs=voice is not None)
        run.step(
            "transcribe",
            lambda: _transcribe(transcriber, speech),
            needs=transcriber is not None and speech is not None,
        )
        run.step("database", lambda: _database(deps, folder / "data" / "offscript.db"))
    passed = sum(r.ok for r in run.results)
    total = len(run.results)
    elapsed = time.perf_counter() - t_start
    verdict = "PASS" if passed == total else "FAIL"
    print(f"selftest {verdict}: {passed}/{total} steps passed in {elapsed:.2f} s", file=out)
    return 0 if passed == total else 1


def _load_model(deps: SelftestDeps, model: str) -> tuple[Any, str]:
    transcriber = deps.make_transcriber(model)
    transcriber.load()
    described = getattr(transcriber, "model", None)
    detail = f"{described.description}: {described.path}" if described else str(model)
    return transcriber, detail


def _load_voice(deps: SelftestDeps, cache: Path) -> tuple[Any, str]:
    voice = deps.make_voice(cache)
    voice.load()
    files = getattr(voice, "files", None)
    name = files.model.name if files is not None else "?"
    return voice, f"{voice.id}: {name} ({voice.samplerate} Hz)"


def _synthesise(voice: Any) -> tuple[Any, str]:
    import numpy as np

    audio = np.asarray(voice.synthesize_all(SENTENCE), dtype=np.float32)
    seconds = len(audio) / voice.samplerate
    if seconds < 1.0 or float(np.max(np.abs(audio), initial=0.0)) < 0.01:
        raise UserFacingError(f"the voice produced {seconds:.2f} s of near-silence")
    if voice.samplerate != SAMPLE_RATE:
        import soxr

        audio = soxr.resample(audio, voice.samplerate, SAMPLE_RATE).astype(np.float32)
    return audio, f'{seconds:.1f} s of speech: "{SENTENCE}"'


def _transcribe(transcriber: Any, audio: Any) -> tuple[None, str]:
    heard = transcriber.transcribe(audio).text
    wer = word_error_rate(words_of(SENTENCE), words_of(heard))
    detail = f'WER {wer:.2f} (max {MAX_WER:.2f}): "{heard.strip()}"'
    if wer > MAX_WER:
        raise UserFacingError(f"the words did not come back: {detail}")
    return None, detail


def _database(deps: SelftestDeps, path: Path) -> tuple[None, str]:
    path.parent.mkdir(parents=True)
    conn = deps.open_database(path)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()
    if version < 1:
        raise UserFacingError(f"the database was not migrated (schema version {version})")
    return None, f"schema v{version}, journal {mode}, opened and closed in a temp folder"

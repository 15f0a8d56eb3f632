"""``offscript selftest``: one PASS/FAIL line per step, exit 0 only when every step passed."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from offscript.cli import main
from offscript.errors import ModelError
from offscript.selftest import (
    SENTENCE,
    SelftestDeps,
    run_selftest,
    word_error_rate,
    words_of,
)

STEPS = ("model", "voice", "synthesise", "transcribe", "database")
LINE = re.compile(r"^(PASS|FAIL)  (\w+)\s+(\d+\.\d\d) s  (.*)$")


class FakeTranscriber:
    def __init__(self, heard: str = SENTENCE, fail_load: bool = False) -> None:
        self.heard = heard
        self.fail_load = fail_load
        self.model = SimpleNamespace(description="fake model", path=Path("/fake"))
        self.audio_seen: np.ndarray | None = None

    def load(self) -> None:
        if self.fail_load:
            raise ModelError("The 'accurate' model is not bundled in this build.")

    def transcribe(self, audio: np.ndarray) -> SimpleNamespace:
        self.audio_seen = audio
        return SimpleNamespace(text=self.heard)


class FakeVoice:
    id = "fake"
    files = SimpleNamespace(model=Path("fake.onnx"))

    def __init__(self, samplerate: int = 16_000, silent: bool = False) -> None:
        self.samplerate = samplerate
        self.silent = silent
        self.spoken: list[str] = []

    def load(self) -> None:
        pass

    def synthesize_all(self, text: str) -> np.ndarray:
        self.spoken.append(text)
        t = np.arange(3 * self.samplerate) / self.samplerate
        return (0.0 if self.silent else 0.3) * np.sin(2 * np.pi * 200 * t).astype(np.float32)


def run(deps: SelftestDeps, model: str = "fast") -> tuple[int, dict[str, tuple[str, str]], str]:
    out = io.StringIO()
    code = run_selftest(model, deps=deps, out=out)
    text = out.getvalue()
    steps = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            steps[m.group(2)] = (m.group(1), m.group(4))
    return code, steps, text


def fake_deps(transcriber=None, voice=None, open_database=None) -> SelftestDeps:
    from offscript.store.database import open_database as real_open

    return SelftestDeps(
        make_transcriber=lambda name: transcriber or FakeTranscriber(),
        make_voice=lambda cache: voice or FakeVoice(),
        open_database=open_database or real_open,
    )


def test_every_step_passes_and_exit_is_zero() -> None:
    voice = FakeVoice()
    code, steps, text = run(fake_deps(voice=voice))
    assert code == 0
    assert list(steps) == list(STEPS)
    assert all(mark == "PASS" for mark, _ in steps.values()), text
    assert voice.spoken == [SENTENCE]
    assert "WER 0.00" in steps["transcribe"][1]
    assert text.rstrip().splitlines()[-1].startswith("selftest PASS: 5/5 steps passed")


def test_misheard_words_fail_the_transcribe_step() -> None:
    code, steps, text = run(fake_deps(FakeTranscriber(heard="thank you for watching")))
    assert code == 1
    assert steps["transcribe"][0] == "FAIL"
    assert "did not come back" in steps["transcribe"][1]
    assert steps["database"][0] == "PASS"
    assert "selftest FAIL: 4/5" in text


def test_model_that_cannot_load_fails_with_its_message_and_skips_transcription() -> None:
    code, steps, text = run(fake_deps(FakeTranscriber(fail_load=True)), model="accurate")
    assert code == 1
    assert steps["model"] == ("FAIL", "The 'accurate' model is not bundled in this build.")
    assert steps["transcribe"] == ("FAIL", "skipped: an earlier step failed")
    assert steps["voice"][0] == steps["synthesise"][0] == "PASS"
    assert "Traceback" not in text


def test_silent_voice_fails_synthesis() -> None:
    code, steps, _ = run(fake_deps(voice=FakeVoice(silent=True)))
    assert code == 1
    assert steps["synthesise"][0] == "FAIL"
    assert steps["transcribe"][0] == "FAIL"


def test_voice_audio_is_resampled_to_16_khz_for_the_recogniser() -> None:
    transcriber = FakeTranscriber()
    code, _, _ = run(fake_deps(transcriber, FakeVoice(samplerate=22_050)))
    assert code == 0
    assert transcriber.audio_seen is not None
    assert abs(len(transcriber.audio_seen) - 3 * 16_000) < 50


def test_unexpected_exception_is_a_fail_line_not_a_crash() -> None:
    def broken_db(path: Path) -> sqlite3.Connection:
        raise RuntimeError("disk on fire")

    code, steps, _ = run(fake_deps(open_database=broken_db))
    assert code == 1
    assert steps["database"] == ("FAIL", "RuntimeError('disk on fire')")


def test_database_goes_to_a_temp_folder_never_the_user_data(offscript_home: Path) -> None:
    seen: list[Path] = []

    def spy(path: Path) -> sqlite3.Connection:
        from offscript.store.database import open_database

        seen.append(path)
        return open_database(path)

    code, _, _ = run(fake_deps(open_database=spy))
    assert code == 0
    assert len(seen) == 1
    assert offscript_home not in seen[0].parents
    assert not seen[0].exists(), "the temp folder is removed afterwards"
    assert list(offscript_home.iterdir()) == []


def test_word_error_rate() -> None:
    assert word_error_rate(words_of("Tell me, about it."), words_of("tell me about it")) == 0.0
    assert word_error_rate(["a", "b", "c", "d"], ["a", "x", "c"]) == 0.5


def test_cli_unknown_model_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["selftest", "--model", "/no/such/model"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not found" in err


@pytest.mark.models
def test_real_selftest_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["selftest"]) == 0
    out = capsys.readouterr().out
    marks = [LINE.match(line).group(1) for line in out.splitlines() if LINE.match(line)]
    assert marks == ["PASS"] * len(STEPS), out

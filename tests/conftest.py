"""Shared fixtures: every test gets a fresh data folder; real speech comes from ../shared/speech."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SPEECH_DIR = Path(os.environ.get("OFFSCRIPT_SPEECH_DIR", REPO.parent / "shared" / "speech"))


@pytest.fixture(autouse=True)
def offscript_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Redirect all user data and caches to a temp dir for every test."""
    home = tmp_path / "offscript-home"
    home.mkdir()
    monkeypatch.setenv("OFFSCRIPT_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    if not (SPEECH_DIR / "manifest.csv").exists():
        pytest.skip(f"real speech set not found at {SPEECH_DIR} (set OFFSCRIPT_SPEECH_DIR)")
    return SPEECH_DIR


@pytest.fixture(scope="session")
def speech_manifest(speech_dir: Path) -> dict[str, dict]:
    with open(speech_dir / "manifest.csv", newline="", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="session")
def fast_transcriber():
    """The real `fast` model, loaded once for every test that transcribes."""
    from offscript.speech.asr import WhisperTranscriber

    transcriber = WhisperTranscriber("fast")
    transcriber.load()
    return transcriber

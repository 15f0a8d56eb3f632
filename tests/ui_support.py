"""Helpers shared by the Qt tests: services built from fakes, screenshots under tests/artifacts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from fakes import FakeMicrophone, FakeSpeaker
from offscript.analysis.words import Word
from offscript.content.catalog import default_practice_questions
from offscript.speech.asr import Transcript
from offscript.store.takes import Store
from offscript.ui.services import AppServices

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


class ToneVoice:
    """A stand-in interviewer voice: a short chirp per sentence (no model needed)."""

    id = "tone"
    samplerate = 16000

    def synthesize(self, text, speed=1.0, cancel=None):
        for _sentence in filter(None, text.split(".")):
            t = np.arange(int(0.2 * self.samplerate)) / self.samplerate
            yield (0.2 * np.sin(2 * np.pi * (300 + 400 * t) * t)).astype(np.float32)


class ReferenceTranscriber:
    """Returns a clip's reference word timings (from ../shared/speech/words) as the transcript,
    so UI tests exercise the real analysis without loading Whisper."""

    name = "reference"

    def __init__(self, words_json: Path) -> None:
        self.words = [
            Word(w["word"], w["start"], w["end"]) for w in json.loads(words_json.read_text())
        ]

    def transcribe(self, audio, *, offset_s=0.0, progress=lambda d, t: None, cancel=None):
        progress(len(audio) / 16000, len(audio) / 16000)
        return Transcript(words=list(self.words), duration_s=len(audio) / 16000, model=self.name)


def fake_services(
    samples: np.ndarray, words_json: Path, sr: int = 16000
) -> tuple[AppServices, dict]:
    """Services with a fake mic that 'hears' ``samples``; returns them and a dict of the fakes."""
    fakes: dict = {"speaker": FakeSpeaker(), "mics": [], "realtime": False}

    def open_microphone(on_error, device=None):
        mic = FakeMicrophone(samples, samplerate=sr, then_silence=True, realtime=fakes["realtime"])
        fakes["mics"].append(mic)
        return mic

    services = AppServices(
        store=Store.open(),
        questions=default_practice_questions(5),
        voice=ToneVoice(),
        transcriber=ReferenceTranscriber(words_json),
        speaker=fakes["speaker"],
        open_microphone=open_microphone,
        warm_up=lambda: None,
        model_name="reference",
    )
    return services, fakes


def session_window(qtbot, services: AppServices, *, activate: bool = False,
                   question_count: int = 2):
    """The main window shown for ``services``, a practice session started and the models
    marked loaded.  ``activate`` waits until the window is active: keyboard shortcuts only
    reach the active window."""
    from offscript.settings import Settings
    from offscript.ui.main_window import MainWindow

    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    if activate:
        win.windowHandle().requestActivate()
        qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    win.start_session(Settings(question_count=question_count))
    win.models_loaded()
    return win


def all_takes(store: Store) -> list:
    """Every take in the store, oldest first (the store itself only lists them per question)."""
    with store.reading() as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM takes ORDER BY id")]
    return [store.get_take(i) for i in ids]


def save_screenshot(widget, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    widget.grab().save(str(path))
    return path

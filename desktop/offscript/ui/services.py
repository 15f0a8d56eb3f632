"""What the window needs from the rest of Offscript, built in ``offscript.app`` (the one
wiring place) and replaced by fakes in tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from offscript.audio.capture import Microphone
from offscript.audio.playback import Speaker
from offscript.content.model import Question
from offscript.settings import Settings
from offscript.speech.asr import Transcriber
from offscript.speech.tts import Voice
from offscript.store.takes import Store

ErrorCallback = Callable[[Exception], None]


@dataclass
class AppServices:
    store: Store
    questions: list[Question]  # the current session's plan (the home page replaces it)
    voice: Voice
    transcriber: Transcriber
    speaker: Speaker
    # Opens a microphone (device name or None for the default) reporting errors to the callback.
    open_microphone: Callable[..., Microphone]
    # Loads the heavy models (called on a worker thread after the window is shown).
    warm_up: Callable[[], None]
    model_name: str = "fast"
    speed: float = 1.0
    settings: Settings = field(default_factory=Settings)
    catalog: object | None = None  # offscript.content.Catalog; None in small tests
    # Builds another transcriber when the user picks another model (None: model fixed).
    make_transcriber: Callable[[str], Transcriber] | None = None
    list_input_devices: Callable[[], list[str]] = lambda: []
    list_output_devices: Callable[[], list[str]] = lambda: []
    # Builds a speaker on an output device name ("" = default); None: the one speaker only.
    make_speaker: Callable[[str], Speaker] | None = None
    # Builds another interviewer voice from a catalogue id; None: the voice is fixed.
    make_voice: Callable[[str], Voice] | None = None
    live_captions: bool = False  # transcribe while recording (needs a windowed transcriber)
    recovered: list = field(default_factory=list)  # takes recovered at start-up (TakeRecord)

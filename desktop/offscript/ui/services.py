"""What the window needs from the rest of Offscript, built in ``offscript.app`` (the one
wiring place) and replaced by fakes in tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from offscript.audio.capture import Microphone
from offscript.audio.playback import Speaker
from offscript.content.model import Question
from offscript.speech.asr import Transcriber
from offscript.speech.tts import Voice
from offscript.store.takes import Store


@dataclass
class AppServices:
    store: Store
    questions: list[Question]
    voice: Voice
    transcriber: Transcriber
    speaker: Speaker
    # Called with an error callback; opens the default (or chosen) microphone.
    open_microphone: Callable[[Callable[[Exception], None]], Microphone]
    # Loads the heavy models (called on a worker thread after the window is shown).
    warm_up: Callable[[], None]
    model_name: str = "fast"
    speed: float = 1.0

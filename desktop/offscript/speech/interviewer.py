"""What the interviewer says, as audio chunks, without leaving the candidate in silence.

A question already synthesised (the app synthesises each question and follow-up ahead, while
the candidate reads or answers) plays at once from the cache.  One that is not ready yet costs
Piper about a third of a second before its first clause exists; rather than keep the candidate
waiting in silence, the interviewer first says a short acknowledgement ("Okay.") that is always
cached, and the question is synthesised while that plays, as a person would do.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from offscript.speech.tts import Voice
from offscript.tasks import CancelToken

LEAD_INS = ("Okay.", "Alright.", "Right.")
FOLLOW_UP_LEAD_IN = "Okay, a follow-up."
LEAD_IN_GAP_S = 0.15  # between the acknowledgement and the question


class InterviewerSpeech:
    """Turns question text into the chunks the speaker plays (see the module docstring)."""

    def __init__(self, voice: Voice, lead_ins: tuple[str, ...] = LEAD_INS) -> None:
        self.voice = voice
        self.lead_ins = lead_ins
        self._next_lead_in = itertools.cycle(lead_ins)
        #: The lead-in used by the latest :meth:`chunks` call ("" when none was needed).
        self.last_lead_in = ""

    def all_lead_ins(self) -> tuple[str, ...]:
        return (*self.lead_ins, FOLLOW_UP_LEAD_IN)

    def presynthesize_lead_ins(self, speed: float = 1.0) -> None:
        """Cache every acknowledgement (a second or two of synthesis, once per voice and speed)."""
        pre = getattr(self.voice, "presynthesize", None)
        if pre is not None:
            for text in self.all_lead_ins():
                pre(text, speed)

    def chunks(
        self, text: str, speed: float = 1.0, cancel: CancelToken | None = None,
        *, follow_up: bool = False,
    ) -> Iterator[np.ndarray]:
        """Audio for ``text``: from the cache, or after a cached acknowledgement."""
        lead_in = FOLLOW_UP_LEAD_IN if follow_up else next(self._next_lead_in)
        self.last_lead_in = lead_in if self._needs_lead_in(text, lead_in, speed) else ""
        if self.last_lead_in:
            yield from self.voice.synthesize(lead_in, speed, cancel)
            yield np.zeros(int(LEAD_IN_GAP_S * self.voice.samplerate), np.float32)
        yield from self.voice.synthesize(text, speed, cancel)

    def _needs_lead_in(self, text: str, lead_in: str, speed: float) -> bool:
        is_cached = getattr(self.voice, "is_cached", None)
        if is_cached is None:  # a voice without a cache: nothing to gain
            return False
        return not is_cached(text, speed) and is_cached(lead_in, speed)

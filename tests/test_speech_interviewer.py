"""The interviewer never leaves the candidate in silence: a question not synthesised yet is
preceded by a cached acknowledgement, a synthesised one plays at once."""

from __future__ import annotations

import numpy as np

from offscript.speech.interviewer import FOLLOW_UP_LEAD_IN, LEAD_IN_GAP_S, InterviewerSpeech


class CachingVoice:
    """A fake voice: each text is one chunk of as many samples as it has characters."""

    id = "fake"
    samplerate = 1000

    def __init__(self) -> None:
        self.cache: set[tuple[str, float]] = set()
        self.spoken: list[str] = []

    def is_cached(self, text: str, speed: float = 1.0) -> bool:
        return (text, speed) in self.cache

    def presynthesize(self, text: str, speed: float = 1.0) -> None:
        self.cache.add((text, speed))

    def synthesize(self, text, speed=1.0, cancel=None):
        self.spoken.append(text)
        self.cache.add((text, speed))
        yield np.ones(len(text), np.float32)


def test_an_uncached_question_starts_with_a_cached_acknowledgement() -> None:
    voice = CachingVoice()
    speech = InterviewerSpeech(voice, lead_ins=("Okay.",))
    speech.presynthesize_lead_ins()
    chunks = list(speech.chunks("Why Netflix?"))

    assert voice.spoken == ["Okay.", "Why Netflix?"] and speech.last_lead_in == "Okay."
    assert [len(c) for c in chunks] == [5, int(LEAD_IN_GAP_S * 1000), 12]
    assert not chunks[1].any()  # a short silence between the two


def test_a_synthesised_question_plays_alone_and_follow_ups_have_their_own_lead_in() -> None:
    voice = CachingVoice()
    speech = InterviewerSpeech(voice)
    speech.presynthesize_lead_ins()
    voice.presynthesize("Why Netflix?")
    assert [len(c) for c in speech.chunks("Why Netflix?")] == [12]
    assert speech.last_lead_in == ""

    list(speech.chunks("What did you do?", follow_up=True))
    assert voice.spoken[-2:] == [FOLLOW_UP_LEAD_IN, "What did you do?"]


def test_no_acknowledgement_before_it_is_cached_or_for_a_voice_without_a_cache() -> None:
    voice = CachingVoice()
    speech = InterviewerSpeech(voice)
    list(speech.chunks("Why Netflix?"))  # lead-ins not synthesised yet: no extra wait
    assert voice.spoken == ["Why Netflix?"]

    class PlainVoice:
        id, samplerate = "plain", 1000

        def synthesize(self, text, speed=1.0, cancel=None):
            yield np.ones(3, np.float32)

    assert [len(c) for c in InterviewerSpeech(PlainVoice()).chunks("Hi")] == [3]

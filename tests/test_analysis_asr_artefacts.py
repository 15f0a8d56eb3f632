"""Recogniser artefacts: doubled low-probability fillers, trailing hallucinations, late fillers."""

from __future__ import annotations

from offscript.analysis.asr_artefacts import drop_recogniser_artefacts, retime_filled_pauses
from offscript.analysis.fillers import tag_words
from offscript.analysis.words import Pause, Word


def texts(words: list[Word]) -> list[str]:
    return [w.text for w in words]


def test_a_doubled_filler_with_a_very_low_probability_is_dropped() -> None:
    words = [Word("Montreal,", 0.0, 0.6, 0.95), Word("uh,", 0.7, 1.0, 0.40),
             Word("uh,", 1.0, 1.1, 0.01), Word("forced", 1.2, 1.5, 0.43)]
    assert texts(drop_recogniser_artefacts(words)) == ["Montreal,", "uh,", "forced"]


def test_confident_repeats_and_mixed_runs_are_real_hesitation() -> None:
    run = [Word("uh,", 0.0, 0.3, 0.94), Word("uh,", 0.4, 0.7, 0.9), Word("um,", 0.8, 1.0, 0.2),
           Word("hmm,", 1.1, 1.3, 0.25), Word("so", 1.4, 1.6, 0.9)]
    assert texts(drop_recogniser_artefacts(run)) == texts(run)


def test_an_isolated_low_probability_filler_is_kept() -> None:
    """Whisper gives the first token after the prompt a low probability even when right."""
    words = [Word("Uh,", 0.9, 1.4, 0.02), Word("so", 1.8, 1.9, 0.96), Word("this", 1.9, 2.2)]
    assert texts(drop_recogniser_artefacts(words)) == ["Uh,", "so", "this"]


def test_trailing_hallucinations_are_dropped_but_a_confident_thank_you_stays() -> None:
    said = [Word("forced", 0.0, 0.5, 0.9), Word("aligner.", 0.5, 1.0, 0.8)]
    assert texts(drop_recogniser_artefacts(
        [*said, Word("Thank", 3.0, 3.2, 0.01), Word("you.", 3.2, 3.4, 0.98)])) == texts(said)
    assert texts(drop_recogniser_artefacts([*said, Word("uh.", 3.0, 3.2, 0.12)])) == texts(said)
    polite = [*said, Word("Thank", 3.0, 3.2, 0.9), Word("you.", 3.2, 3.4, 0.98)]
    assert texts(drop_recogniser_artefacts(polite)) == texts(polite)
    assert texts(drop_recogniser_artefacts([Word("uh", 0.0, 0.2, 0.1)])) == ["uh"]


def test_a_late_filler_starts_where_the_silence_before_it_ends() -> None:
    """Whisper: "cares.[7.04-7.52] Um,[8.64-8.66] this[8.66-8.84]"; the silence is 7.58-8.03."""
    tagged = tag_words([Word("cares.", 7.04, 7.52), Word("Um,", 8.64, 8.66),
                        Word("this", 8.66, 8.84)])
    silence = [Pause(7.58, 8.03, "thinking")]
    um = retime_filled_pauses(tagged, silence)[1]
    assert (um.start, um.end) == (8.03, 8.66)
    assert retime_filled_pauses(tagged, []) == tagged  # no silence, nothing moves


def test_only_fillers_after_a_silence_move_and_never_by_more_than_a_filler_lasts() -> None:
    tagged = tag_words([Word("so", 0.0, 0.3), Word("we", 3.0, 3.2), Word("uh", 3.2, 3.3)])
    far = [Pause(0.4, 1.5, "thinking")]  # ends 1.7 s before the "uh": not its silence
    assert retime_filled_pauses(tagged, far) == tagged
    words_only = [Pause(1.0, 2.9, "thinking")]  # before "we", which is not a filler
    assert retime_filled_pauses(tagged, words_only) == tagged

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


def test_a_phrase_lying_in_silence_at_either_end_is_dropped() -> None:
    from offscript.analysis.asr_artefacts import drop_phrases_in_silence

    speech = [Word("Go", 0.5, 0.8), Word("forward", 0.8, 1.1), Word("ten", 1.1, 1.5)]
    tail = [Word("see", 2.64, 2.76), Word("you", 2.76, 2.76), Word("next", 2.76, 2.76),
            Word("time.", 2.76, 2.76)]
    head = [Word(w, 0.1, 0.2) for w in ("thanks", "for", "watching")]
    silences = [(0.0, 0.47), (2.23, 2.79)]
    assert texts(drop_phrases_in_silence(head + speech + tail, silences)) == texts(speech)


def test_one_or_two_words_in_silence_and_words_over_sound_are_kept() -> None:
    """Whisper sometimes stamps real words at a point in a nearby silence ("word. word.")."""
    from offscript.analysis.asr_artefacts import drop_phrases_in_silence

    words = [Word("word.", 0.5, 0.9), Word("word.", 6.18, 6.18), Word("word.", 7.22, 7.22)]
    assert texts(drop_phrases_in_silence(words, [(5.9, 8.0)])) == texts(words)
    half_in = [Word("so", 1.0, 1.3), Word("it", 1.9, 2.1), Word("went", 2.1, 2.4),
               Word("well", 2.4, 2.6)]  # "it" starts before the silence does
    assert texts(drop_phrases_in_silence(half_in, [(2.0, 3.0)])) == texts(half_in)
    untimed = [Word("a"), Word("b"), Word("c")]
    assert texts(drop_phrases_in_silence(untimed, [(0.0, 9.0)])) == texts(untimed)


def test_whispers_thanks_for_watching_over_the_silence_after_a_real_command_is_gone(
    speech_dir, fast_transcriber
) -> None:
    """Real clip: "go forward ten meters" and a second of silence, over which tiny.en writes
    "Thanks for watching guys, see you in the next video."."""
    from offscript.audio.audio_files import load_audio
    from offscript.pipeline import analyse_transcribed

    samples = load_audio(speech_dir / "audio" / "psphinx_goforward.wav", target_sr=16000).samples
    raw = fast_transcriber.transcribe(samples).words
    assert "video" in " ".join(w.text.lower() for w in raw)  # the hallucination happens
    kept = analyse_transcribed(raw, samples, "goforward").to_json()["words"]
    spoken = [w["text"].lower().strip(".,") for w in kept]
    assert spoken == ["go", "forward", "10", "meters"]


def test_a_late_filler_over_sound_starts_where_the_word_before_it_ends() -> None:
    """Whisper: "happened,[19.12-19.66] uh,[20.38-20.54]" with the "uh" said from 19.82; the
    audio shows no silence between the two words, so the sound there is the filler."""
    tagged = tag_words([Word("happened,", 19.12, 19.66), Word("uh,", 20.38, 20.54),
                        Word("and", 20.96, 21.04)])
    moved = retime_filled_pauses(tagged, [], silences=[(17.9, 18.4), (21.5, 21.8)])
    assert (moved[1].start, moved[1].end) == (19.66, 20.54)
    # without audio nothing is known about the gap; a silent part keeps the stamp; a gap
    # shorter than MIN_LATE_GAP_S is Whisper's ordinary jitter
    assert retime_filled_pauses(tagged, []) == tagged
    assert retime_filled_pauses(tagged, [], silences=[(19.7, 20.0)]) == tagged
    close = tag_words([Word("happened,", 19.12, 19.66), Word("uh,", 19.76, 20.0)])
    assert retime_filled_pauses(close, [], silences=[]) == close

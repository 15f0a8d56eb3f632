"""The interviewer's voice: Piper speech, streamed by sentence, cached on disk; voice lookup."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from offscript.errors import ModelError
from offscript.speech.tts import PiperTTS
from offscript.speech.voices import resolve_voice

QUESTION = "Tell me about a project you are proud of."
THREE_SENTENCES = (
    "Thanks for coming in today. Let's start with your background. "
    "What did you work on in your last role?"
)


def words_in(text: str) -> int:
    return len(re.findall(r"[A-Za-z']+", text))


def rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tts-cache")


@pytest.fixture(scope="module")
def voice_files():
    return resolve_voice()


@pytest.fixture(scope="module")
def loaded_voice(voice_files):
    """One loaded Piper voice for the module; each test gets its own cache folder."""
    tts = PiperTTS(voice_files, cache=Path("/nonexistent-cache"))
    tts.load()
    return tts


@pytest.fixture
def tts(loaded_voice: PiperTTS, voice_files, tmp_path: Path) -> PiperTTS:
    fresh = PiperTTS(voice_files, cache=tmp_path / "tts")
    fresh._voice = loaded_voice._voice  # share the ONNX session: loading costs ~0.5 s
    return fresh


# --- voices -------------------------------------------------------------------------------


def test_the_default_voice_is_joe_from_the_catalogue(voice_files) -> None:
    assert voice_files.id == "joe"
    assert voice_files.model.suffix == ".onnx" and voice_files.model.is_file()
    assert voice_files.config == voice_files.model.with_name(voice_files.model.name + ".json")
    assert "CC0" in voice_files.licence


def test_an_unknown_voice_id_lists_the_known_ones() -> None:
    with pytest.raises(ModelError, match=r"Unknown voice 'nobody': use one of joe, or a path"):
        resolve_voice("nobody")


def test_a_missing_onnx_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"Voice model '.*missing\.onnx' not found"):
        resolve_voice(tmp_path / "missing.onnx")


def test_a_voice_without_its_json_is_reported(tmp_path: Path) -> None:
    (tmp_path / "lonely.onnx").write_bytes(b"onnx")
    with pytest.raises(ModelError, match=r"lonely\.onnx\.json' not found: a Piper voice needs"):
        resolve_voice(tmp_path / "lonely.onnx")


def test_a_voice_with_a_damaged_json_is_reported(tmp_path: Path) -> None:
    (tmp_path / "v.onnx").write_bytes(b"onnx")
    (tmp_path / "v.onnx.json").write_text("{oops")
    with pytest.raises(ModelError, match=r"v\.onnx\.json' is damaged"):
        resolve_voice(tmp_path / "v.onnx")


def test_a_voice_path_is_accepted(tmp_path: Path, voice_files) -> None:
    (tmp_path / "other.onnx").symlink_to(voice_files.model)
    (tmp_path / "other.onnx.json").symlink_to(voice_files.config)
    files = resolve_voice(tmp_path / "other.onnx")
    assert (files.id, files.model) == ("other", tmp_path / "other.onnx")


# --- synthesis ----------------------------------------------------------------------------


@pytest.mark.models
def test_from_name_loads_the_default_voice_lazily(tmp_path: Path) -> None:
    tts = PiperTTS.from_name(cache=tmp_path)
    assert tts.id == "joe" and tts.samplerate == 22050
    assert not tts.loaded  # nothing heavy until the first synthesis
    audio = tts.synthesize_all("Hello.")
    assert tts.loaded and audio.size > 0


@pytest.mark.models
def test_a_question_is_spoken_at_a_plausible_length(tts: PiperTTS) -> None:
    audio = tts.synthesize_all(QUESTION)

    seconds = len(audio) / tts.samplerate
    expected = words_in(QUESTION) / 2.5  # about 150 words per minute
    print(f"\n{words_in(QUESTION)} words -> {seconds:.2f} s (expected ~{expected:.1f} s)")
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert expected * 0.5 <= seconds <= expected * 2.0
    assert rms(audio) > 0.02 and np.abs(audio).max() <= 1.0


@pytest.mark.models
def test_the_first_sentence_arrives_before_the_rest_is_synthesised(tts: PiperTTS) -> None:
    stream = tts.synthesize(THREE_SENTENCES)
    first = next(stream)

    # The cache is only written once the whole text is done: it is not there yet.
    assert first.size > 0 and not tts.is_cached(THREE_SENTENCES)
    rest = list(stream)
    assert len(rest) >= 1, "one chunk for three sentences: nothing was streamed"
    assert tts.is_cached(THREE_SENTENCES)
    whole = np.concatenate([first, *rest])
    assert len(first) < 0.7 * len(whole)


@pytest.mark.models
def test_a_second_call_is_served_from_the_cache_without_loading_the_voice(
    tts: PiperTTS, voice_files, tmp_path: Path
) -> None:
    first = tts.synthesize_all(THREE_SENTENCES)
    assert tts.cache_path(THREE_SENTENCES, 1.0).is_file()

    other_session = PiperTTS(voice_files, cache=tmp_path / "tts")
    chunks = list(other_session.synthesize(THREE_SENTENCES))

    assert not other_session.loaded  # the model was never needed
    assert len(chunks) == 1
    assert chunks[0].shape == first.shape
    np.testing.assert_allclose(chunks[0], first, atol=1.5 / 32768)  # int16 in the cache


@pytest.mark.models
def test_faster_speech_is_shorter(tts: PiperTTS) -> None:
    normal = tts.synthesize_all(QUESTION, speed=1.0)
    fast = tts.synthesize_all(QUESTION, speed=1.5)
    ratio = len(fast) / len(normal)
    print(f"\nspeed 1.5 / 1.0 length ratio: {ratio:.2f}")
    assert 0.5 < ratio < 0.85


def test_cache_key_depends_on_text_speed_and_voice(tts: PiperTTS, voice_files, tmp_path) -> None:
    (tmp_path / "other.onnx").symlink_to(voice_files.model)
    (tmp_path / "other.onnx.json").symlink_to(voice_files.config)
    other_voice = PiperTTS(resolve_voice(tmp_path / "other.onnx"), cache=tmp_path / "tts")

    keys = {
        tts.cache_path(QUESTION, 1.0),
        tts.cache_path(QUESTION, 1.5),
        tts.cache_path(QUESTION + " Briefly.", 1.0),
        other_voice.cache_path(QUESTION, 1.0),
    }
    assert len(keys) == 4
    assert tts.cache_path(f"  {QUESTION}\n", 1.0) == tts.cache_path(QUESTION, 1.0)


@pytest.mark.models
@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_cache_file_is_ignored_and_rewritten(tts: PiperTTS, damage: str) -> None:
    import soundfile as sf

    good = tts.synthesize_all(QUESTION)
    path = tts.cache_path(QUESTION, 1.0)
    data = path.read_bytes()
    damaged = {"garbage": b"RIFF" + b"\x00" * 100, "truncated": data[: len(data) // 2],
               "empty": b""}[damage]
    path.write_bytes(damaged)

    again = tts.synthesize_all(QUESTION)

    # Piper samples its timing with noise, so a re-synthesis differs in length (18 % seen in
    # CI); half a question (the truncated file served as is) would still not pass.
    assert 0.7 * len(good) < len(again) < 1.4 * len(good), (len(again), len(good))
    assert path.read_bytes() != damaged
    cached, sr = sf.read(path, dtype="float32")
    assert sr == tts.samplerate
    np.testing.assert_allclose(cached, again, atol=1.5 / 32768)


def test_empty_text_yields_nothing(voice_files, tmp_path: Path) -> None:
    tts = PiperTTS(voice_files, cache=tmp_path)
    assert list(tts.synthesize("   ")) == []
    assert not tts.loaded


@pytest.mark.models
def test_round_trip_the_fast_model_hears_the_question(tts: PiperTTS) -> None:
    import soxr

    from offscript.speech.asr import SAMPLE_RATE, WhisperTranscriber

    speech = tts.synthesize_all(QUESTION)
    audio = soxr.resample(speech, tts.samplerate, SAMPLE_RATE).astype(np.float32)
    heard = WhisperTranscriber("fast").transcribe(audio).text
    print(f"\nsaid: {QUESTION!r}; heard: {heard!r}")

    # Piper's output varies a little between runs and tiny.en mishears now and then (once in
    # CI: "proud of" → "a product"); three of the four words that carry the question must
    # come back.
    got = set(re.findall(r"[a-z']+", heard.lower()))
    assert len({"tell", "about", "project", "proud"} & got) >= 3, heard


def test_the_first_clause_of_a_long_first_sentence_is_synthesised_on_its_own():
    from offscript.speech.tts import speech_parts

    assert speech_parts("Recommendation service slow or down: what does the home page do?") == [
        "Recommendation service slow or down:",
        "what does the home page do?",
    ]
    # short sentences and sentences without a clause mark stay whole
    assert speech_parts("Why Netflix, and why now?") == ["Why Netflix, and why now?"]
    assert speech_parts("Tell me about a decision you made that turned out to be wrong.") == [
        "Tell me about a decision you made that turned out to be wrong."
    ]
    text = "Walk me through it, step by step, please. Then tell me more."
    assert " ".join(speech_parts(text)) == text


def test_leading_silence_is_cut_to_just_before_the_first_audible_sample() -> None:
    from offscript.speech.tts import LEAD_KEEP_S, trim_leading_silence

    sr = 22050
    audio = np.concatenate([np.full(3000, 0.002, np.float32), np.full(500, 0.3, np.float32)])
    out = trim_leading_silence(audio, sr)
    assert len(out) == 500 + round(LEAD_KEEP_S * sr)
    assert out[-500:].min() == pytest.approx(0.3)
    quiet = np.full(1000, 0.001, np.float32)
    assert trim_leading_silence(quiet, sr) is quiet  # nothing audible: nothing cut


@pytest.mark.parametrize("question", ["Tell me about a time you disagreed with your manager.",
                                      "Why Netflix?", "Describe a project that failed."])
def test_spoken_questions_start_sounding_at_once(tts: PiperTTS, question: str) -> None:
    # Piper leads with 20-160 ms of near silence; the listener would hear that as a late start.
    for attempt in ("synthesised", "cached"):
        first = next(iter(tts.synthesize(question)))
        onset = int(np.flatnonzero(np.abs(first) > 0.01)[0])
        assert onset / tts.samplerate <= 0.011, attempt

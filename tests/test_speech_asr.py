"""Speech to timed words: windowing, token cleaning, and the real ``fast`` model on real speech."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import numpy as np
import pytest

from offscript.evaluation.metrics import word_error_rate
from offscript.speech.asr import SAMPLE_RATE, WINDOW_S, clean_words, window_bounds
from offscript.tasks import Cancelled, CancelToken

# The manifest's definition of a filled pause (../shared/speech/README.md).
FILLED_PAUSES = {"uh", "uhh", "uhm", "um", "umm", "er", "err", "erm", "ah", "ahh", "eh", "ehm",
                 "hm", "hmm", "hmmm", "mm", "mmm"}


def tokens(text: str) -> list[str]:
    """Lower-case words without punctuation (apostrophes kept: "i'm" stays one word)."""
    return [t for t in re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split() if t.strip("'")]


def without_fillers(words: list[str]) -> list[str]:
    return [w for w in words if w not in FILLED_PAUSES]


def read_clip(speech_dir: Path, clip_id: str) -> np.ndarray:
    import soundfile as sf

    audio, sr = sf.read(speech_dir / "audio" / f"{clip_id}.wav", dtype="float32")
    assert sr == SAMPLE_RATE and audio.ndim == 1
    return audio


# --- window_bounds (pure) -----------------------------------------------------------------


def noise(seconds: float, level: float = 0.3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * SAMPLE_RATE)) * level).astype(np.float32)


def test_short_audio_is_one_window_and_empty_audio_none() -> None:
    assert window_bounds(noise(5)) == [(0, 5 * SAMPLE_RATE)]
    assert window_bounds(noise(WINDOW_S)) == [(0, int(WINDOW_S * SAMPLE_RATE))]
    assert window_bounds(np.zeros(0, np.float32)) == []


@pytest.mark.parametrize("seconds", [28.01, 40, 56, 57, 95.5, 180])
def test_windows_are_at_most_28_s_and_tile_the_audio(seconds: float) -> None:
    audio = noise(seconds, seed=int(seconds))
    bounds = window_bounds(audio)

    assert len(bounds) >= 2
    assert bounds[0][0] == 0 and bounds[-1][1] == len(audio)
    for (_, end), (start, _) in itertools.pairwise(bounds):
        assert end == start  # contiguous: no sample lost, none transcribed twice
    for start, end in bounds:
        assert 0 < end - start <= WINDOW_S * SAMPLE_RATE


@pytest.mark.parametrize("window_s", [2.0, 5.0, 8.0, 10.0])
def test_shorter_windows_than_the_search_span_still_tile_the_audio(window_s: float) -> None:
    audio = noise(23.3)
    bounds = window_bounds(audio, window_s=window_s)

    assert bounds[0][0] == 0 and bounds[-1][1] == len(audio)
    assert all(a < b <= a + window_s * SAMPLE_RATE for a, b in bounds)
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(bounds))


def test_windows_are_cut_in_a_quiet_gap() -> None:
    # Speech-like noise with a 300 ms silent gap 24 s in: the first window must end inside it.
    audio = noise(50)
    gap_start, gap_end = int(24.0 * SAMPLE_RATE), int(24.3 * SAMPLE_RATE)
    audio[gap_start:gap_end] = 0.0

    (first_start, first_end), *_ = window_bounds(audio)

    assert first_start == 0
    assert gap_start <= first_end <= gap_end, f"cut at {first_end / SAMPLE_RATE:.2f} s"


def test_each_window_finds_its_own_quiet_gap() -> None:
    audio = noise(78)  # cuts near 25 s and 50.5 s leave 27.5 s: exactly three windows
    gaps_s = [25.0, 50.5, 70.0]
    for g in gaps_s:
        audio[int(g * SAMPLE_RATE) : int((g + 0.3) * SAMPLE_RATE)] = 0.0

    cuts = [end / SAMPLE_RATE for _, end in window_bounds(audio)[:-1]]

    assert len(cuts) == 2
    assert cuts[0] == pytest.approx(25.15, abs=0.2)
    assert cuts[1] == pytest.approx(50.65, abs=0.2)


# --- clean_words (pure) -------------------------------------------------------------------


def test_non_speech_tokens_are_dropped() -> None:
    raw = [
        (" [BLANK_AUDIO]", 0.0, 1.0, 0.9),
        (" Um,", 1.0, 1.4, 0.8),
        (" (laughs)", 1.4, 1.9, 0.5),
        (" [Music]", 1.9, 2.0, 0.5),
        (" *coughs*", 2.0, 2.1, 0.5),
        (" [BLANK", 2.1, 2.2, 0.5),
        ("_AUDIO]", 2.2, 2.3, 0.5),
        ("  ", 2.3, 2.4, 0.5),
        (" I", 2.4, 2.5, 0.95),
        (" led", 2.5, 2.8, 0.9),
        (" it.", 2.8, 3.0, 0.9),
    ]
    assert [w.text for w in clean_words(raw)] == ["Um,", "I", "led", "it."]


def test_clean_words_shifts_times_by_the_window_offset() -> None:
    (word,) = clean_words([(" so", 0.1234, 0.5, 0.87654)], offset_s=28.0)
    assert (word.text, word.start, word.end, word.probability) == ("so", 28.123, 28.5, 0.8765)


# --- the real fast model ------------------------------------------------------------------



@pytest.fixture(scope="module")
def cold_corpus(fast_transcriber, speech_dir: Path):
    """The fast model's transcript of a real 26 s spontaneous monologue, and its timing."""
    audio = read_clip(speech_dir, "mfamono_cold_corpus")
    started = time.perf_counter()
    transcript = fast_transcriber.transcribe(audio)
    return audio, transcript, time.perf_counter() - started


@pytest.mark.models
def test_fast_model_transcribes_a_spontaneous_answer(
    cold_corpus, speech_manifest: dict[str, dict]
) -> None:
    audio, transcript, took = cold_corpus
    row = speech_manifest["mfamono_cold_corpus"]

    reference = tokens(row["transcript"])
    hypothesis = tokens(transcript.text)
    wer = word_error_rate(without_fillers(reference), without_fillers(hypothesis))
    expected_fp = sum(w in FILLED_PAUSES for w in reference)
    found_fp = sum(w in FILLED_PAUSES for w in hypothesis)
    print(f"\nmfamono_cold_corpus: WER {wer:.3f} (fillers removed), filled pauses "
          f"{found_fp}/{expected_fp}, {len(audio) / SAMPLE_RATE:.1f} s audio in {took:.2f} s")
    print(f"  hypothesis: {transcript.text}")

    assert expected_fp == int(row["n_filled_pauses"])
    assert wer < 0.35
    assert found_fp >= expected_fp / 2
    assert transcript.duration_s == pytest.approx(float(row["duration_s"]), abs=0.01)
    assert transcript.model == "fast"


@pytest.mark.models
def test_word_times_are_ordered_and_inside_the_clip(cold_corpus) -> None:
    audio, transcript, _ = cold_corpus
    words = transcript.words
    duration = len(audio) / SAMPLE_RATE

    assert len(words) > 30
    for w in words:
        assert 0.0 <= w.start <= w.end <= duration + 0.05, w
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    for a, b in itertools.pairwise(words):
        assert a.end <= b.start + 0.05, (a, b)  # words do not overlap


@pytest.fixture(scope="module")
def seventy_seconds(speech_dir: Path) -> np.ndarray:
    """Three real monologues of one speaker, joined by short silences (~78 s)."""
    gap = np.zeros(int(0.4 * SAMPLE_RATE), np.float32)
    parts = []
    for clip in ("mfamono_cold_corpus", "mfamono_acoustic_corpus", "mfamono_cold_corpus3"):
        parts += [read_clip(speech_dir, clip), gap]
    audio = np.concatenate(parts)
    assert len(audio) / SAMPLE_RATE > 70
    return audio


@pytest.mark.models
def test_a_long_answer_is_transcribed_window_by_window(
    fast_transcriber, seventy_seconds: np.ndarray
) -> None:
    reports: list[tuple[float, float]] = []
    started = time.perf_counter()
    transcript = fast_transcriber.transcribe(
        seventy_seconds, offset_s=10.0, progress=lambda d, t: reports.append((d, t))
    )
    took = time.perf_counter() - started
    total = len(seventy_seconds) / SAMPLE_RATE
    print(f"\n{total:.1f} s in {len(transcript.windows)} windows, transcribed in {took:.2f} s")

    assert len(transcript.windows) >= 3
    assert all(b - a <= WINDOW_S + 1e-6 for a, b in transcript.windows)
    assert transcript.windows[0][0] == 10.0
    assert transcript.windows[-1][1] == pytest.approx(10.0 + total)
    assert reports[0] == (0.0, total)
    assert reports[-1] == pytest.approx((total, total))
    done = [d for d, _ in reports]
    assert done == sorted(done) and len(reports) == len(transcript.windows) + 1
    # Every window produced words, with times shifted by the offset.
    for a, b in transcript.windows:
        assert any(a <= w.start < b for w in transcript.words), (a, b)
    assert tokens(transcript.text).count("thanks") >= 2  # each monologue ends "alright thanks"


@pytest.mark.models
def test_cancelling_stops_between_windows(fast_transcriber, seventy_seconds: np.ndarray) -> None:
    cancel = CancelToken()
    reports: list[float] = []

    def progress(done: float, total: float) -> None:
        reports.append(done)
        if done > 0:
            cancel.cancel()  # after the first window

    with pytest.raises(Cancelled):
        fast_transcriber.transcribe(seventy_seconds, progress=progress, cancel=cancel)
    assert len(reports) == 2  # started, one window done, then stopped
    assert 0 < reports[-1] <= WINDOW_S


def test_decoding_stops_once_a_segment_reaches_the_end_of_the_audio() -> None:
    # faster-whisper's generator decodes the next piece only when asked: a remainder shorter
    # than END_SLACK_S after the last segment must never be decoded (it loops to 448 tokens).
    from types import SimpleNamespace

    from offscript.speech.asr import END_SLACK_S, _until_the_end

    asked = []

    def segments(ends):
        for end in ends:
            asked.append(end)
            yield SimpleNamespace(end=end)

    got = _until_the_end(segments([2.0, 5.9 - END_SLACK_S + 0.01, 5.95]), 5.9)
    assert [s.end for s in got] == [2.0, 5.9 - END_SLACK_S + 0.01]
    assert len(asked) == 2  # the third piece was never decoded
    asked.clear()
    got = _until_the_end(segments([1.0, 3.0]), 5.9)  # never near the end: all of them
    assert [s.end for s in got] == [1.0, 3.0] and len(asked) == 2

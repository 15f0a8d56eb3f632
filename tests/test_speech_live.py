"""Live transcription: where windows are cut, the worker's life cycle, and real speech fed as a
microphone would, compared with a one-shot transcription of the same audio."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from offscript.analysis.words import Word
from offscript.evaluation.metrics import word_error_rate
from offscript.speech.asr import SAMPLE_RATE, Transcript
from offscript.speech.live import LiveCaption, LiveTranscriber
from offscript.speech.live_cuts import choose_cut, frame_levels_db, quiet_runs
from offscript.tasks import Cancelled
from test_speech_asr import FILLED_PAUSES, read_clip, tokens, without_fillers

MIC_RATE = 44_100


def speech_like(bursts: list[tuple[float, float]], seconds: float, seed: int = 0) -> np.ndarray:
    """Noise bursts ("words") at the given (start, end) seconds, faint noise elsewhere."""
    rng = np.random.default_rng(seed)
    audio = rng.standard_normal(int(seconds * SAMPLE_RATE)).astype(np.float32) * 0.001
    for a, b in bursts:
        i, j = int(a * SAMPLE_RATE), int(b * SAMPLE_RATE)
        audio[i:j] = rng.standard_normal(j - i).astype(np.float32) * 0.3
    return audio


def to_mic_rate(audio: np.ndarray) -> np.ndarray:
    import soxr

    return soxr.resample(audio, SAMPLE_RATE, MIC_RATE).astype(np.float32)


class BurstTranscriber:
    """A fake recogniser: one word per loud burst it is given, named after the burst's start."""

    name = "fake"

    def __init__(self, fail_after: int | None = None) -> None:
        self.calls: list[tuple[float, float]] = []  # (offset_s, seconds) per call
        self.fail_after = fail_after

    def transcribe(self, audio, *, offset_s=0.0, progress=None, cancel=None) -> Transcript:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise RuntimeError("decoder exploded")
        self.calls.append((offset_s, len(audio) / SAMPLE_RATE))
        loud = frame_levels_db(audio) > -30
        words = [Word(f"w{offset_s + a / 100:.1f}", offset_s + a / 100, offset_s + b / 100)
                 for a, b in quiet_runs(loud)]
        return Transcript(words=words, duration_s=len(audio) / SAMPLE_RATE, model=self.name)


def feed_all(live: LiveTranscriber, audio: np.ndarray, *, speed: float | None = None,
             max_pending_s: float = 22.0, blocksize: int = 1024) -> None:
    """Feed ``audio`` (at the mic rate) in blocks; ``speed`` × real time, and never more than
    ``max_pending_s`` untranscribed (over the 20 s forced cut, or the worker would wait too)."""
    t0 = time.monotonic()
    deadline = t0 + 60.0  # after that the worker failed; finish() will say why
    for i in range(0, len(audio), blocksize):
        live.feed(audio[i : i + blocksize])
        while live.audio_s - live.committed_s > max_pending_s and time.monotonic() < deadline:
            time.sleep(0.01)
        if speed is not None:
            time.sleep(max(0.0, t0 + (i + blocksize) / MIC_RATE / speed - time.monotonic()))


# --- choose_cut (pure) --------------------------------------------------------------------

WORDS_WITH_GAPS = [(0.2, 2.0), (2.1, 5.0), (5.6, 7.0), (7.1, 9.4), (9.8, 11.5), (11.6, 12.0)]


def test_the_cut_goes_in_the_longest_late_enough_silence() -> None:
    audio = speech_like(WORDS_WITH_GAPS, 12.0)  # silences: 5.0-5.6, 9.4-9.8 (and 0.1 s ones)
    cut = choose_cut(audio, min_window_s=4.0)
    assert cut is not None and 5.0 <= cut / SAMPLE_RATE <= 5.6


def test_a_sentence_end_beats_a_longer_hesitation() -> None:
    audio = speech_like(WORDS_WITH_GAPS, 12.0)
    cut = choose_cut(audio, min_window_s=4.0, sentence_gaps=[(9.3, 9.9)])
    assert cut is not None and 9.4 <= cut / SAMPLE_RATE <= 9.8


def test_no_cut_too_early_or_in_unbroken_speech() -> None:
    audio = speech_like(WORDS_WITH_GAPS, 12.0)
    assert choose_cut(audio, min_window_s=10.0) is None  # the silences are all before 10 s
    assert choose_cut(speech_like([(0.0, 15.0)], 15.0)) is None


def test_unbroken_speech_is_cut_at_its_quietest_once_it_is_too_long() -> None:
    audio = speech_like([(0.0, 21.0)], 21.0)
    audio[int(17.0 * SAMPLE_RATE) : int(17.1 * SAMPLE_RATE)] *= 0.05  # a 100 ms dip, too short
    cut = choose_cut(audio, force_s=20.0)
    assert cut is not None and 16.9 <= cut / SAMPLE_RATE <= 17.2


# --- LiveTranscriber with a fake recogniser -----------------------------------------------

BURSTS = [(a + 0.05, a + 1.0) for a in np.arange(0.0, 44.0, 1.3)]  # 1 s "words", 0.35 s gaps


def test_words_are_committed_during_feeding_once_each_with_absolute_times() -> None:
    audio = speech_like(BURSTS, 45.0)
    stereo = np.repeat(to_mic_rate(audio)[:, None], 2, axis=1)
    fake, captions = BurstTranscriber(), []
    live = LiveTranscriber(fake, samplerate_in=MIC_RATE, on_caption=captions.append)
    live.start()
    feed_all(live, stereo, speed=20.0)
    committed_before_finish = live.committed_s
    transcript = live.finish(timeout=10)

    assert committed_before_finish > 20.0  # most of it was transcribed while "speaking"
    assert live.tail_s_at_finish is not None and live.tail_s_at_finish < 21.0
    assert len(transcript.words) == len(BURSTS)
    for word, (a, b) in zip(transcript.words, BURSTS, strict=True):
        assert word.start == pytest.approx(a, abs=0.05) and word.end == pytest.approx(b, abs=0.05)
    for (_, end), (start, _) in itertools.pairwise(transcript.windows):
        assert end == start  # windows tile the audio; every cut fell in a gap (no word split)
    assert transcript.duration_s == pytest.approx(45.0, abs=0.01)
    assert len(live.audio_16k()) == pytest.approx(45.0 * SAMPLE_RATE, abs=SAMPLE_RATE * 0.01)
    assert not live.audio_16k().flags.writeable  # closed: a view, not a 2nd copy of the answer
    assert any(c.tentative_words for c in captions)
    assert all(isinstance(c, LiveCaption) and c.lag_s >= 0 for c in captions)
    assert captions[-1].final_words == tuple(transcript.words) and captions[-1].lag_s == 0.0


def test_finish_reuses_the_last_caption_when_the_speaker_went_quiet() -> None:
    audio = speech_like([(0.2, 3.0), (3.2, 5.0)], 7.0)  # 2 s of silence before "stop"
    fake = BurstTranscriber()
    live = LiveTranscriber(fake, samplerate_in=MIC_RATE, tentative_every_s=0.2)
    live.start()
    feed_all(live, to_mic_rate(audio), speed=4.0)
    time.sleep(0.5)
    calls_before = len(fake.calls)
    transcript = live.finish(timeout=10)

    assert len(fake.calls) == calls_before  # nothing left to transcribe at stop
    assert [w.start for w in transcript.words] == pytest.approx([0.2, 3.2], abs=0.05)


class DraftingTranscriber(BurstTranscriber):
    """A fake with a separate (quicker) draft decode for captions, like WhisperTranscriber."""

    def __init__(self, reliable: bool = True) -> None:
        super().__init__()
        self.reliable = reliable
        self.draft_calls: list[tuple[float, float]] = []

    def transcribe_draft(self, audio, *, offset_s=0.0, cancel=None) -> Transcript:
        self.draft_calls.append((offset_s, len(audio) / SAMPLE_RATE))
        words = BurstTranscriber.transcribe(self, audio, offset_s=offset_s).words
        self.calls.pop()  # counted as a draft, not as a full decode
        return Transcript(words=words, duration_s=len(audio) / SAMPLE_RATE, model=self.name,
                          reliable=self.reliable)


def stop_mid_sentence(fake: DraftingTranscriber) -> tuple[LiveTranscriber, Transcript]:
    """Words at 0.2-3.0 and 3.4-5.0 s are captioned; then 5.3-6.5 s is said, and the
    candidate stops before any caption covers it."""
    audio = to_mic_rate(speech_like([(0.2, 3.0), (3.4, 5.0), (5.3, 6.5)], 6.6))
    captions: list[LiveCaption] = []
    live = LiveTranscriber(fake, samplerate_in=MIC_RATE, tentative_every_s=0.2,
                           on_caption=captions.append)
    live.start()
    split = int(5.2 * MIC_RATE)
    feed_all(live, audio[:split])
    deadline = time.monotonic() + 10
    while not any(c.audio_s - c.lag_s >= 5.1 for c in captions) and time.monotonic() < deadline:
        time.sleep(0.01)
    live.tentative_every_s = 1e6  # no caption for what follows
    feed_all(live, audio[split:])
    return live, live.finish(timeout=10)


def test_words_said_after_the_last_caption_have_the_whole_tail_decoded_again() -> None:
    fake = DraftingTranscriber()
    live, transcript = stop_mid_sentence(fake)

    assert fake.draft_calls, "the captions came from drafts"
    assert fake.calls == [(0.0, pytest.approx(6.6, abs=0.02))]
    assert live.tail_decoded_s == pytest.approx(6.6, abs=0.02)
    assert [w.start for w in transcript.words] == pytest.approx([0.2, 3.4, 5.3], abs=0.05)


def test_an_unsure_draft_is_transcribed_again_at_stop_even_after_silence() -> None:
    audio = speech_like([(0.2, 3.0), (3.2, 5.0)], 7.0)  # 2 s of silence before "stop"
    for reliable, decodes_at_stop in ((True, 0), (False, 1)):
        fake = DraftingTranscriber(reliable=reliable)
        live = LiveTranscriber(fake, samplerate_in=MIC_RATE, tentative_every_s=0.2)
        live.start()
        feed_all(live, to_mic_rate(audio), speed=4.0)
        time.sleep(0.5)
        transcript = live.finish(timeout=10)
        assert len(fake.calls) == decodes_at_stop, (reliable, fake.calls)
        assert [w.start for w in transcript.words] == pytest.approx([0.2, 3.2], abs=0.05)


def test_cancel_stops_the_worker_without_a_transcript() -> None:
    live = LiveTranscriber(BurstTranscriber(), samplerate_in=SAMPLE_RATE)
    live.start()
    live.feed(speech_like(BURSTS[:5], 8.0))
    live.cancel()

    assert not any(t.name == "live-transcriber" for t in threading.enumerate())
    with pytest.raises(Cancelled):
        live.finish(timeout=5)


def test_a_failing_recogniser_is_reported_and_raised_from_finish() -> None:
    errors: list[BaseException] = []
    live = LiveTranscriber(BurstTranscriber(fail_after=0), samplerate_in=SAMPLE_RATE,
                           on_error=errors.append)
    live.start()
    live.feed(speech_like(BURSTS[:10], 14.0))
    with pytest.raises(RuntimeError, match="decoder exploded"):
        live.finish(timeout=10)
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)


# --- the real fast model on a real answer -------------------------------------------------

CLIPS = ("mfamono_cold_corpus", "mfamono_acoustic_corpus", "mfamono_cold_corpus3")



@pytest.fixture(scope="module")
def real_answer(speech_dir: Path, speech_manifest: dict[str, dict]) -> tuple[np.ndarray, str]:
    gap = np.zeros(int(0.4 * SAMPLE_RATE), np.float32)
    audio = np.concatenate([x for c in CLIPS for x in (read_clip(speech_dir, c), gap)])
    return audio, " ".join(speech_manifest[c]["transcript"] for c in CLIPS)


def score(reference: str, text: str) -> tuple[float, int]:
    hyp = tokens(text)
    wer = word_error_rate(without_fillers(tokens(reference)), without_fillers(hyp))
    return wer, sum(w in FILLED_PAUSES for w in hyp)


@pytest.mark.models
def test_live_transcript_of_a_real_answer_is_as_good_as_one_shot(
    fast_transcriber, real_answer: tuple[np.ndarray, str]
) -> None:
    audio, reference = real_answer
    one_shot = fast_transcriber.transcribe(audio)
    captions: list[tuple[float, LiveCaption]] = []
    live = LiveTranscriber(fast_transcriber, samplerate_in=MIC_RATE,
                           on_caption=lambda c: captions.append((live.audio_s, c)))
    live.start()
    feed_all(live, to_mic_rate(audio), speed=3.0)
    fed_s = live.audio_s
    transcript = live.finish(timeout=60)

    (wer_live, fp_live), (wer_one, fp_one) = score(reference, transcript.text), score(
        reference, one_shot.text)
    print(f"\nlive WER {wer_live:.3f} ({fp_live} filled pauses, {len(transcript.windows)} "
          f"windows, {live.tail_s_at_finish:.1f} s left at stop) | one-shot WER {wer_one:.3f} "
          f"({fp_one})\n  live: {transcript.text}")
    # Cut points depend on how far the worker got when audio arrived, so the live WER varies
    # from run to run: 0.089, 0.095 and once 0.189 seen against 0.041 one-shot on this clip
    # (a cut inside a hesitation garbles the words around it; see the issue notes).  This
    # bound catches a broken transcriber, not that spread.
    assert wer_live <= wer_one + 0.2
    assert abs(fp_live - fp_one) <= 1
    assert sum(1 for seen, c in captions if seen < fed_s and c.tentative_words) >= 5
    duration = len(audio) / SAMPLE_RATE
    assert transcript.duration_s == pytest.approx(duration, abs=0.01)
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert all(0.0 <= w.start <= w.end <= duration + 0.05 for w in transcript.words)
    assert live.tail_s_at_finish is not None and live.tail_s_at_finish <= 20.0


@pytest.mark.models
def test_finish_transcribes_only_what_was_not_committed_while_speaking(
    fast_transcriber, real_answer: tuple[np.ndarray, str]
) -> None:
    audio, _ = real_answer
    live = LiveTranscriber(fast_transcriber, samplerate_in=MIC_RATE)
    live.start()
    feed_all(live, to_mic_rate(audio[: int(30 * SAMPLE_RATE)]))
    committed_s = live.committed_s
    transcript = live.finish(timeout=60)

    assert committed_s >= 8.0
    assert live.tail_s_at_finish == pytest.approx(30.0 - committed_s, abs=0.05)
    assert len(transcript.windows) >= 2 and len(transcript.words) > 40

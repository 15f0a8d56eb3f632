"""Rehearsed-delivery score: each cue on hand-made timings and synthetic audio, plus properties."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offscript.analysis.delivery import MONOTONE_SD_ST, analyse_delivery
from offscript.analysis.delivery_signals import filler_signal, rate_signals, syllables
from offscript.analysis.fillers import tag_words
from offscript.analysis.pace import measure_pace
from offscript.analysis.pauses import find_pauses
from offscript.analysis.prosody import summarise_prosody
from offscript.analysis.words import Word
from offscript.evaluation.rehearsed_eval import roc_auc

SR = 16000


def timed_words(texts: list[str], word_s: float = 0.3, gap_s: float = 0.05,
                pauses_after: dict[int, float] | None = None) -> list[Word]:
    out, t = [], 0.0
    for i, text in enumerate(texts):
        out.append(Word(text, t, t + word_s))
        t += word_s + gap_s + (pauses_after or {}).get(i, 0.0)
    return out


def analyse(words: list[Word], audio: np.ndarray | None = None):
    tagged = tag_words(words)
    duration = None if audio is None else audio.size / SR
    pauses = find_pauses(tagged, duration, 0.25)
    return analyse_delivery(tagged, pauses, measure_pace(tagged, pauses), audio=audio, sr=SR,
                            duration_s=duration)


def tone(hz: np.ndarray | float, seconds: float = 4.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    f = np.broadcast_to(np.asarray(hz, dtype=float), t.shape) if np.ndim(hz) else np.full(
        t.shape, float(hz))
    phase = 2 * np.pi * np.cumsum(f) / SR
    # a few harmonics, like a voice, so the periodicity check sees a realistic waveform
    return (0.3 * np.sin(phase) + 0.1 * np.sin(2 * phase) + 0.05 * np.sin(3 * phase)).astype(
        np.float32)


def test_flat_tone_is_monotone_and_a_varying_chirp_is_not() -> None:
    seconds = 4.0
    t = np.arange(int(seconds * SR)) / SR
    flat = tone(150.0, seconds)
    chirp = tone(150.0 * 2 ** (0.5 * np.sin(2 * np.pi * 0.7 * t)), seconds)  # ±6 semitones
    words = timed_words(["we", "shipped", "the", "new", "billing", "service", "on", "time"] * 2,
                        word_s=0.2)
    flat_result, chirp_result = analyse(words, flat), analyse(words, chirp)
    assert flat_result.prosody.pitch_sd_st < 0.5
    assert chirp_result.prosody.pitch_sd_st > 3.0
    assert abs(flat_result.prosody.median_hz - 150) < 5
    assert "monotone" in [f.code for f in flat_result.flags]
    assert "monotone" not in [f.code for f in chirp_result.flags]
    pitch = next(s for s in flat_result.signals if s.code == "pitch_variation")
    assert pitch.direction == "rehearsed" and pitch.value < MONOTONE_SD_ST and pitch.evidence


def test_prosody_of_silence_or_tiny_audio_says_nothing() -> None:
    assert summarise_prosody(np.zeros(SR * 2, dtype=np.float32), SR).pitch_sd_st is None
    assert summarise_prosody(np.zeros(10, dtype=np.float32), SR).voiced_s == 0.0


def test_even_pace_is_low_variation_and_uneven_pace_high() -> None:
    text = ["we", "moved", "the", "service", "to", "a", "queue"] * 4
    even = tag_words(timed_words(text, pauses_after={6: 0.5, 13: 0.5, 20: 0.5}))
    pauses = find_pauses(even, None, 0.25)
    cv_even = next(s for s in rate_signals(even, pauses) if s.code == "even_pace").value
    # same words, but every other phrase spoken at half speed
    uneven_words, t = [], 0.0
    for i, w in enumerate(text):
        dur = 0.3 if (i // 7) % 2 == 0 else 0.6
        uneven_words.append(Word(w, t, t + dur))
        t += dur + 0.05 + (0.5 if i % 7 == 6 else 0.0)
    uneven = tag_words(uneven_words)
    cv_uneven = next(s for s in rate_signals(uneven, find_pauses(uneven, None, 0.25))
                     if s.code == "even_pace").value
    assert cv_even < 0.05
    assert cv_uneven > 0.3
    assert "even_pace" in [f.code for f in analyse(timed_words(
        text, pauses_after={6: 0.5, 13: 0.5, 20: 0.5})).flags]


def test_filler_band_is_two_sided() -> None:
    base = ["so", "we", "rebuilt", "the", "cache", "and", "latency", "dropped", "a", "lot"]
    none = filler_signal(tag_words(timed_words(base * 10)))  # 100 words, no um
    healthy = filler_signal(tag_words(timed_words([*base[:5], "um", *base[5:]] * 3 + base * 7)))
    many = filler_signal(tag_words(timed_words(["um", *base[:4], "uh"] * 10)))
    assert none.value == 0 and none.direction == "rehearsed" and none.weight > 0.8
    assert 1.0 <= healthy.value <= 8.0 and healthy.direction == "spontaneous"
    assert many.value > 16 and many.leaning == 0.0
    assert none.leaning > healthy.leaning > many.leaning
    # absence proves little in a short answer
    short = filler_signal(tag_words(timed_words(base[:5])))
    assert short.weight < 0.15


def test_recited_vs_thought_through_timings() -> None:
    sentence = ["We", "cut", "the", "build", "time", "from", "forty", "minutes", "to", "ten."]
    recited = timed_words(sentence * 8, pauses_after={k: 0.4 for k in range(9, 80, 10)})
    live = ["um", *sentence[:3], "uh", *sentence[3:]] * 8
    live_words = timed_words(live, pauses_after={k: 1.4 for k in range(2, 96, 7)})
    recited_result, live_result = analyse(recited), analyse(live_words)
    assert recited_result.rehearsed_score > 0.65 > 0.35 > live_result.rehearsed_score
    codes = [f.code for f in recited_result.flags]
    assert "sounds_recited" in codes and "no_fillers" in codes
    assert "no_thinking_pauses" in codes


def test_every_signal_and_flag_carries_evidence() -> None:
    words = timed_words(["um", "so", "the", "the", "database", "uh", "was", "slow."] * 6,
                        pauses_after={3: 1.2, 20: 0.6})
    audio = tone(120.0, 20.0)
    result = analyse(words, audio)
    assert result.signals
    for s in result.signals:
        assert s.evidence and all(e.text for e in s.evidence), s.code
        assert s.direction in ("rehearsed", "spontaneous")
    for f in result.flags:
        assert f.evidence, f.code
    data = result.to_json()
    json.dumps(data, allow_nan=False)
    assert set(data) >= {"rehearsed_score", "signals", "pitch"}
    assert set(data["signals"][0]) >= {"code", "label", "value", "threshold", "direction",
                                       "evidence", "advice"}


def test_text_only_has_no_score() -> None:
    words = tag_words([Word(t) for t in ("I", "led", "the", "migration", "to", "Kubernetes.")])
    result = analyse_delivery(words, [], measure_pace(words), audio=None, sr=SR,
                              duration_s=None)
    assert result.rehearsed_score is None and result.signals == [] and result.flags == []
    assert result.to_json()["rehearsed_score"] is None


def test_syllable_estimate() -> None:
    assert [syllables(w) for w in ["cat", "database", "make", "little", "2024", "um"]] == [
        1, 3, 1, 2, 4, 1]


def test_roc_auc() -> None:
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.5], [0.5]) == 0.5
    assert roc_auc([], [0.1]) is None


finite_times = st.one_of(st.floats(min_value=-2, max_value=200),
                         st.sampled_from([math.nan, math.inf, -math.inf, 1e12]))
word_lists = st.lists(st.builds(Word, st.sampled_from(["um", "uh", "so", "the", "data", "x.",
                                                       "", "like", "5", "🙂"]),
                                st.one_of(st.none(), finite_times),
                                st.one_of(st.none(), finite_times)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=word_lists, seconds=st.floats(min_value=0, max_value=3),
       kind=st.sampled_from(["none", "noise", "tone", "silence", "nan"]))
def test_any_timings_and_audio_give_a_score_in_range(words: list[Word], seconds: float,
                                                     kind: str) -> None:
    n = int(seconds * SR)
    audio = {"none": None, "noise": np.random.default_rng(0).normal(0, 0.1, n),
             "tone": tone(200.0, seconds) if n else np.zeros(0), "silence": np.zeros(n),
             "nan": np.full(n, np.nan)}[kind]
    tagged = tag_words(words)
    pauses = find_pauses(tagged, None, 0.25)
    result = analyse_delivery(tagged, pauses, measure_pace(tagged, pauses), audio=audio, sr=SR,
                              duration_s=seconds)
    score = result.rehearsed_score
    assert score is None or (0.0 <= score <= 1.0 and math.isfinite(score))
    json.dumps(result.to_json(), allow_nan=False)

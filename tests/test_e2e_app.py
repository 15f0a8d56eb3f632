"""End to end on real (virtual) devices with the real models: the interviewer's voice is
captured from the speaker, a recorded answer from ../shared/speech is played into the
microphone while the app records, and the transcript and figures it shows are checked."""

from __future__ import annotations

import re
import time

import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from headless.feed import (
    SpeakerCapture,
    align,
    feed_mic,
    require_fed_microphone,
    require_virtual_speaker,
)
from offscript.evaluation.metrics import word_error_rate
from ui_support import save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.audio_devices, pytest.mark.models]

CLIP = "mfamono_cold_corpus"


def _norm(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def _ask_and_capture(qtbot, win, services) -> float:
    """Press A; return the correlation of what reached the speaker with the question's voice."""
    page = win.interview
    question = page.current_question().text
    # Piper's output varies a little from run to run; the question is pre-synthesised as soon
    # as it is shown, so wait for that and compare with exactly what will be played.
    qtbot.waitUntil(lambda: services.voice.is_cached(question, services.speed), timeout=30_000)
    expected_voice = services.voice.synthesize_all(question, services.speed)
    now_recording = dict(timeout=60_000, check_params_cb=lambda s: s == "recording")
    with (
        SpeakerCapture(rate=services.voice.samplerate) as cap,
        qtbot.waitSignal(page.state_changed, **now_recording),
    ):
        qtbot.keyClick(win, Qt.Key.Key_A)
    _lag, r = align(cap.audio, expected_voice)
    print(
        f"question speech captured: {len(cap.audio) / services.voice.samplerate:.1f} s, r={r:.3f}"
    )
    return r


def _answer_with(qtbot, win, clip, shot: str):
    captions: list[str] = []

    def on_caption(text: str) -> None:
        captions.append(text)
        if len(captions) == 8:  # mid-answer: live captions, level meter and clock on screen
            save_screenshot(win, shot)

    win.interview.recorder.caption.connect(on_caption)
    player = feed_mic(clip, wait=False)  # the GUI keeps running while the candidate speaks
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=120_000)
    _out, err = player.communicate(timeout=5)  # closes its pipes
    assert player.returncode == 0, err
    qtbot.wait(300)
    assert captions, "no live caption while the candidate spoke"
    t0 = time.monotonic()
    with qtbot.waitSignal(win.interview.analysis_ready, timeout=120_000) as blocker:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    took = time.monotonic() - t0
    print(f"{len(captions)} captions while speaking; stop to feedback {took:.2f} s")
    win.interview.recorder.caption.disconnect(on_caption)
    return blocker.args[0]


def _check_answer(data, row, services, question_id, clip):
    import soxr

    ref = [w for w in _norm(row["transcript"]) if w not in {"uh", "um"}]
    hyp = [w for w in _norm(data["transcript"]) if w not in {"uh", "um"}]
    wer = word_error_rate(ref, hyp)
    take = services.store.takes_for_question(question_id)[-1]
    recorded, sr = sf.read(services.store.audio_file(take), dtype="float32")
    source, src_sr = sf.read(clip, dtype="float32")
    _lag, r_mic = align(soxr.resample(recorded, sr, src_sr), source)
    print(
        f"{row['id']}: WER {wer:.2f}; wpm {data['pace']['wpm']}; filled pauses "
        f"{data['fillers']['filled_pauses']}/{row['n_filled_pauses']}; mic r={r_mic:.3f}"
    )
    assert wer < 0.35
    assert data["fillers"]["filled_pauses"] >= int(row["n_filled_pauses"]) // 2
    assert 100 <= data["pace"]["wpm"] <= 220
    assert data["duration_s"] >= float(row["duration_s"])
    assert take.status == "complete" and sr == 44100
    assert r_mic >= 0.9, "recorded answer differs from what was played into the mic"
    assert data["question"]["id"] == question_id and data["rubric"]["missing"] is not None


def test_two_question_session_on_real_devices(qtbot, speech_dir, speech_manifest):
    require_fed_microphone()
    require_virtual_speaker()
    from offscript.app import build_services
    from offscript.settings import Settings
    from offscript.ui.main_window import MainWindow

    t0 = time.monotonic()
    services = build_services("fast")
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    shown_s = time.monotonic() - t0
    assert not services.transcriber.loaded, "the window must appear before the model loads"
    win.windowHandle().requestActivate()
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    save_screenshot(win, "e2e_home")
    win.start_session(Settings(question_count=2, model="fast"))
    win.warm_up()
    page = win.interview
    qtbot.waitUntil(lambda: page.models_ready, timeout=60_000)
    save_screenshot(win, "e2e_question")
    print(f"window shown {shown_s:.2f} s")

    for n, clip_id in enumerate(("mfamono_cold_corpus", "mfamono_acoustic_corpus")):
        question_id = page.current_question().id
        # The interviewer asks: what reaches the speaker is the synthesised question.
        assert _ask_and_capture(qtbot, win, services) >= 0.9
        save_screenshot(win, f"e2e_recording_{n + 1}")
        clip = speech_dir / "audio" / f"{clip_id}.wav"
        data = _answer_with(qtbot, win, clip, f"e2e_answering_{n + 1}")
        save_screenshot(win, f"e2e_feedback_{n + 1}")
        _check_answer(data, speech_manifest[clip_id], services, question_id, clip)
        assert page.results.figures["filled"].text() == str(data["fillers"]["filled_pauses"])
        shown = re.sub(r"\s*\[\d+\.\ds\]", "", page.results.transcript.toPlainText())
        assert _norm(shown) == _norm(data["transcript"]), "the feedback shows another transcript"
        qtbot.keyClick(win, Qt.Key.Key_S)
    assert page.state == "done"
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert win.stack.currentWidget() is win.home
    assert services.store.list_sessions()[0].take_count == 2
    win.close()
    services.store.close()

"""End to end on real (virtual) devices with the real models: the interviewer's voice is
captured from the speaker, a recorded answer from ../shared/speech is played into the
microphone while the app records, and the transcript and figures it shows are checked."""

from __future__ import annotations

import re
import time

import numpy as np
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
from ui_support import save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.audio_devices, pytest.mark.models]

CLIP = "mfamono_cold_corpus"


def _norm(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def _wer(ref: list[str], hyp: list[str]) -> float:
    d = np.arange(len(hyp) + 1)
    for i, r in enumerate(ref, 1):
        prev, d[0] = d.copy(), i
        for j, h in enumerate(hyp, 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (r != h))
    return d[-1] / max(1, len(ref))


def test_practice_round_trip_on_real_devices(qtbot, speech_dir, speech_manifest):
    require_fed_microphone()
    require_virtual_speaker()
    from offscript.app import build_services
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
    win.jobs.start(lambda p, c: services.warm_up(), on_done=lambda _r: win.models_loaded())
    qtbot.waitUntil(lambda: win.models_ready, timeout=60_000)
    save_screenshot(win, "e2e_ready")

    # 1. The interviewer asks: what reaches the speaker is the synthesised question.
    question = services.questions[0].text
    expected_voice = services.voice.synthesize_all(question, 1.0)
    now_recording = dict(timeout=60_000, check_params_cb=lambda s: s == "recording")
    with (
        SpeakerCapture(rate=services.voice.samplerate) as cap,
        qtbot.waitSignal(win.state_changed, **now_recording),
    ):
        qtbot.keyClick(win, Qt.Key.Key_A)
    _lag, r = align(cap.audio, expected_voice)
    print(
        f"question speech captured: {len(cap.audio) / services.voice.samplerate:.1f} s, r={r:.3f}"
    )
    assert r >= 0.9

    # 2. The candidate answers into the microphone; Space stops the answer.
    save_screenshot(win, "e2e_recording")
    clip = speech_dir / "audio" / f"{CLIP}.wav"
    feed_mic(clip, wait=True)
    time.sleep(0.3)
    with qtbot.waitSignal(win.analysis_ready, timeout=120_000) as blocker:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    data = blocker.args[0]
    save_screenshot(win, "e2e_feedback")

    # 3. What the app heard and measured matches the clip.
    row = speech_manifest[CLIP]
    ref = [w for w in _norm(row["transcript"]) if w not in {"uh", "um"}]
    hyp = [w for w in _norm(data["transcript"]) if w not in {"uh", "um"}]
    wer = _wer(ref, hyp)
    take = services.store.takes_for_question(services.questions[0].id)[-1]
    recorded, sr = sf.read(services.store.audio_file(take), dtype="float32")
    source, src_sr = sf.read(clip, dtype="float32")
    print(
        f"window shown {shown_s:.2f} s; WER {wer:.2f}; wpm {data['pace']['wpm']}; "
        f"filled pauses {data['fillers']['filled_pauses']}/{row['n_filled_pauses']}"
    )
    assert wer < 0.35
    assert data["fillers"]["filled_pauses"] >= int(row["n_filled_pauses"]) // 2
    assert 100 <= data["pace"]["wpm"] <= 220
    assert data["duration_s"] >= float(row["duration_s"])
    assert take.status == "complete" and sr == 44100
    import soxr

    _lag, r_mic = align(soxr.resample(recorded, sr, src_sr), source)
    assert r_mic >= 0.9, (
        f"recorded answer differs from what was played into the mic (r={r_mic:.3f})"
    )
    assert win.results.figures["filled"].text() == str(data["fillers"]["filled_pauses"])
    assert "corpus" in win.results.transcript.toPlainText()
    win.close()
    services.store.close()

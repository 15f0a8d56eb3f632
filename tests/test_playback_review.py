"""Reviewing a take: the word under the cursor, click-to-seek, speed maths, keyboard."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from fakes import FakeSpeaker
from offscript.analysis.answer import analyse_answer
from offscript.analysis.words import Word
from offscript.audio.time_stretch import original_position, stretch, stretched_index
from offscript.ui.review_page import ReviewPage, word_at
from offscript.ui.workers import JobRunner
from test_history_store import record_take
from ui_support import fake_services, save_screenshot

CLIP = "mfamono_acoustic_corpus"


class HoldingSpeaker:
    """Takes the first block, then 'plays' until stopped (the clock decides the position)."""

    def __init__(self) -> None:
        self.first = threading.Event()
        self._stop = threading.Event()
        self.first_block: np.ndarray | None = None

    def play(self, chunks, samplerate, cancel=None):
        self._stop.clear()
        self.first_block = next(iter(chunks))
        self.first.set()
        self._stop.wait(10)

    def stop(self):
        self._stop.set()


@pytest.fixture
def clip(speech_dir):
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    ref = json.loads((speech_dir / "words" / f"{CLIP}.json").read_text())
    words = [Word(w["word"], w["start"], w["end"]) for w in ref]
    analysis = analyse_answer(words, source=CLIP, duration_s=len(samples) / sr,
                              audio=samples, sr=sr).to_json()  # fmt: skip
    return samples, sr, ref, analysis


def _review(qtbot, speech_dir, clip, speaker=None):
    samples, sr, _, analysis = clip
    services, _ = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    if speaker is not None:
        services.speaker = speaker
    take = record_take(services.store, "why-us", analysis, samples=samples)
    jobs = JobRunner()
    page = ReviewPage(services, jobs)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    assert page.load_take(take.id)
    return page, services, jobs


def _close(page, services, jobs):
    page.player.stop()
    jobs.wait()
    services.store.close()


def test_playback_highlights_the_word_under_the_cursor(qtbot, speech_dir, clip):
    page, services, jobs = _review(qtbot, speech_dir, clip)
    ref = clip[2]
    for i in (0, 3, 17, len(ref) // 2, len(ref) - 1):
        mid = (ref[i]["start"] + ref[i]["end"]) / 2
        page.player.seek(mid)
        current = page.transcript.current
        assert page.words[current]["text"].strip(",.?!").lower() == ref[i]["word"]
        a, b = page.transcript.spans[current]
        assert page.transcript.toPlainText()[a:b] == page.words[current]["text"]
    page.player.seek(ref[4]["start"])
    save_screenshot(page, "review")
    assert word_at(page.starts, 0.0) == -1  # before the first word nothing is highlighted
    _close(page, services, jobs)


def test_click_on_a_word_seeks_there_within_50_ms(qtbot, speech_dir, clip):
    page, services, jobs = _review(qtbot, speech_dir, clip)
    errors = []
    for i in (2, 10, 25, len(page.words) - 2):
        point = page.transcript.word_rect_center(i)
        page.transcript.ensureCursorVisible()
        qtbot.mouseClick(page.transcript.viewport(), Qt.MouseButton.LeftButton, pos=point)
        errors.append(abs(page.player.position() - page.words[i]["start"]))
        assert page.transcript.current == i
    print(f"click-to-seek error: max {max(errors) * 1000:.1f} ms")
    assert max(errors) <= 0.05
    # The waveform: clicking at x seeks to the time under x.
    wf = page.waveform
    qtbot.mouseClick(wf, Qt.MouseButton.LeftButton, pos=wf.rect().center())
    assert abs(page.player.position() - wf.time_at(wf.rect().center().x())) < 0.05
    _close(page, services, jobs)


def test_speed_changes_keep_the_duration_maths_right(qtbot, speech_dir, clip):
    samples, sr = clip[0], clip[1]
    fast = stretch(samples, 2.0)
    assert abs(len(fast) / sr - len(samples) / sr / 2) < 0.05
    assert original_position(10.0, 3.0, 2.0) == 16.0
    assert stretched_index(16.0, 2.0, sr) == 8 * sr
    speaker = HoldingSpeaker()
    page, services, jobs = _review(qtbot, speech_dir, clip, speaker)
    now = [100.0]
    page.player.clock = lambda: now[0]
    page.speed_box.setCurrentIndex(page.speed_box.findData(2.0))
    page.player.seek(10.0)
    page.player.play()
    assert speaker.first.wait(20)
    now[0] += 3.0  # three seconds of playback at 2× cover six seconds of the answer
    assert abs(page.player.position() - 16.0) < 1e-6
    qtbot.waitUntil(lambda: page.player.state == "playing", timeout=3000)
    # The first block played is the stretched audio from 10 s on.
    expected = page.player._stretched[2.0][stretched_index(10.0, 2.0, sr) :][:2048]
    assert np.array_equal(speaker.first_block, expected)
    page.player.pause()
    assert abs(page.player.position() - 16.0) < 1e-6 and page.player.state == "stopped"
    _close(page, services, jobs)


def test_playing_to_the_end_plays_the_rest_of_the_take_once(qtbot, speech_dir, clip):
    speaker = FakeSpeaker()
    page, services, jobs = _review(qtbot, speech_dir, clip, speaker)
    duration = page.player.duration_s
    page.player.seek(duration - 4.0)
    page.player.set_speed(1.25)
    with qtbot.waitSignal(page.player.state_changed, timeout=20000,
                          check_params_cb=lambda s: s == "stopped"):  # fmt: skip
        page.player.play()
    played_s = len(speaker.played) / page.player.samplerate
    assert abs(played_s - 4.0 / 1.25) < 0.05
    assert page.player.position() == pytest.approx(duration)
    _close(page, services, jobs)


def test_keyboard_space_arrows_and_brackets(qtbot, speech_dir, clip):
    page, services, jobs = _review(qtbot, speech_dir, clip, HoldingSpeaker())
    page.windowHandle().requestActivate()  # shortcuts only reach the active window
    qtbot.waitUntil(page.isActiveWindow, timeout=3000)
    page.transcript.setFocus()
    page.player.seek(page.starts[5])
    qtbot.keyClick(page.transcript, Qt.Key.Key_BracketRight)
    assert page.player.position() == page.starts[6]
    qtbot.keyClick(page.transcript, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(page.transcript, Qt.Key.Key_BracketLeft)
    assert page.player.position() == page.starts[4]
    before = page.player.position()
    qtbot.keyClick(page.transcript, Qt.Key.Key_Right)
    assert page.player.position() == pytest.approx(before + 5.0)
    qtbot.keyClick(page.transcript, Qt.Key.Key_Left)
    assert page.player.position() == pytest.approx(before)
    qtbot.keyClick(page.transcript, Qt.Key.Key_Space)
    assert page.player.state in ("playing", "preparing")
    qtbot.keyClick(page.transcript, Qt.Key.Key_Space)
    assert page.player.state == "stopped"
    _close(page, services, jobs)

"""The practice window with fake hardware: home → interview → feedback, and nothing lost."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import soundfile as sf
from PySide6.QtCore import Qt

from offscript.settings import Settings, load_settings
from offscript.ui.main_window import MainWindow
from test_content_import_cli import user_bank
from ui_support import ToneVoice, fake_services, save_screenshot

CLIP = "mfamono_cold_corpus"


def _window(qtbot, speech_dir, **settings):
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    services, fakes = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.windowHandle().requestActivate()  # keyboard shortcuts only reach the active window
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    return win, services, fakes


def _start(qtbot, win, **settings):
    win.start_session(Settings(**{"question_count": 2, **settings}))
    win.models_loaded()
    assert win.stack.currentWidget() is win.interview
    return win.interview


def _finish(win, services):
    win.close()
    services.store.close()


def test_home_page_offers_the_choices_and_starts_a_session(qtbot, speech_dir):
    win, services, _ = _window(qtbot, speech_dir)
    assert win.stack.currentWidget() is win.home
    assert win.home.model_box.count() == 2 and win.home.device_box.count() >= 1
    voices = [win.home.voice_box.itemData(i) for i in range(win.home.voice_box.count())]
    assert voices[0] == "" and "joe" in voices  # the default, then the catalogue
    assert "No sessions yet" in win.home.progress_label.text()
    save_screenshot(win, "ui_home")
    win.home.count_box.setValue(3)
    with qtbot.waitSignal(win.home.start_requested) as blocker:
        qtbot.mouseClick(win.home.start_btn, Qt.MouseButton.LeftButton)
    assert blocker.args[0].question_count == 3
    page = win.interview
    assert win.stack.currentWidget() is page
    assert page.state == "loading" and not page.record_btn.isEnabled()
    assert page.question_label.text() == services.questions[0].display_text
    assert page.progress_label.text() == "Question 1 of 3"
    assert load_settings().question_count == 3  # persisted for next time
    win.models_loaded()
    assert page.state == "idle" and page.record_btn.isEnabled() and page.ask_btn.isEnabled()
    _finish(win, services)


def test_ask_speaks_the_question_then_records_and_shows_feedback(
    qtbot, speech_dir, speech_manifest
):
    win, services, fakes = _window(qtbot, speech_dir)
    page = _start(qtbot, win)
    with qtbot.waitSignal(
        page.state_changed, timeout=5000, check_params_cb=lambda s: s == "recording"
    ):
        qtbot.keyClick(win, Qt.Key.Key_A)
    assert fakes["speaker"].plays == 1 and fakes["speaker"].played.size > 0
    save_screenshot(win, "ui_recording")
    assert fakes["mics"][0].finished.wait(10), "fake microphone did not deliver the clip"
    with qtbot.waitSignal(page.analysis_ready, timeout=15000) as blocker:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    data = blocker.args[0]
    save_screenshot(win, "ui_feedback")
    expected_fp = int(speech_manifest[CLIP]["n_filled_pauses"])
    assert data["fillers"]["filled_pauses"] == expected_fp
    assert page.results.figures["filled"].text() == str(expected_fp)
    assert page.results.figures["wpm"].text() == f"{data['pace']['wpm']:.0f} wpm"
    assert "acoustic" in page.results.transcript.toPlainText()
    polish, rehearsed = data["candour"]["polish_score"], data["delivery"]["rehearsed_score"]
    assert page.results.figures["polish"].text() == f"{round(polish * 100)}%"
    assert page.results.figures["rehearsed"].text() == f"{round(rehearsed * 100)}%"
    # each figure says what it is judged against; a figure outside its band is coloured
    filled_rate = data["fillers"]["filled_per_minute"]
    assert page.results.notes["filled"].text() == f"{filled_rate:.1f}/min (healthy ≤ 6)"
    assert page.results.notes["wpm"].text() == "healthy 110–170"
    outside = filled_rate > 6
    assert ("#d9822b" if outside else "#2e9d5b") in page.results.figures["filled"].styleSheet()
    for signal in data["candour"]["signals"] + data["delivery"]["signals"]:
        assert signal["label"] in page.results.flags.toPlainText()
    question = services.questions[0]
    assert data["question"]["id"] == question.id
    assert len(data["rubric"]["covered"]) + len(data["rubric"]["missing"]) == len(question.rubric)
    assert f"of {len(question.rubric)}" in page.results.flags.toPlainText()
    assert data["follow_up"] and data["follow_up"] in page.results.flags.toPlainText()
    takes = services.store.takes_for_question(question.id)
    assert len(takes) == 1 and takes[0].status == "complete"
    assert takes[0].duration_s >= float(speech_manifest[CLIP]["duration_s"]) - 0.1
    assert services.store.audio_file(takes[0]).is_file()
    assert services.store.latest_analysis(takes[0].id)["fillers"] == data["fillers"]
    assert page.state == "idle" and page.buttons["retry"].isEnabled()
    _finish(win, services)


def _answer(qtbot, win, fakes):
    page = win.interview
    n = len(fakes["mics"])
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert page.state == "recording"
    assert fakes["mics"][n].finished.wait(10)
    with qtbot.waitSignal(page.analysis_ready, timeout=15000) as blocker:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    return blocker.args[0]


def test_follow_up_retry_skip_and_end_session(qtbot, speech_dir):
    win, services, fakes = _window(qtbot, speech_dir)
    page = _start(qtbot, win)
    first = services.questions[0]
    data = _answer(qtbot, win, fakes)
    assert page.buttons["follow_up"].isEnabled() and page.follow_up == data["follow_up"]
    # F: the interviewer asks the follow-up, then the answer to it is recorded as its own row.
    with qtbot.waitSignal(
        page.state_changed, timeout=5000, check_params_cb=lambda s: s == "recording"
    ):
        qtbot.keyClick(win, Qt.Key.Key_F)
    assert page.question_label.text() == data["follow_up"]
    assert fakes["mics"][-1].finished.wait(10)
    with qtbot.waitSignal(page.analysis_ready, timeout=15000):
        qtbot.keyClick(win, Qt.Key.Key_Space)
    assert len(services.store.takes_for_question(f"{first.id}#follow-up")) == 1
    # R: another take of the same question, compared with the previous one.
    qtbot.keyClick(win, Qt.Key.Key_R)
    assert page.state == "recording"
    assert fakes["mics"][-1].finished.wait(10)
    with qtbot.waitSignal(page.analysis_ready, timeout=15000) as retried:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    assert page.results.comparison.text().startswith("Compared with your previous take (1 earlier)")
    # the same words again: a memorised repeat, shown with the shared words as evidence
    assert retried.args[0]["across_takes"]["memorised"] is True
    assert "almost word for word" in page.results.flags.toPlainText()
    assert f"pace {data['pace']['wpm']:.0f} → " in page.results.comparison.text()
    assert page.results.pace_chart.timeline == data["pace"]["timeline"]
    # S: next question; at the last one, S says the session is done; Esc goes home.
    qtbot.keyClick(win, Qt.Key.Key_S)
    assert page.question_label.text() == services.questions[1].display_text
    assert page.progress_label.text() == "Question 2 of 2"
    qtbot.keyClick(win, Qt.Key.Key_S)
    assert page.state == "done"
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert win.stack.currentWidget() is win.home
    sessions = services.store.list_sessions()
    assert len(sessions) == 1 and sessions[0].status == "ended" and sessions[0].take_count == 3
    assert "3 answers" in win.home.recent.item(0).text()
    assert f"{data['pace']['wpm']:.0f} wpm · " in win.home.recent.item(0).text()  # its means
    # the short progress summary gives the figures of those answers
    summary = win.home.progress_label.text()
    assert summary.startswith("Your last 3 answers: pace ") and "fillers" in summary
    assert f"pace {data['pace']['wpm']:.0f} words/min" in summary  # the same clip each time
    save_screenshot(win, "ui_home_with_sessions")
    _finish(win, services)


def test_pause_stops_the_clock_and_the_time_limit_stops_the_answer(qtbot, speech_dir):
    win, services, fakes = _window(qtbot, speech_dir)
    fakes["realtime"] = True  # the clock must see real time pass
    page = _start(qtbot, win, time_limit_s=1)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert page.state == "recording"
    qtbot.keyClick(win, Qt.Key.Key_P)
    assert page.state == "paused" and page.buttons["pause"].text() == "Resume (P)"
    paused_at = page.recorder.elapsed_s()
    qtbot.wait(300)
    assert page.recorder.elapsed_s() - paused_at < 0.05, "the clock ran while paused"
    qtbot.keyClick(win, Qt.Key.Key_P)
    assert page.state == "recording"
    # The 1 s limit ends the answer by itself and the feedback follows.  (bool(): waitUntil
    # takes a None return for success.)
    qtbot.waitUntil(
        lambda: bool(page.state == "idle" and page.results.analysis), timeout=15000
    )
    take = services.store.takes_for_question(services.questions[0].id)[0]
    assert 0.9 <= take.duration_s <= 2.0, f"1 s limit, recorded {take.duration_s} s"
    _finish(win, services)


def test_without_a_session_limit_each_question_keeps_its_own(qtbot, speech_dir):
    win, services, fakes = _window(qtbot, speech_dir)
    fakes["realtime"] = True
    page = _start(qtbot, win, time_limit_s=0)  # Home: "each question's own limit"
    # 2 s: the clip's first second is silence, and an answer with no speech gets no feedback
    services.questions[0] = replace(services.questions[0], time_limit_s=2)
    page.start_recording()
    assert page.time_label.text() == "0:00 · 0:02 left"  # at once, not the last answer's time
    qtbot.waitUntil(
        lambda: bool(page.state == "idle" and page.results.analysis), timeout=15000
    )
    take = services.store.takes_for_question(services.questions[0].id)[0]
    assert 1.9 <= take.duration_s <= 3.0, f"the question's 2 s limit, recorded {take.duration_s} s"
    assert page.answer_limit_s() == 2
    page.time_limit_s = 30  # a session limit wins over the question's
    assert page.answer_limit_s() == 30
    _finish(win, services)


def test_space_during_question_interrupts_the_interviewer_and_records(qtbot, speech_dir):
    win, services, fakes = _window(qtbot, speech_dir)
    fakes["speaker"].realtime = True
    page = _start(qtbot, win)
    page.ask_question()
    assert page.state == "speaking"
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert page.state == "recording"
    qtbot.waitUntil(lambda: all(h.done for h in win.jobs._handles), timeout=5000)
    _finish(win, services)


def test_closing_mid_answer_keeps_the_recording(qtbot, speech_dir):
    win, services, fakes = _window(qtbot, speech_dir)
    page = _start(qtbot, win)
    page.toggle_recording()
    assert page.state == "recording"
    qtbot.waitUntil(lambda: fakes["mics"][0].finished.is_set(), timeout=10000)
    question_id = services.questions[0].id
    win.close()
    takes = services.store.takes_for_question(question_id)
    assert [t.status for t in takes] == ["complete"]
    assert services.store.audio_file(takes[0]).stat().st_size > 10_000
    services.store.close()


def test_a_microphone_that_cannot_open_gives_a_clear_message(qtbot, speech_dir):
    from offscript.errors import DeviceError

    win, services, _ = _window(qtbot, speech_dir)

    def no_mic(on_error, device=None):
        raise DeviceError("No microphone found: plug one in or pick one in Settings.")

    services.open_microphone = no_mic
    page = _start(qtbot, win)
    page.toggle_recording()
    assert page.state == "idle"
    assert "No microphone found" in page.status_label.text()
    _finish(win, services)


def test_importing_a_bank_from_the_app_validates_it_first(qtbot, speech_dir, tmp_path):
    from offscript.paths import data_dir

    win, services, _ = _window(qtbot, speech_dir)
    broken = tmp_path / "broken.toml"
    broken.write_text('[bank]\nid = "mine"\n', encoding="utf-8")
    assert not win.import_bank_file(str(broken))
    assert "Bank not imported" in win.statusBar().currentMessage()
    assert not (data_dir() / "banks").exists() or not any((data_dir() / "banks").iterdir())
    assert win.import_bank_file(str(user_bank(tmp_path)))
    assert "Imported “Acme backend” (1 question)" in win.statusBar().currentMessage()
    assert (data_dir() / "banks" / "acme-backend.toml").is_file()
    _finish(win, services)


def test_the_voice_chosen_on_home_speaks_the_session(qtbot, speech_dir, tmp_path):
    win, services, _ = _window(qtbot, speech_dir)
    made: list[str] = []

    class NamedVoice(ToneVoice):
        def __init__(self, name: str) -> None:
            self.id = name

    def make_voice(choice: str):
        made.append(choice)
        return NamedVoice(Path(choice).stem)

    services.make_voice = make_voice
    custom = tmp_path / "my_voice.onnx"
    win.home.services.settings = Settings(voice=str(custom))
    win.home.refresh()  # a voice file chosen before is offered again, by its name
    box = win.home.voice_box
    assert box.currentData() == str(custom) and "my_voice" in box.currentText()
    box.setCurrentIndex(box.findData("joe"))
    with qtbot.waitSignal(win.home.start_requested):
        qtbot.mouseClick(win.home.start_btn, Qt.MouseButton.LeftButton)
    assert made == ["joe"] and services.voice.id == "joe"
    assert load_settings().voice == "joe"
    # starting again with the same voice does not rebuild it
    win.show_home()
    win.home.start_btn.click()
    assert made == ["joe"]
    _finish(win, services)

"""The practice window with fake hardware: ask, record, stop, see the analysis; nothing lost."""

from __future__ import annotations

import soundfile as sf
from PySide6.QtCore import Qt

from offscript.ui.main_window import MainWindow
from test_content_import_cli import user_bank
from ui_support import fake_services, save_screenshot

CLIP = "mfamono_cold_corpus"


def _window(qtbot, speech_dir):
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    services, fakes = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.windowHandle().requestActivate()  # keyboard shortcuts only reach the active window
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    return win, services, fakes


def _finish(win, services):
    win.close()
    services.store.close()


def test_window_starts_loading_and_enables_recording_once_models_are_ready(qtbot, speech_dir):
    win, services, _ = _window(qtbot, speech_dir)
    assert win.state == "loading"
    assert not win.record_btn.isEnabled()
    assert win.question_label.text() == services.questions[0].display_text
    win.models_loaded()
    assert win.state == "idle" and win.record_btn.isEnabled() and win.ask_btn.isEnabled()
    _finish(win, services)


def test_ask_speaks_the_question_then_records_and_shows_feedback(
    qtbot, speech_dir, speech_manifest
):
    win, services, fakes = _window(qtbot, speech_dir)
    win.models_loaded()
    with qtbot.waitSignal(
        win.state_changed, timeout=5000, check_params_cb=lambda s: s == "recording"
    ):
        qtbot.keyClick(win, Qt.Key.Key_A)
    assert fakes["speaker"].plays == 1 and fakes["speaker"].played.size > 0
    save_screenshot(win, "ui_recording")
    mic = fakes["mics"][0]
    assert mic.finished.wait(10), "fake microphone did not deliver the clip"
    with qtbot.waitSignal(win.analysis_ready, timeout=15000) as blocker:
        qtbot.mouseClick(win.record_btn, Qt.MouseButton.LeftButton)
    data = blocker.args[0]
    save_screenshot(win, "ui_feedback")
    expected_fp = int(speech_manifest[CLIP]["n_filled_pauses"])
    assert data["fillers"]["filled_pauses"] == expected_fp
    assert win.results.figures["filled"].text() == str(expected_fp)
    assert win.results.figures["wpm"].text() == f"{data['pace']['wpm']:.0f} wpm"
    assert "acoustic" in win.results.transcript.toPlainText()
    # The question's bank judged the answer: rubric points and a follow-up are shown.
    question = services.questions[0]
    assert data["question"]["id"] == question.id
    assert len(data["rubric"]["covered"]) + len(data["rubric"]["missing"]) == len(question.rubric)
    assert f"of {len(question.rubric)}" in win.results.flags.toPlainText()
    assert data["follow_up"] and data["follow_up"] in win.results.flags.toPlainText()
    # The take and its analysis are in the store, the audio on disk.
    takes = services.store.takes_for_question(services.questions[0].id)
    assert len(takes) == 1 and takes[0].status == "complete"
    assert takes[0].duration_s >= float(speech_manifest[CLIP]["duration_s"]) - 0.1
    assert services.store.audio_file(takes[0]).is_file()
    assert services.store.latest_analysis(takes[0].id)["fillers"] == data["fillers"]
    assert win.state == "idle"
    _finish(win, services)


def test_space_during_question_interrupts_the_interviewer_and_records(qtbot, speech_dir):
    win, services, fakes = _window(qtbot, speech_dir)
    fakes["speaker"].realtime = True
    win.models_loaded()
    win.ask_question()
    assert win.state == "speaking"
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert win.state == "recording"
    qtbot.waitUntil(
        lambda: not win.jobs._handles or all(h.done for h in win.jobs._handles), timeout=5000
    )
    _finish(win, services)


def test_closing_mid_answer_keeps_the_recording(qtbot, speech_dir):
    win, services, fakes = _window(qtbot, speech_dir)
    win.models_loaded()
    win.toggle_recording()
    assert win.state == "recording"
    qtbot.waitUntil(lambda: fakes["mics"][0].finished.is_set(), timeout=10000)
    question_id = services.questions[0].id
    win.close()
    takes = services.store.takes_for_question(question_id)
    assert [t.status for t in takes] == ["complete"]
    assert services.store.audio_file(takes[0]).stat().st_size > 10_000
    services.store.close()


def test_next_question_changes_the_question_and_clears_feedback(qtbot, speech_dir):
    win, services, _ = _window(qtbot, speech_dir)
    first = win.question_label.text()
    qtbot.keyClick(win, Qt.Key.Key_N)
    assert win.question_label.text() == services.questions[1].display_text != first
    _finish(win, services)


def test_a_microphone_that_cannot_open_gives_a_clear_message(qtbot, speech_dir):
    from offscript.errors import DeviceError

    win, services, _ = _window(qtbot, speech_dir)

    def no_mic(on_error):
        raise DeviceError("No microphone found: plug one in or pick one in Settings.")

    services.open_microphone = no_mic
    win.models_loaded()
    win.toggle_recording()
    assert win.state == "idle"
    assert "No microphone found" in win.status_label.text()
    _finish(win, services)


def test_importing_a_bank_from_the_app_validates_it_first(qtbot, speech_dir, tmp_path):
    from offscript.paths import data_dir

    win, services, _ = _window(qtbot, speech_dir)
    broken = tmp_path / "broken.toml"
    broken.write_text('[bank]\nid = "mine"\n', encoding="utf-8")
    assert not win.import_bank_file(str(broken))
    assert "Bank not imported" in win.status_label.text()
    assert not (data_dir() / "banks").exists() or not any((data_dir() / "banks").iterdir())
    assert win.import_bank_file(str(user_bank(tmp_path)))
    assert "Imported “Acme backend” (1 question)" in win.status_label.text()
    assert (data_dir() / "banks" / "acme-backend.toml").is_file()
    _finish(win, services)

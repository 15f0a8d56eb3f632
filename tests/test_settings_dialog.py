"""The Settings dialog: devices with a record-and-play test, voice preview, model, theme."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from offscript.settings import Settings, load_settings, settings_path
from offscript.ui.settings_dialog import SettingsDialog, level_report
from offscript.ui.workers import JobRunner
from ui_support import fake_services, save_screenshot

CLIP = "mfamono_acoustic_corpus"


def _dialog(qtbot, speech_dir, services=None):
    if services is None:
        samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
        services, _fakes = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
        services.list_input_devices = lambda: ["USB mic", "Laptop mic"]
        services.list_output_devices = lambda: ["Headphones"]
    jobs = JobRunner()
    dialog = SettingsDialog(services, jobs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, services, jobs


def test_settings_persist_across_restarts(qtbot, speech_dir):
    dialog, services, jobs = _dialog(qtbot, speech_dir)
    save_screenshot(dialog, "settings")
    dialog.input_box.setCurrentIndex(dialog.input_box.findData("Laptop mic"))
    dialog.output_box.setCurrentIndex(dialog.output_box.findData("Headphones"))
    dialog.speed_spin.setValue(1.25)
    dialog.model_box.setCurrentIndex(1)
    dialog.theme_box.setCurrentText("dark")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert services.settings.input_device == "Laptop mic" and services.speed == 1.25
    # A "restart": settings read back from disk, and a new dialog shows them.
    again = load_settings()
    assert (again.input_device, again.output_device, again.speed, again.model, again.theme) == (
        "Laptop mic", "Headphones", 1.25, "accurate", "dark")  # fmt: skip
    services.settings = again
    second, _, _ = _dialog(qtbot, speech_dir, services)
    assert second.input_box.currentData() == "Laptop mic"
    assert second.output_box.currentData() == "Headphones"
    assert second.model_choice() == "accurate" and second.theme_box.currentText() == "dark"
    jobs.wait()
    services.store.close()


def test_settings_load_is_tolerant_of_old_and_broken_files():
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"speed": 1.1, "theme": "neon", "unknown": 1}), encoding="utf-8")
    s = load_settings()
    assert s.speed == 1.1 and s.theme == "system" and s.output_device == ""
    path.write_text("{not json", encoding="utf-8")
    assert load_settings() == Settings()


def test_settings_rejects_a_custom_model_folder_that_is_not_a_model(qtbot, speech_dir, tmp_path):
    dialog, services, _jobs = _dialog(qtbot, speech_dir)
    dialog.model_box.setCurrentIndex(2)
    dialog.model_path.setText(str(tmp_path / "nowhere"))
    dialog.accept()
    assert dialog.isVisible() and "not found" in dialog.status.text()
    assert not settings_path().exists()
    dialog.reject()
    services.store.close()


def test_settings_device_test_records_three_seconds_and_plays_them_back(qtbot, speech_dir):
    dialog, services, _jobs = _dialog(qtbot, speech_dir)
    speaker = services.speaker
    dialog.test_devices()
    qtbot.waitUntil(lambda: dialog.test_btn.isEnabled(), timeout=10000)
    assert len(speaker.played) == 3 * 16000
    assert dialog.status.text().startswith("Heard you: peak")
    assert level_report(np.zeros(100, np.float32)).startswith("Nothing was heard")
    dialog.preview_voice()
    qtbot.waitUntil(lambda: dialog.preview_btn.isEnabled(), timeout=10000)
    assert "Played the tone voice at 1×" in dialog.status.text()
    dialog.reject()
    services.store.close()

"""First-run check: missing microphone, muted microphone, missing model package, all fine."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from fakes import FakeMicrophone
from offscript.audio.devices import NO_MICROPHONE
from offscript.errors import DeviceError, ModelError
from offscript.ui.first_run import FirstRunDialog, run_checks
from offscript.ui.workers import JobRunner
from ui_support import fake_services, save_screenshot

CLIP = "mfamono_acoustic_corpus"


@pytest.fixture
def services(speech_dir):
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    services, _ = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    yield services
    services.store.close()


def _no_microphone(on_error, device=None):
    raise DeviceError(NO_MICROPHONE)


def _dialog(qtbot, services):
    jobs = JobRunner()
    dialog = FirstRunDialog(services, jobs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.job.done, timeout=10000)  # may end before we look
    return dialog, jobs


def test_first_run_reports_a_missing_microphone_clearly(qtbot, services):
    services.open_microphone = _no_microphone
    dialog, jobs = _dialog(qtbot, services)
    lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert lines[0] == f"✘ Microphone: {NO_MICROPHONE}"
    assert lines[1].startswith("✔ Models")  # the level test is skipped without a microphone
    assert dialog.summary.text() == "1 thing(s) to fix before practising:"
    save_screenshot(dialog, "first_run_no_microphone")
    jobs.wait()


def test_first_run_reports_a_muted_microphone_and_a_missing_model(services):
    services.open_microphone = lambda on_error, device=None: FakeMicrophone(
        np.zeros(16000 * 3, np.float32)
    )

    def no_model():
        raise ModelError("The 'fast' model package is missing: run `make run` again.")

    services.warm_up = no_model
    results = run_checks(services)
    assert [(r.name, r.ok) for r in results] == [
        ("Microphone", True), ("Microphone level", False), ("Models", False)]  # fmt: skip
    assert "muted" in results[1].message
    assert "model package is missing" in results[2].message


def test_first_run_all_fine(qtbot, services):
    dialog, jobs = _dialog(qtbot, services)
    assert all(r.ok for r in dialog.results) and len(dialog.results) == 3
    assert dialog.summary.text().startswith("All set")
    save_screenshot(dialog, "first_run_ok")
    jobs.wait()

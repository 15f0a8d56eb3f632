"""Settings: microphone and speaker (with a 3 s record-and-play test), interviewer voice and
speed (with a preview), transcription model (fast, accurate or a validated folder), theme, and
the data folder, which "Move…" moves at once (copied, verified, switched, then the old copy
removed: ``offscript.store.relocate``) on a worker thread with a progress bar.

The other choices are saved through ``offscript.settings`` when the dialog is accepted.
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from offscript.errors import DeviceError, UserFacingError
from offscript.settings import THEMES, Settings, save_settings
from offscript.ui.model_choice import add_model_items, select_model
from offscript.ui.services import AppServices
from offscript.ui.voice_choice import fill_voice_box
from offscript.ui.workers import JobRunner

TEST_SECONDS = 3.0
PREVIEW_TEXT = "Tell me about a time you disagreed with your manager."
DEFAULT_DEVICE = "System default"


def record_seconds(
    services: AppServices, device: str, seconds: float, cancel
) -> tuple[np.ndarray, int]:
    """Record ``seconds`` of mono audio from ``device`` ("" = default); DeviceError if it fails."""
    blocks: list[np.ndarray] = []
    got = [0]
    enough = threading.Event()
    errors: list[Exception] = []
    mic = services.open_microphone(errors.append, device or None)
    target = int(seconds * mic.samplerate)

    def on_block(block: np.ndarray) -> None:
        if got[0] < target:
            blocks.append(np.asarray(block, dtype=np.float32).reshape(len(block), -1).mean(axis=1))
            got[0] += len(block)
        if got[0] >= target:
            enough.set()

    mic.start(on_block)
    try:
        deadline = seconds + 3.0
        cancelled = (lambda: cancel.cancelled) if cancel is not None else (lambda: False)
        while not enough.wait(0.05) and deadline > 0 and not cancelled() and not errors:
            deadline -= 0.05
    finally:
        mic.stop()
    if errors:
        raise DeviceError(str(errors[0]))
    audio = np.concatenate(blocks)[:target] if blocks else np.zeros(0, np.float32)
    if len(audio) == 0:
        raise DeviceError(f"The microphone {mic.device_name!r} delivered no audio.")
    return audio, mic.samplerate


def level_report(audio: np.ndarray) -> str:
    peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
    if peak < 1e-4:
        return "Nothing was heard: the microphone is muted or turned all the way down."
    db = 20 * np.log10(peak)
    hint = " (quiet: move closer or raise the input level)" if db < -30 else ""
    return f"Heard you: peak {db:.0f} dBFS{hint}."


class SettingsDialog(QDialog):
    def __init__(self, services: AppServices, jobs: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Offscript settings")
        self.services, self.jobs = services, jobs
        s = services.settings
        self.input_box = self._device_box(services.list_input_devices(), s.input_device)
        self.output_box = self._device_box(services.list_output_devices(), s.output_device)
        self.test_btn = QPushButton(f"Test ({TEST_SECONDS:.0f} s record, then play back)")
        self.test_btn.clicked.connect(self.test_devices)
        self.voice_box = QComboBox()
        fill_voice_box(self.voice_box, s.voice)
        self.speed_spin = QDoubleSpinBox(decimals=2, minimum=0.5, maximum=2.0, singleStep=0.05)
        self.speed_spin.setValue(s.speed)
        self.preview_btn = QPushButton("Preview")
        self.preview_btn.clicked.connect(self.preview_voice)
        self.model_box = QComboBox()
        add_model_items(self.model_box, [("fast", "fast"), ("accurate", "accurate")])
        self.model_box.addItem("custom folder…", "")
        self.model_path = QLineEdit(placeholderText="folder of a faster-whisper model")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_model)
        custom = s.model not in ("fast", "accurate")
        if custom:
            self.model_box.setCurrentIndex(2)
        else:
            select_model(self.model_box, s.model)
        self.model_path.setText(s.model if custom else "")
        self.theme_box = QComboBox()
        self.theme_box.addItems(list(THEMES))
        self.theme_box.setCurrentText(s.theme)
        self.data_path = QLineEdit(str(services.store.data_dir), readOnly=True)
        self.move_btn = QPushButton("Move…")
        self.move_btn.clicked.connect(self.choose_data_folder)
        self.move_progress = QProgressBar(visible=False, maximum=1000)
        self.move_job = None
        self.status = QLabel(wordWrap=True)

        form = QFormLayout()
        form.addRow("Microphone", self.input_box)
        form.addRow("Speaker", self.output_box)
        form.addRow("", self.test_btn)
        voice_row = QHBoxLayout()
        for w in (self.voice_box, QLabel("speed"), self.speed_spin, self.preview_btn):
            voice_row.addWidget(w)
        form.addRow("Interviewer voice", voice_row)
        model_row = QHBoxLayout()
        for w in (self.model_box, self.model_path, browse):
            model_row.addWidget(w)
        form.addRow("Transcription model", model_row)
        form.addRow("Theme", self.theme_box)
        data_row = QHBoxLayout()
        for w in (self.data_path, self.move_btn):
            data_row.addWidget(w)
        form.addRow("Data folder", data_row)
        form.addRow("", self.move_progress)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons = buttons
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.job = None

    # ---------------------------------------------------------------- building
    def _device_box(self, names: list[str], current: str) -> QComboBox:
        box = QComboBox()
        box.addItem(DEFAULT_DEVICE, "")
        for n in names:
            box.addItem(n, n)
        if current and box.findData(current) < 0:
            box.addItem(f"{current} (not connected)", current)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _browse_model(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Model folder")
        if path:
            self.model_path.setText(path)
            self.model_box.setCurrentIndex(2)

    # ---------------------------------------------------------------- values
    def model_choice(self) -> str:
        i = self.model_box.currentIndex()
        return ("fast", "accurate")[i] if i < 2 else self.model_path.text().strip()

    def chosen(self) -> Settings:
        base = self.services.settings
        return Settings(
            loop_id=base.loop_id,
            question_count=base.question_count,
            time_limit_s=base.time_limit_s,
            speed=self.speed_spin.value(),
            model=self.model_choice(),
            voice=self.voice_box.currentData(),
            input_device=self.input_box.currentData(),
            output_device=self.output_box.currentData(),
            theme=self.theme_box.currentText(),
        ).validated()

    def validate_model(self) -> str:
        """'' if the chosen model is usable, else what is wrong (custom folders are checked)."""
        name = self.model_choice()
        if name in ("fast", "accurate"):
            return ""
        if not name:
            return "Choose the folder of a faster-whisper model, or pick fast/accurate."
        from offscript.speech.models import resolve_asr_model

        try:
            resolve_asr_model(name)
        except UserFacingError as exc:
            return str(exc)
        return ""

    def accept(self) -> None:
        problem = self.validate_model()
        if problem:
            self.status.setText(problem)
            return
        settings = self.chosen()
        try:
            save_settings(settings)
        except (OSError, UserFacingError) as exc:
            self.status.setText(f"Settings not saved: {exc}")
            return
        self.services.settings = settings
        self.services.speed = settings.speed
        from PySide6.QtWidgets import QApplication

        from offscript.ui.theme import apply_theme

        apply_theme(QApplication.instance(), settings.theme)
        super().accept()

    # ---------------------------------------------------------------- tests and previews
    def _speaker(self):
        device = self.output_box.currentData()
        if device and self.services.make_speaker is not None:
            return self.services.make_speaker(device)
        return self.services.speaker

    def test_devices(self) -> None:
        services, device, speaker = self.services, self.input_box.currentData(), self._speaker()

        def job(progress, cancel):
            audio, sr = record_seconds(services, device, TEST_SECONDS, cancel)
            report = level_report(audio)
            speaker.play([audio], sr, cancel)
            return report

        self.status.setText(f"Recording {TEST_SECONDS:.0f} s: say something…")
        self._run(job, self.test_btn)

    def preview_voice(self) -> None:
        services, speed, speaker = self.services, self.speed_spin.value(), self._speaker()
        voice_id = self.voice_box.currentData()

        def job(progress, cancel):
            voice = services.voice
            if voice_id and services.make_voice is not None and voice_id != voice.id:
                voice = services.make_voice(voice_id)
            speaker.play(voice.synthesize(PREVIEW_TEXT, speed=speed), voice.samplerate, cancel)
            return f"Played the {voice.id} voice at {speed:g}×."

        self.status.setText("Speaking…")
        self._run(job, self.preview_btn)

    def _run(self, job, button: QPushButton) -> None:
        button.setEnabled(False)

        def done(message: str) -> None:
            button.setEnabled(True)
            self.status.setText(message)

        self.job = self.jobs.start(job, on_done=done, on_error=done)

    # ---------------------------------------------------------------- data folder
    def choose_data_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Move the data folder to (empty folder)")
        if not folder:
            return
        answer = QMessageBox.question(
            self, "Move the data folder",
            f"Move every recording, the history and the settings to\n{folder}?\n\nThe copy is "
            "checked before Offscript switches to it; only then is the old folder emptied.",
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.move_data_folder_to(folder)

    def move_data_folder_to(self, folder: str) -> None:
        """Move the data to ``folder`` on a worker thread; the status line says how it went."""
        from offscript.store.relocate import move_data_folder

        store = self.services.store

        def job(progress, cancel):
            return move_data_folder(store, folder, progress, cancel)

        def progress(done: float, total: float) -> None:
            self.move_progress.setValue(int(1000 * done / max(total, 1.0)))

        def finished(result) -> None:
            self._moving(False)
            self.data_path.setText(str(result.target))
            self.status.setText(result.summary())

        def failed(message: str = "") -> None:
            self._moving(False)
            self.status.setText(message or "Moving the data folder was cancelled: nothing moved.")

        self._moving(True)
        self.status.setText(f"Copying the data folder to {folder}…")
        self.move_job = self.jobs.start(
            job, on_done=finished, on_error=failed, on_progress=progress, on_cancelled=failed
        )

    def _moving(self, busy: bool) -> None:
        self.move_progress.setVisible(busy)
        self.move_progress.setValue(0)
        for w in (self.move_btn, self.buttons.button(QDialogButtonBox.StandardButton.Save)):
            w.setEnabled(not busy)

    def done(self, result: int) -> None:
        if self.move_job is not None and not self.move_job.done:
            self.move_job.cancel()  # stops before the switch; the old folder stays in use
        if self.job is not None and not self.job.done:
            self.job.cancel()
            self.services.speaker.stop()
        super().done(result)

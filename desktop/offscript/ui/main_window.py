"""The practice window: ask a question, record the answer, show how it sounded."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from offscript.audio.level import LevelMeter
from offscript.errors import UserFacingError
from offscript.ui.level_meter import LevelMeterWidget
from offscript.ui.results_view import ResultsView
from offscript.ui.services import AppServices
from offscript.ui.workers import JobRunner


class MainWindow(QMainWindow):
    """States: ``loading`` → ``idle`` ⇄ ``speaking`` → ``recording`` → ``analysing`` → ``idle``."""

    state_changed = Signal(str)
    analysis_ready = Signal(dict)
    _mic_failed = Signal(str)

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.jobs = JobRunner(self)
        self.state = "loading"
        self.models_ready = False
        self.question_index = 0
        self.session_id: int | None = None
        self.question_row_id: int | None = None
        self._mic = None
        self._writer = None
        self._take_id: int | None = None
        self._meter: LevelMeter | None = None
        self._record_started = 0.0
        self._speech_job = None
        self.setWindowTitle("Offscript – interview practice")
        self.resize(980, 720)
        self._build()
        self._mic_failed.connect(self._on_mic_failed)
        self._tick = QTimer(self, interval=40)
        self._tick.timeout.connect(self._on_tick)
        self._show_question()
        self._set_state("loading")

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        root = QWidget(self)
        layout = QVBoxLayout(root)
        layout.setContentsMargins(24, 20, 24, 20)
        self.stage_label = QLabel()
        self.stage_label.setStyleSheet("color: palette(mid); text-transform: uppercase;")
        self.question_label = QLabel()
        self.question_label.setObjectName("question")
        self.question_label.setWordWrap(True)
        font = QFont(self.question_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.question_label.setFont(font)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.stage_label)
        layout.addWidget(self.question_label)

        buttons = QHBoxLayout()
        self.ask_btn = QPushButton("Ask me (A)")
        self.record_btn = QPushButton("Record answer (Space)")
        self.next_btn = QPushButton("Next question (N)")
        for b in (self.ask_btn, self.record_btn, self.next_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.elapsed_label = QLabel("0:00")
        buttons.addWidget(self.elapsed_label)
        layout.addLayout(buttons)
        self.ask_btn.clicked.connect(self.ask_question)
        self.record_btn.clicked.connect(self.toggle_recording)
        self.next_btn.clicked.connect(self.next_question)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle_recording)
        QShortcut(QKeySequence(Qt.Key.Key_A), self, self.ask_question)
        QShortcut(QKeySequence(Qt.Key.Key_N), self, self.next_question)

        self.meter = LevelMeterWidget()
        layout.addWidget(self.meter)
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.results = ResultsView()
        layout.addWidget(self.results, 1)
        self.setCentralWidget(root)
        menu = self.menuBar().addMenu("&Questions")
        menu.addAction("&Import question bank…", self._choose_bank_file)

    def _choose_bank_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Import question bank", "", "Question banks (*.toml)"
        )
        if path:
            self.import_bank_file(path)

    def import_bank_file(self, path: str) -> bool:
        """Validate and add a user's bank; a bad file changes nothing and says what is wrong."""
        from offscript.content import import_bank, load_bank
        from offscript.paths import data_dir

        try:
            stored = import_bank(path, data_dir())
            bank = load_bank(stored, user=True)
        except UserFacingError as exc:
            self.status_label.setText(f"Bank not imported: {exc}")
            return False
        n = len(bank.questions)
        self.status_label.setText(
            f"Imported “{bank.title}” ({n} question{'' if n == 1 else 's'}); "
            "it is available in new sessions."
        )
        return True

    # ---------------------------------------------------------------- state
    def _set_state(self, state: str, message: str | None = None) -> None:
        self.state = state
        ready = self.models_ready
        self.ask_btn.setEnabled(state == "idle" and ready)
        self.next_btn.setEnabled(state in ("idle", "loading"))
        self.record_btn.setEnabled(
            state == "recording" or (state in ("idle", "speaking") and ready)
        )
        self.record_btn.setText("Stop (Space)" if state == "recording" else "Record answer (Space)")
        default = {
            "loading": "Loading the speech models… you can read the question meanwhile.",
            "idle": "Ready. Press A to hear the question, or Space to answer straight away.",
            "speaking": "The interviewer is asking…",
            "recording": "Recording: answer out loud, press Space when you are done.",
            "analysing": "Listening back to your answer…",
        }[state]
        self.status_label.setText(message or default)
        self.state_changed.emit(state)

    def current_question(self):
        return self.services.questions[self.question_index % len(self.services.questions)]

    def _show_question(self) -> None:
        q = self.current_question()
        self.stage_label.setText(q.stage.replace("_", " "))
        self.question_label.setText(q.display_text)
        self.question_row_id = None

    def models_loaded(self) -> None:
        self.models_ready = True
        if self.state == "loading":
            self._set_state("idle")

    def models_failed(self, message: str) -> None:
        self._set_state("loading", f"Could not load the speech models: {message}")
        QMessageBox.warning(self, "Offscript", message)

    # ---------------------------------------------------------------- actions
    def next_question(self) -> None:
        if self.state not in ("idle", "loading"):
            return
        self.question_index += 1
        self.results.clear()
        self._show_question()

    def ask_question(self) -> None:
        if self.state != "idle" or not self.models_ready:
            return
        text, voice, speaker = (
            self.current_question().text,
            self.services.voice,
            self.services.speaker,
        )
        speed = self.services.speed

        def speak(progress, cancel):
            speaker.play(voice.synthesize(text, speed, cancel), voice.samplerate, cancel)

        self._set_state("speaking")
        self._speech_job = self.jobs.start(
            speak,
            on_done=lambda _r: self._after_speaking(),
            on_error=self._on_job_error,
            on_cancelled=lambda: None,
        )

    def _after_speaking(self) -> None:
        if self.state == "speaking":
            self.start_recording()

    def toggle_recording(self) -> None:
        if self.state == "recording":
            self.stop_recording()
        elif self.state in ("idle", "speaking") and self.models_ready:
            if self._speech_job is not None and not self._speech_job.done:
                self._speech_job.cancel()
                self.services.speaker.stop()
            self.start_recording()

    def _ensure_question_row(self) -> int:
        store = self.services.store
        if self.session_id is None:
            self.session_id = store.create_session("practice", self.services.model_name)
        if self.question_row_id is None:
            q = self.current_question()
            self.question_row_id = store.add_question(
                self.session_id, q.id, q.bank_id, q.text, self.question_index
            )
        return self.question_row_id

    def start_recording(self) -> None:
        try:
            mic = self.services.open_microphone(lambda exc: self._mic_failed.emit(str(exc)))
            take_id, writer = self.services.store.start_take(
                self._ensure_question_row(), mic.samplerate, mic.channels
            )
        except UserFacingError as exc:
            self._set_state("idle", str(exc))
            return
        self._mic, self._writer, self._take_id = mic, writer, take_id
        self._meter = LevelMeter(mic.samplerate)
        meter = self._meter

        def on_block(block):
            writer.write(block)
            meter.update(block)

        try:
            mic.start(on_block)
        except UserFacingError as exc:
            self.services.store.fail_take(take_id, str(exc), writer)
            self._mic = self._writer = self._take_id = None
            self._set_state("idle", str(exc))
            return
        self.results.clear()
        self._record_started = time.monotonic()
        self._tick.start()
        self._set_state("recording")

    def _finish_take(self):
        """Stop the microphone and store what was recorded; returns the TakeRecord or None."""
        self._tick.stop()
        mic, writer, take_id = self._mic, self._writer, self._take_id
        self._mic = self._writer = self._take_id = None
        if mic is None:
            return None
        mic.stop()
        self.meter.set_level(0, 0)
        return self.services.store.finish_take(take_id, writer)

    def stop_recording(self) -> None:
        if self.state != "recording":
            return
        try:
            take = self._finish_take()
        except UserFacingError as exc:
            self._set_state("idle", str(exc))
            return
        if take is None or take.status != "complete":
            self._set_state("idle", "Nothing was recorded: check the microphone and try again.")
            return
        self._analyse(take)

    def _analyse(self, take) -> None:
        store, transcriber = self.services.store, self.services.transcriber
        path = store.audio_file(take)
        question = self.current_question()

        def job(progress, cancel):
            from offscript.audio.audio_files import load_audio
            from offscript.pipeline import add_question_context, analyse_samples
            from offscript.speech.asr import SAMPLE_RATE

            audio = load_audio(path, target_sr=SAMPLE_RATE)
            result = analyse_samples(
                audio.samples, transcriber, source=str(path), progress=progress, cancel=cancel
            ).to_json()
            add_question_context(result, question)
            store.save_analysis(take.id, result, transcriber.name)
            return result

        self._set_state("analysing")
        self.jobs.start(
            job,
            on_done=self._on_analysis,
            on_error=self._on_job_error,
            on_progress=self._on_progress,
        )

    def _on_progress(self, done: float, total: float) -> None:
        if total > 0:
            self.status_label.setText(f"Transcribing your answer… {100 * done / total:.0f}%")

    def _on_analysis(self, data: dict) -> None:
        self.results.show_analysis(data)
        self._set_state("idle", "Here is how that sounded. Press N for the next question.")
        self.analysis_ready.emit(data)

    def _on_job_error(self, message: str) -> None:
        self._set_state("idle", message)

    def _on_mic_failed(self, message: str) -> None:
        if self.state == "recording":
            try:
                self._finish_take()
            except UserFacingError as exc:  # the raw audio stays in incoming/ for recovery
                message = f"{message} Saving failed too ({exc}); it is recovered at next start."
            else:
                message = f"{message} What was recorded so far is kept."
            self._set_state("idle", message)

    def _on_tick(self) -> None:
        secs = int(time.monotonic() - self._record_started)
        self.elapsed_label.setText(f"{secs // 60}:{secs % 60:02d}")
        if self._meter is not None:
            self.meter.set_level(self._meter.level, self._meter.peak, self._meter.clipping)

    def closeEvent(self, event) -> None:
        """Closing mid-answer keeps the recording; background jobs are stopped."""
        if self.state == "recording":
            try:
                self._finish_take()
            except UserFacingError as exc:  # the raw audio stays in incoming/ for recovery
                note = f"{exc}\nThe take will be recovered at next start."
                QMessageBox.warning(self, "Offscript", note)
        self.services.speaker.stop()
        self.jobs.cancel_all()
        self.jobs.wait(10_000)
        if self.session_id is not None:
            self.services.store.end_session(self.session_id)
        super().closeEvent(event)

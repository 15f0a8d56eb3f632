"""The interview: the interviewer asks, the candidate answers, feedback follows.

States: ``loading`` → ``idle`` ⇄ ``speaking`` → ``recording`` (⇄ ``paused``) → ``analysing``
→ ``idle``.  Keyboard: A ask, Space answer/stop, R retry, S skip, Q repeat the question,
P pause, F answer the follow-up, Esc end the session.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from offscript.errors import UserFacingError
from offscript.speech.interviewer import InterviewerSpeech
from offscript.ui.level_meter import LevelMeterWidget
from offscript.ui.recording import AnswerRecorder
from offscript.ui.results_view import ResultsView
from offscript.ui.services import AppServices
from offscript.ui.workers import JobRunner

_STATUS = {
    "loading": "Loading the speech models… you can read the question meanwhile.",
    "idle": "Ready. Press A to hear the question, or Space to answer straight away.",
    "speaking": "The interviewer is asking… (Space to start answering now)",
    "recording": "Recording: answer out loud, press Space when you are done.",
    "paused": "Paused: press P to go on answering.",
    "analysing": "Listening back to your answer…",
    "done": "That was the last question. Press Esc to finish the session.",
}


class InterviewPage(QWidget):
    state_changed = Signal(str)
    analysis_ready = Signal(dict)
    session_ended = Signal()

    def __init__(self, services: AppServices, jobs: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.jobs = jobs
        self.state = "loading"
        self.models_ready = False
        self.question_index = 0
        self.session_id: int | None = None
        self.question_row_id: int | None = None
        self.time_limit_s = 0
        self.follow_up: str | None = None
        self._asking_follow_up = False
        self._speech_job = None
        self._interviewer: InterviewerSpeech | None = None
        self.recorder = AnswerRecorder(services, self)
        self.recorder.failed.connect(self._on_mic_failed)
        self.recorder.caption.connect(self.show_caption)
        self._build()
        self._tick = QTimer(self, interval=100)
        self._tick.timeout.connect(self._on_tick)

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        self.progress_label = QLabel()
        self.stage_label = QLabel()
        self.stage_label.setStyleSheet("color: palette(mid);")
        top = QHBoxLayout()
        top.addWidget(self.stage_label)
        top.addStretch(1)
        top.addWidget(self.progress_label)
        layout.addLayout(top)
        self.question_label = QLabel()
        self.question_label.setObjectName("question")
        self.question_label.setWordWrap(True)
        font = QFont(self.question_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.question_label.setFont(font)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.question_label)

        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        k = Qt.Key
        controls = [
            ("ask", "Ask (A)", k.Key_A, self.ask_question),
            ("record", "Answer (Space)", k.Key_Space, self.toggle_recording),
            ("retry", "Retry (R)", k.Key_R, self.retry),
            ("skip", "Skip (S)", k.Key_S, self.next_question),
            ("repeat", "Repeat question (Q)", k.Key_Q, self.repeat_question),
            ("pause", "Pause (P)", k.Key_P, self.toggle_pause),
            ("follow_up", "Answer follow-up (F)", k.Key_F, self.ask_follow_up),
            ("end", "End session (Esc)", k.Key_Escape, self.end_session),
        ]
        for name, label, key, slot in controls:
            btn = QPushButton(label)
            btn.clicked.connect(slot)
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must reach the shortcut
            row.addWidget(btn)
            self.buttons[name] = btn
            QShortcut(QKeySequence(key), self, slot)
        row.addStretch(1)
        self.time_label = QLabel("0:00")
        self.time_label.setObjectName("time")
        row.addWidget(self.time_label)
        layout.addLayout(row)
        # compatibility names used by tests and the review hooks
        self.record_btn, self.ask_btn, self.next_btn = (
            self.buttons["record"],
            self.buttons["ask"],
            self.buttons["skip"],
        )
        self.meter = LevelMeterWidget()
        layout.addWidget(self.meter)
        self.caption_label = QLabel()
        self.caption_label.setObjectName("captions")
        self.caption_label.setWordWrap(True)
        self.caption_label.setStyleSheet("font-size: 17px; color: palette(text);")
        layout.addWidget(self.caption_label)
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.results = ResultsView()
        layout.addWidget(self.results, 1)
        layout.addStretch(0)  # takes the space while the results are hidden, none otherwise

    # ---------------------------------------------------------------- state
    def _set_state(self, state: str, message: str | None = None) -> None:
        self.state = state
        ready, b = self.models_ready, self.buttons
        idle_like = state in ("idle", "done")
        b["ask"].setEnabled(state == "idle" and ready)
        b["record"].setEnabled(
            state in ("recording", "paused") or (state in ("idle", "speaking") and ready)
        )
        b["record"].setText(
            "Stop (Space)" if state in ("recording", "paused") else "Answer (Space)"
        )
        b["retry"].setEnabled(state == "idle" and ready and self.results.analysis is not None)
        b["skip"].setEnabled(state in ("idle", "loading"))
        b["repeat"].setEnabled(state == "idle" and ready)
        b["pause"].setEnabled(state in ("recording", "paused"))
        b["pause"].setText("Resume (P)" if state == "paused" else "Pause (P)")
        b["follow_up"].setEnabled(idle_like and ready and bool(self.follow_up))
        self.status_label.setText(message or _STATUS[state])
        self._show_results_when_there_are_some()
        self.state_changed.emit(state)

    def _show_results_when_there_are_some(self) -> None:
        """The feedback panels take the page only once there is feedback: while the candidate
        answers, the captions have the space (an empty dashboard of dashes distracts).  Every
        way into an answer clears the results first, so "no analysis" covers answering."""
        self.results.setVisible(self.results.analysis is not None)

    def start_session(self, questions: list, time_limit_s: int = 0) -> None:
        self.services.questions = list(questions)
        self.time_limit_s = time_limit_s
        self.question_index = 0
        self.session_id = None
        self._show_question()
        self._set_state("idle" if self.models_ready else "loading")

    def current_question(self):
        return self.services.questions[self.question_index % len(self.services.questions)]

    def _show_question(self) -> None:
        q = self.current_question()
        self.stage_label.setText(q.stage.replace("_", " ").capitalize())
        self.progress_label.setText(
            f"Question {self.question_index + 1} of {len(self.services.questions)}"
        )
        self.question_label.setText(q.display_text)
        self.question_row_id = None
        self.follow_up = None
        self._asking_follow_up = False
        self.results.clear()
        self.caption_label.clear()
        self._presynthesize_ahead()

    def _presynthesize_ahead(self) -> None:
        """This question and the next, so that asking either starts at once."""
        questions = self.services.questions
        for i in range(self.question_index, min(self.question_index + 2, len(questions))):
            self._presynthesize(questions[i].text)

    def models_loaded(self) -> None:
        self.models_ready = True
        # The acknowledgements first: they cover the wait whenever a question is not ready.
        speech, speed = self.interviewer_speech(), self.services.speed
        self.jobs.start(lambda p, c: speech.presynthesize_lead_ins(speed), on_error=lambda _m: None)
        if self.services.questions:  # the first question then starts at once too
            self._presynthesize_ahead()
        if self.state == "loading":
            self._set_state("idle")

    def models_failed(self, message: str) -> None:
        self._set_state("loading", f"Could not load the speech models: {message}")

    # ---------------------------------------------------------------- speaking
    def interviewer_speech(self) -> InterviewerSpeech:
        """The interviewer's speech for the current voice (which Settings may change)."""
        if self._interviewer is None or self._interviewer.voice is not self.services.voice:
            self._interviewer = InterviewerSpeech(self.services.voice)
        return self._interviewer

    def _speak(self, text: str, *, follow_up: bool = False) -> None:
        speech, speaker = self.interviewer_speech(), self.services.speaker
        speed, samplerate = self.services.speed, speech.voice.samplerate

        def speak(progress, cancel):
            speaker.play(speech.chunks(text, speed, cancel, follow_up=follow_up), samplerate,
                         cancel)

        self._set_state("speaking")
        self._speech_job = self.jobs.start(
            speak, on_done=lambda _r: self._after_speaking(), on_error=self._on_job_error,
            on_cancelled=lambda: None)  # fmt: skip

    def _presynthesize(self, text: str) -> None:
        pre = getattr(self.services.voice, "presynthesize", None)
        if pre is not None and self.models_ready:
            speed = self.services.speed
            self.jobs.start(lambda p, c: pre(text, speed), on_error=lambda _m: None)

    def ask_question(self) -> None:
        if self.state == "idle" and self.models_ready:
            self._speak(self.current_question().text)

    def repeat_question(self) -> None:
        self.ask_question()

    def ask_follow_up(self) -> None:
        if self.state in ("idle", "done") and self.models_ready and self.follow_up:
            self._asking_follow_up = True
            self.question_row_id = None
            self.question_label.setText(self.follow_up)
            self.stage_label.setText("Follow-up")
            self.results.clear()
            self._speak(self.follow_up, follow_up=True)

    def _after_speaking(self) -> None:
        if self.state == "speaking":
            self.start_recording()

    # ---------------------------------------------------------------- answering
    def toggle_recording(self) -> None:
        if self.state in ("recording", "paused"):
            self.stop_recording()
        elif self.state in ("idle", "speaking") and self.models_ready:
            if self._speech_job is not None and not self._speech_job.done:
                self._speech_job.cancel()
                self.services.speaker.stop()
            self.start_recording()

    def toggle_pause(self) -> None:
        if self.state == "recording":
            self.recorder.paused = True
            self._set_state("paused")
        elif self.state == "paused":
            self.recorder.paused = False
            self._set_state("recording")

    def _ensure_question_row(self) -> int:
        store = self.services.store
        if self.session_id is None:
            self.session_id = store.create_session(
                self.services.settings.loop_id, self.services.model_name
            )
        if self.question_row_id is None:
            q = self.current_question()
            qid, text = q.id, q.text
            if self._asking_follow_up:
                qid, text = f"{q.id}#follow-up", self.follow_up or ""
            self.question_row_id = store.add_question(
                self.session_id, qid, q.bank_id, text, self.question_index
            )
        return self.question_row_id

    def start_recording(self) -> None:
        try:
            self.recorder.start(self._ensure_question_row())
        except UserFacingError as exc:
            self._set_state("idle", str(exc))
            return
        self.results.clear()
        self.caption_label.clear()
        self._tick.start()
        self._set_state("recording")
        self._on_tick()  # 0:00 and the limit at once, not the last answer's time

    def stop_recording(self) -> None:
        if self.state not in ("recording", "paused"):
            return
        self._tick.stop()
        self.meter.set_level(0, 0)
        pending = self.recorder.stop()  # the take is stored on the worker, then analysed
        if pending is None:
            self._set_state("idle", "Nothing was recorded: check the microphone and try again.")
            return
        self._set_state("analysing")
        question = self.current_question()
        self.recorder.analyse(pending, question, self._on_analysis, self._on_job_error,
                              self._on_progress)  # fmt: skip

    def retry(self) -> None:
        if self.state == "idle" and self.results.analysis is not None:
            self.results.clear()
            self.start_recording()

    def next_question(self) -> None:
        if self.state not in ("idle", "loading", "done"):
            return
        if self.question_index + 1 >= len(self.services.questions):
            self._set_state("done")
            return
        self.question_index += 1
        self._show_question()
        self._set_state("idle" if self.models_ready else "loading")

    def end_session(self) -> None:
        if self.state in ("recording", "paused"):
            self.stop_recording()
        self.close_session()
        self.session_ended.emit()

    def close_session(self) -> None:
        """Keep what was recorded, stop speech, end the session row."""
        if self.state in ("recording", "paused"):
            self._tick.stop()
            try:
                self.recorder.finish()
            except UserFacingError as exc:
                self.status_label.setText(f"{exc} The take is recovered at next start.")
        self.services.speaker.stop()
        if self.session_id is not None:
            self.services.store.end_session(self.session_id)
            self.session_id = None

    # ---------------------------------------------------------------- feedback
    def _on_progress(self, done: float, total: float) -> None:
        if total > 0 and self.state == "analysing":
            self.status_label.setText(f"Transcribing your answer… {100 * done / total:.0f}%")

    def _on_analysis(self, data: dict, earlier: list[dict] | None = None) -> None:
        self.results.earlier = earlier or []
        self.results.show_analysis(data)
        self.follow_up = None if self._asking_follow_up else data.get("follow_up")
        if self.follow_up:  # synthesised while the candidate reads the feedback
            self._presynthesize(self.follow_up)
        last = self.question_index + 1 >= len(self.services.questions)
        hint = "F for the follow-up, " if self.follow_up else ""
        hint += "Esc to finish." if last else "S for the next question."
        self._set_state("idle", f"Here is how that sounded. R to try again, {hint}")
        self.analysis_ready.emit(data)

    def _on_job_error(self, message: str) -> None:
        self._set_state("idle", message)

    def _on_mic_failed(self, message: str) -> None:
        if self.state in ("recording", "paused"):
            self._tick.stop()
            try:
                self.recorder.finish()
            except UserFacingError as exc:
                message = f"{message} Saving failed too ({exc}); it is recovered at next start."
            else:
                message = f"{message} What was recorded so far is kept."
            self._set_state("idle", message)

    def show_caption(self, text: str) -> None:
        if self.state in ("recording", "paused", "analysing"):
            self.caption_label.setText(text[-400:])  # the latest words; the full text follows

    def answer_limit_s(self) -> int:
        """The time allowed for this answer: the session's limit, else the question's own
        (0: none)."""
        if self.time_limit_s:
            return self.time_limit_s
        if not self.services.questions:
            return 0
        return int(getattr(self.current_question(), "time_limit_s", 0) or 0)

    def _on_tick(self) -> None:
        secs = self.recorder.elapsed_s()
        limit = self.answer_limit_s()
        if limit:
            left = max(0, limit - int(secs))
            self.time_label.setText(
                f"{int(secs) // 60}:{int(secs) % 60:02d} · {left // 60}:{left % 60:02d} left"
            )
            if secs >= limit and self.state == "recording":
                self.stop_recording()
                return
        else:
            self.time_label.setText(f"{int(secs) // 60}:{int(secs) % 60:02d}")
        m = self.recorder.meter
        if m is not None:
            self.meter.set_level(m.level, m.peak, m.clipping)

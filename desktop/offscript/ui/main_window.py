"""The main window: the home page and the interview page in a stack, plus menus."""

from __future__ import annotations

import random

from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget

from offscript.errors import UserFacingError
from offscript.settings import Settings, save_settings
from offscript.ui.home_page import HomePage
from offscript.ui.interview_page import InterviewPage
from offscript.ui.progress_page import ProgressNavigator
from offscript.ui.review_menu import ReviewNavigator
from offscript.ui.services import AppServices
from offscript.ui.workers import JobRunner


class MainWindow(QMainWindow):
    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.jobs = JobRunner(self)
        self.setWindowTitle("Offscript – interview practice")
        self.resize(1024, 740)
        self.stack = QStackedWidget(self)
        self.home = HomePage(services)
        self.interview = InterviewPage(services, self.jobs)
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.interview)
        self.setCentralWidget(self.stack)
        self.home.start_requested.connect(self.start_session)
        self.interview.session_ended.connect(self.show_home)
        menu = self.menuBar().addMenu("&Questions")
        menu.addAction("&Import question bank…", self._choose_bank_file)
        menu.addAction("&My script for this question…", self.edit_script)
        self.review_nav = ReviewNavigator(self)  # Review menu: history, playback, settings
        self.progress_nav = ProgressNavigator(self)  # Progress menu: charts, Export report…
        self._initial_questions = list(services.questions)

    # ---------------------------------------------------------------- models
    def warm_up(self) -> None:
        """Load the models in the background (the window is already visible)."""
        self.interview.models_ready = False
        self.jobs.start(lambda p, c: self.services.warm_up(),
                        on_done=lambda _r: self.interview.models_loaded(),
                        on_error=self.interview.models_failed)  # fmt: skip

    def models_loaded(self) -> None:
        self.interview.models_loaded()

    # ---------------------------------------------------------------- pages
    def plan_questions(self, settings: Settings) -> list:
        catalog = self.services.catalog
        if settings.loop_id and catalog is not None:
            from offscript.content import pick_questions

            questions = pick_questions(catalog, settings.loop_id, random.Random())
        else:
            questions = self._initial_questions
        return list(questions[: settings.question_count]) or list(self._initial_questions[:1])

    def start_session(self, settings: Settings) -> None:
        self.services.settings = settings
        self.services.speed = settings.speed
        try:
            save_settings(settings)
        except (OSError, UserFacingError) as exc:
            self.statusBar().showMessage(f"Settings not saved: {exc}", 8000)
        if settings.model != self.services.model_name and self.services.make_transcriber:
            try:
                self.services.transcriber = self.services.make_transcriber(settings.model)
            except UserFacingError as exc:
                QMessageBox.warning(self, "Offscript", str(exc))
                return
            self.services.model_name = settings.model
            self.warm_up()
        if not self._use_voice(settings.voice):
            return
        self.interview.start_session(self.plan_questions(settings), settings.time_limit_s)
        self.stack.setCurrentWidget(self.interview)

    def _use_voice(self, choice: str) -> bool:
        """Switch the interviewer to the chosen voice ("" = the catalogue default) when it is not
        the one speaking; False (and a message) when it cannot be used."""
        if self.services.make_voice is None:
            return True
        from offscript.speech.voices import voice_id

        try:
            wanted = voice_id(choice)
            if wanted != getattr(self.services.voice, "id", None):
                self.services.voice = self.services.make_voice(choice or wanted)
        except (UserFacingError, OSError, ValueError) as exc:
            QMessageBox.warning(self, "Offscript", f"That voice cannot be used: {exc}")
            return False
        return True

    def show_home(self) -> None:
        self.home.refresh()
        self.stack.setCurrentWidget(self.home)

    # ---------------------------------------------------------------- banks
    def _choose_bank_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Import question bank", "", "Question banks (*.toml)"
        )
        if path:
            self.import_bank_file(path)

    def import_bank_file(self, path: str) -> bool:
        """Validate and add a user's bank; a bad file changes nothing and says what is wrong."""
        from offscript.content import import_bank, load_all_banks, load_bank
        from offscript.paths import data_dir

        try:
            stored = import_bank(path, data_dir())
            bank = load_bank(stored, user=True)
        except UserFacingError as exc:
            self.statusBar().showMessage(f"Bank not imported: {exc}")
            return False
        if self.services.catalog is not None:
            self.services.catalog = load_all_banks()
            self.home.refresh()
        n = len(bank.questions)
        self.statusBar().showMessage(
            f"Imported “{bank.title}” ({n} question{'' if n == 1 else 's'})."
        )
        return True

    def edit_script(self) -> None:
        """Paste a prepared answer: spoken answers that follow it too closely are flagged."""
        from PySide6.QtWidgets import QInputDialog

        question = self.interview.current_question() if self.services.questions else None
        if question is None:
            return
        current = self.services.store.script_for(question.id) or ""
        text, ok = QInputDialog.getMultiLineText(
            self, "My script", f"Your prepared answer to:\n{question.text}", current
        )
        if ok:
            self.services.store.set_script(question.id, text)

    def closeEvent(self, event) -> None:
        """Closing mid-answer keeps the recording; background jobs are stopped."""
        self.interview.close_session()
        self.jobs.cancel_all()
        self.jobs.wait(10_000)
        super().closeEvent(event)

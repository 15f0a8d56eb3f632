"""The Review menu: History, a take's playback, takes compared, settings and the first-run check.

The pages are built on first use and added to the main window's stack.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence


class ReviewNavigator(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.history = self.review = self.compare = None
        menu = window.menuBar().addMenu("&Review")
        menu.addAction("&History…", QKeySequence("Ctrl+H"), self.show_history)
        menu.addAction("&Settings…", QKeySequence("Ctrl+,"), self.show_settings)
        menu.addAction("&Check microphone and models…", self.show_first_run)
        self.menu = menu

    def _add(self, page):
        self.window.stack.addWidget(page)
        return page

    def show_history(self) -> None:
        from offscript.ui.history_page import HistoryPage

        if self.history is None:
            self.history = self._add(HistoryPage(self.window.services, self.window.jobs))
            self.history.back_requested.connect(self.window.show_home)
            self.history.review_requested.connect(self.show_take)
            self.history.compare_requested.connect(self.show_compare)
        else:
            self.history.refresh()
        self.window.stack.setCurrentWidget(self.history)

    def show_take(self, take_id: int) -> None:
        from offscript.ui.review_page import ReviewPage

        if self.review is None:
            self.review = self._add(ReviewPage(self.window.services, self.window.jobs))
            self.review.back_requested.connect(self.show_history)
        self.review.load_take(take_id)
        self.window.stack.setCurrentWidget(self.review)
        self.review.transcript.setFocus()

    def show_compare(self, question_id: str) -> None:
        from offscript.ui.compare_view import ComparePage

        if self.compare is None:
            self.compare = self._add(ComparePage(self.window.services))
            self.compare.back_requested.connect(self.show_history)
        self.compare.show_question(question_id)
        self.window.stack.setCurrentWidget(self.compare)

    def show_settings(self) -> None:
        try:
            from offscript.ui.settings_dialog import SettingsDialog
        except ImportError:
            return
        SettingsDialog(self.window.services, self.window.jobs, self.window).exec()

    def show_first_run(self) -> None:
        try:
            from offscript.ui.first_run import FirstRunDialog
        except ImportError:
            return
        FirstRunDialog(self.window.services, self.window.jobs, self.window).exec()

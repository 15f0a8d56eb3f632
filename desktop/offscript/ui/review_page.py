"""Review one take: play it at 0.75–2× (same pitch), follow the transcript word by word,
click a word or the waveform to go there.

Keys: Space play/pause, ←/→ 5 s back/forward, [ and ] previous/next word.
"""

from __future__ import annotations

import bisect

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QMouseEvent, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from offscript.audio.time_stretch import SPEEDS
from offscript.ui.playback_controller import PlaybackController
from offscript.ui.services import AppServices
from offscript.ui.waveform import WaveformView
from offscript.ui.workers import JobRunner

SKIP_S = 5.0
_KIND_BG = {"filled_pause": "#f6c344", "lexical_filler": "#8ecae6"}


def timed_words(analysis: dict | None) -> list[dict]:
    """The analysis words that have timings, in order."""
    words = (analysis or {}).get("words", [])
    return [w for w in words if w.get("start") is not None and w.get("end") is not None]


def word_at(starts: list[float], position_s: float) -> int:
    """Index of the word being spoken at ``position_s`` (the last one started), or -1."""
    return bisect.bisect_right(starts, position_s + 1e-6) - 1


class TranscriptView(QTextEdit):
    """The transcript, one span per word; the current word highlighted; click a word to seek."""

    word_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.spans: list[tuple[int, int]] = []  # character range of each word
        self.current = -1

    def set_words(self, words: list[dict]) -> None:
        self.clear()
        self.spans = []
        cursor = QTextCursor(self.document())
        for i, w in enumerate(words):
            if i:
                cursor.insertText(" ", QTextCharFormat())
            fmt = QTextCharFormat()
            if w.get("kind") in _KIND_BG:
                fmt.setBackground(QColor(_KIND_BG[w["kind"]]))
                fmt.setForeground(QColor("#000"))
            start = cursor.position()
            cursor.insertText(w["text"], fmt)
            self.spans.append((start, cursor.position()))
        self.current = -1
        self.setExtraSelections([])

    def highlight(self, index: int) -> None:
        if index == self.current:
            return
        self.current = index
        if not 0 <= index < len(self.spans):
            self.setExtraSelections([])
            return
        sel = QTextEdit.ExtraSelection()
        sel.cursor = QTextCursor(self.document())
        sel.cursor.setPosition(self.spans[index][0])
        sel.cursor.setPosition(self.spans[index][1], QTextCursor.MoveMode.KeepAnchor)
        sel.format.setBackground(self.palette().highlight())
        sel.format.setForeground(self.palette().highlightedText())
        self.setExtraSelections([sel])
        self._scroll_to(sel.cursor)

    def _scroll_to(self, cursor: QTextCursor) -> None:
        rect = self.cursorRect(cursor)
        if not self.viewport().rect().contains(rect):
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)

    def word_rect_center(self, index: int):
        """Viewport point in the middle of word ``index`` (for tests and tooltips)."""
        c = QTextCursor(self.document())
        a, b = self.spans[index]
        c.setPosition((a + b) // 2)
        return self.cursorRect(c).center()

    def index_at_char(self, pos: int) -> int:
        starts = [a for a, _ in self.spans]
        i = bisect.bisect_right(starts, pos) - 1
        return i if 0 <= i < len(self.spans) and pos <= self.spans[i][1] else -1

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            i = self.index_at_char(self.cursorForPosition(event.position().toPoint()).position())
            if i >= 0:
                self.word_clicked.emit(i)


class ReviewPage(QWidget):
    back_requested = Signal()

    def __init__(self, services: AppServices, jobs: JobRunner, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.player = PlaybackController(services.speaker, jobs, parent=self)
        self.words: list[dict] = []
        self.starts: list[float] = []
        self.title = QLabel(wordWrap=True)
        self.waveform = WaveformView()
        self.transcript = TranscriptView()
        self.play_btn = QPushButton("Play (Space)")
        self.speed_box = QComboBox()
        for s in SPEEDS:
            self.speed_box.addItem(f"{s:g}×", s)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.time_label = QLabel("0:00 / 0:00")
        self.status_label = QLabel()
        back = QPushButton("← Back")
        back.clicked.connect(self._back)
        row = QHBoxLayout()
        for w in (back, self.play_btn, QLabel("Speed"), self.speed_box, self.time_label):
            row.addWidget(w)
        row.addStretch(1)
        legend = QLabel(
            "<small><span style='background:#bbb'>&nbsp;pause&nbsp;</span> "
            "<span style='background:#f6a623'>&nbsp;um/uh&nbsp;</span> "
            "<span style='background:#4aa3d8'>&nbsp;like/you know&nbsp;</span> "
            "<span style='background:#d64545;color:#fff'>&nbsp;flagged&nbsp;</span> · "
            "Space play/pause · ←/→ 5 s · [ ] previous/next word · click a word to jump</small>"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.waveform)
        layout.addWidget(legend)
        layout.addLayout(row)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.status_label)

        self.play_btn.clicked.connect(self.player.toggle)
        self.speed_box.currentIndexChanged.connect(
            lambda _i: self.player.set_speed(self.speed_box.currentData())
        )
        self.waveform.seek_requested.connect(self.player.seek)
        self.transcript.word_clicked.connect(self.seek_word)
        self.player.position_changed.connect(self._show_position)
        self.player.state_changed.connect(self._show_state)
        self.player.failed.connect(self.status_label.setText)
        for key, slot in (
            (Qt.Key.Key_Space, self.player.toggle),
            (Qt.Key.Key_Left, lambda: self.player.skip(-SKIP_S)),
            (Qt.Key.Key_Right, lambda: self.player.skip(SKIP_S)),
            (Qt.Key.Key_BracketLeft, lambda: self.step_word(-1)),
            (Qt.Key.Key_BracketRight, lambda: self.step_word(1)),
        ):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    # ---------------------------------------------------------------- loading
    def load_take(self, take_id: int) -> bool:
        """Show a stored take; False (with a message) if it has no playable audio."""
        from offscript.audio.audio_files import load_audio
        from offscript.errors import UserFacingError

        store = self.services.store
        take = store.get_take(take_id)
        path = store.audio_file(take) if take else None
        if take is None or path is None:
            self.status_label.setText(f"Take {take_id} has no recording.")
            return False
        try:
            audio = load_audio(path, target_sr=16000)
        except UserFacingError as exc:
            self.status_label.setText(str(exc))
            return False
        question = (take.analysis or {}).get("question", {}).get("text") or take.question_id
        when = take.started_at[:16].replace("T", " ")
        self.show_audio(audio.samples, audio.samplerate, take.analysis, f"{question} — {when}")
        return True

    def show_audio(self, samples: np.ndarray, sr: int, analysis: dict | None, title: str) -> None:
        self.title.setText(f"<b>{title}</b>")
        self.words = timed_words(analysis)
        self.starts = [float(w["start"]) for w in self.words]
        self.transcript.set_words(self.words)
        self.waveform.set_take(samples, sr, analysis)
        self.player.load(samples, sr)
        self.status_label.setText("" if self.words else "No timed transcript for this take.")

    # ---------------------------------------------------------------- navigation
    def current_word(self) -> int:
        return word_at(self.starts, self.player.position())

    def seek_word(self, index: int) -> None:
        if 0 <= index < len(self.words):
            self.player.seek(self.starts[index])

    def step_word(self, delta: int) -> None:
        if not self.words:
            return
        i = self.current_word()
        self.seek_word(min(len(self.words) - 1, max(0, (0 if i < 0 else i) + delta)))

    def _show_position(self, seconds: float) -> None:
        self.waveform.set_position(seconds)
        self.transcript.highlight(word_at(self.starts, seconds))
        d = self.player.duration_s
        self.time_label.setText(
            f"{int(seconds // 60)}:{int(seconds % 60):02d} / {int(d // 60)}:{int(d % 60):02d}"
        )

    def _show_state(self, state: str) -> None:
        self.play_btn.setText(
            {"playing": "Pause (Space)", "preparing": "Preparing…"}.get(state, "Play (Space)")
        )

    def _back(self) -> None:
        self.player.stop()
        self.back_requested.emit()

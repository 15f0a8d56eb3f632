"""Home: choose what to practise and how, see recent sessions, start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from offscript.reports.recent_summary import recent_rows, session_figures, summarise_recent
from offscript.settings import SPEEDS, Settings
from offscript.ui.model_choice import add_model_items, select_model
from offscript.ui.services import AppServices
from offscript.ui.voice_choice import fill_voice_box


class HomePage(QWidget):
    """Emits ``start_requested(Settings)`` when the candidate starts a session."""

    start_requested = Signal(object)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        title = QLabel("Practise an interview")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        outer.addWidget(title)
        subtitle = QLabel(
            "The interviewer asks, you answer out loud, Offscript tells you how it sounded. "
            "Everything stays on this computer."
        )
        subtitle.setWordWrap(True)
        outer.addWidget(subtitle)

        form = QFormLayout()
        self.loop_box = QComboBox()
        self.loop_box.setObjectName("loop")
        self.count_box = QSpinBox(minimum=1, maximum=20)
        self.limit_box = QSpinBox(minimum=0, maximum=1800, singleStep=30)
        self.limit_box.setSpecialValueText("each question's own limit")
        self.limit_box.setSuffix(" s")
        self.voice_box = QComboBox()
        self.voice_box.setObjectName("voice")
        self.speed_box = QComboBox()
        for s in SPEEDS:
            self.speed_box.addItem(f"{s:g}×", s)
        self.model_box = QComboBox()
        add_model_items(
            self.model_box, [("Fast (tiny.en)", "fast"), ("Accurate (base)", "accurate")]
        )
        self.device_box = QComboBox()
        form.addRow("Interview", self.loop_box)
        form.addRow("Questions", self.count_box)
        form.addRow("Time per answer", self.limit_box)
        form.addRow("Interviewer voice", self.voice_box)
        form.addRow("Interviewer speed", self.speed_box)
        form.addRow("Speech model", self.model_box)
        form.addRow("Microphone", self.device_box)
        outer.addLayout(form)

        row = QHBoxLayout()
        self.start_btn = QPushButton("Start interview (Enter)")
        self.start_btn.setDefault(True)
        self.start_btn.setObjectName("start")
        self.start_btn.clicked.connect(self._start)
        row.addWidget(self.start_btn)
        row.addStretch(1)
        outer.addLayout(row)

        outer.addWidget(QLabel("Recent sessions"))
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.recent, 1)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        self.progress_label.setWordWrap(True)
        outer.addWidget(self.progress_label)
        self.refresh()

    def refresh(self) -> None:
        """Fill the choices from the catalogue, devices and settings; list recent sessions."""
        s = self.services.settings
        self.loop_box.clear()
        catalog = self.services.catalog
        loops = catalog.loops() if catalog is not None else []
        self.loop_box.addItem("Quick practice (starter questions)", "")
        for loop in loops:
            minutes = f", {loop.minutes} min" if loop.minutes else ""
            self.loop_box.addItem(f"{loop.title}{minutes}", loop.id)
        self._select(self.loop_box, s.loop_id)
        self.count_box.setValue(s.question_count)
        self.limit_box.setValue(s.time_limit_s)
        fill_voice_box(self.voice_box, s.voice)
        self._select(self.speed_box, s.speed)
        select_model(self.model_box, s.model)
        self.device_box.clear()
        self.device_box.addItem("System default", "")
        for name in self.services.list_input_devices():
            self.device_box.addItem(name, name)
        self._select(self.device_box, s.input_device)
        self.recent.clear()
        sessions = self.services.store.list_sessions(limit=10)
        rows = recent_rows(self.services.store) if sessions else []
        figures = session_figures(rows)
        for rec in sessions:
            when = rec.started_at[:16].replace("T", " ")
            line = f"{when}  ·  {rec.loop_id or 'quick practice'}  ·  {rec.take_count} answers"
            if rec.id in figures:
                line += f"  ·  {figures[rec.id]}"
            self.recent.addItem(line)
        summary = summarise_recent(rows) if rows else None
        if summary is not None:
            text = summary.text()
        elif sessions:
            total = sum(r.take_count for r in sessions)
            text = f"{len(sessions)} recent session(s), {total} answers recorded."
        else:
            text = "No sessions yet: your first one starts here."
        self.progress_label.setText(text)

    @staticmethod
    def _select(box: QComboBox, value: object) -> None:
        index = box.findData(value)
        box.setCurrentIndex(max(0, index))

    def current_settings(self) -> Settings:
        return Settings(
            loop_id=self.loop_box.currentData() or "",
            question_count=self.count_box.value(),
            time_limit_s=self.limit_box.value(),
            speed=float(self.speed_box.currentData()),
            model=self.model_box.currentData(),
            voice=self.voice_box.currentData() or "",
            input_device=self.device_box.currentData() or "",
        ).validated()

    def _start(self) -> None:
        self.start_requested.emit(self.current_settings())

"""History: every take of every session, filtered and paged, with delete and re-analyse.

The table model loads :data:`PAGE` rows at a time (``canFetchMore``/``fetchMore``), so a
history of 10,000 takes opens as fast as one of 10.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from offscript.store.history import (
    SCORES,
    HistoryFilter,
    HistoryRow,
    count_takes,
    delete_session,
    query_takes,
)
from offscript.ui.model_choice import add_model_items
from offscript.ui.services import AppServices
from offscript.ui.workers import JobRunner

PAGE = 200
_Index = QModelIndex | QPersistentModelIndex


def _fmt(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


COLUMNS: tuple[tuple[str, Callable[[HistoryRow], str]], ...] = (
    ("When", lambda r: r.started_at[:16].replace("T", " ")),
    ("Session", lambda r: str(r.session_id)),
    ("Question", lambda r: r.question_text),
    ("Status", lambda r: r.status),
    ("Length", lambda r: "–" if r.duration_s is None else f"{r.duration_s:.0f} s"),
    ("wpm", lambda r: _fmt(r.wpm)),
    ("Fillers/min", lambda r: _fmt(r.fillers, 1)),
    ("Polish", lambda r: _fmt(r.polish, 2)),
    ("Rehearsed", lambda r: _fmt(r.rehearsed, 2)),
    ("Model", lambda r: r.model or "–"),
)


class HistoryModel(QAbstractTableModel):
    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.filter = HistoryFilter()
        self.rows: list[HistoryRow] = []
        self.total = 0

    def set_filter(self, f: HistoryFilter) -> None:
        self.beginResetModel()
        self.filter = f
        self.total = count_takes(self.store, f)
        self.rows = query_takes(self.store, f, PAGE, 0)
        self.endResetModel()

    def reload(self) -> None:
        self.set_filter(self.filter)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        more = query_takes(self.store, self.filter, PAGE, len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](row)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return f"{row.question_id}: {row.question_text}"
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None


def _number(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


class HistoryPage(QWidget):
    """Emits ``review_requested(take_id)`` and ``compare_requested(question_id)``."""

    review_requested = Signal(int)
    compare_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, services: AppServices, jobs: JobRunner, parent=None) -> None:
        super().__init__(parent)
        self.services, self.jobs = services, jobs
        # Replaced in tests; asks the user before anything is deleted.
        self.confirm: Callable[[str, str], bool] = self._ask
        self.model = HistoryModel(services.store, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._review())

        self.text_edit = QLineEdit(placeholderText="Question contains…")
        self.stage_box = QComboBox()
        self.since_edit = QLineEdit(placeholderText="from YYYY-MM-DD")
        self.until_edit = QLineEdit(placeholderText="to YYYY-MM-DD")
        self.score_box = QComboBox()
        self.score_box.addItem("Any score", "")
        for name, (_, label) in SCORES.items():
            self.score_box.addItem(label, name)
        self.min_edit = QLineEdit(placeholderText="min")
        self.max_edit = QLineEdit(placeholderText="max")
        for edit in (self.text_edit, self.since_edit, self.until_edit, self.min_edit,
                     self.max_edit):  # fmt: skip
            edit.returnPressed.connect(self.apply_filter)
        self.stage_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.score_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        filters = QHBoxLayout()
        for w in (self.text_edit, self.stage_box, self.since_edit, self.until_edit,
                  self.score_box, self.min_edit, self.max_edit):  # fmt: skip
            filters.addWidget(w)
        apply_btn = QPushButton("Filter")
        apply_btn.clicked.connect(self.apply_filter)
        filters.addWidget(apply_btn)

        self.model_box = QComboBox()
        add_model_items(self.model_box, [("fast", "fast"), ("accurate", "accurate")])
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, label, slot in (
            ("back", "← Back", self.back_requested.emit),
            ("review", "Play / review", self._review),
            ("compare", "Compare takes of this question", self._compare),
            ("delete_take", "Delete take…", self.delete_selected_take),
            ("delete_session", "Delete session…", self.delete_selected_session),
            ("reanalyse", "Re-analyse with", self.reanalyse_selected),
        ):
            btn = QPushButton(label)
            btn.clicked.connect(lambda _c=False, s=slot: s())
            self.buttons[key] = btn
            actions.addWidget(btn)
        actions.addWidget(self.model_box)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.status_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(actions)
        layout.addWidget(self.status_label)
        self.refresh()

    # ---------------------------------------------------------------- filters
    def _stages(self) -> dict[str, tuple[str, ...]]:
        catalog = self.services.catalog
        if catalog is None:
            return {}
        stages: dict[str, list[str]] = {}
        for q in catalog.questions():
            stages.setdefault(q.stage, []).append(q.id)
            stages[q.stage].append(f"{q.id}#follow-up")
        return {k: tuple(v) for k, v in sorted(stages.items())}

    def refresh(self) -> None:
        """Re-read stages and rows (call when the page is shown)."""
        current = self.stage_box.currentData()
        self.stage_box.blockSignals(True)
        self.stage_box.clear()
        self.stage_box.addItem("All stages", None)
        for stage, ids in self._stages().items():
            self.stage_box.addItem(stage, ids)
        idx = self.stage_box.findText(current) if isinstance(current, str) else 0
        self.stage_box.setCurrentIndex(max(0, idx))
        self.stage_box.blockSignals(False)
        self.apply_filter()

    def current_filter(self) -> HistoryFilter:
        return HistoryFilter(
            text=self.text_edit.text(),
            question_ids=self.stage_box.currentData(),
            since=self.since_edit.text().strip(),
            until=self.until_edit.text().strip(),
            score=self.score_box.currentData() or "",
            min_score=_number(self.min_edit.text()),
            max_score=_number(self.max_edit.text()),
        )

    def apply_filter(self) -> None:
        selected = self.selected_row()
        self.model.set_filter(self.current_filter())
        if selected is not None:  # keep the selection when that take is still on the page
            for i, r in enumerate(self.model.rows):
                if r.take_id == selected.take_id:
                    self.table.selectRow(i)
        n = self.model.total
        self.count_label.setText(f"{n} take{'' if n == 1 else 's'}")

    # ---------------------------------------------------------------- actions
    def selected_row(self) -> HistoryRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_take(self, take_id: int) -> bool:
        while True:
            for i, r in enumerate(self.model.rows):
                if r.take_id == take_id:
                    self.table.selectRow(i)
                    return True
            if not self.model.canFetchMore():
                return False
            self.model.fetchMore()

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _review(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.review_requested.emit(row.take_id)

    def _compare(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.compare_requested.emit(row.question_id)

    def delete_selected_take(self) -> bool:
        row = self.selected_row()
        if row is None or not self.confirm(
            "Delete take", f"Delete this take of “{row.question_text}” and its recording?"
        ):
            return False
        self.services.store.delete_take(row.take_id)
        self.status_label.setText(f"Take {row.take_id} deleted.")
        self.apply_filter()
        return True

    def delete_selected_session(self) -> bool:
        row = self.selected_row()
        if row is None or not self.confirm(
            "Delete session",
            f"Delete session {row.session_id} with all its takes and recordings?",
        ):
            return False
        delete_session(self.services.store, row.session_id)
        self.status_label.setText(f"Session {row.session_id} deleted.")
        self.apply_filter()
        return True

    def reanalyse_selected(self) -> None:
        """Analyse the selected take again with the chosen model, on a worker."""
        row = self.selected_row()
        if row is None:
            return
        model = self.model_box.currentText()
        services, take_id = self.services, row.take_id
        question = services.catalog.question(row.question_id) if services.catalog else None

        def job(progress, cancel):
            from offscript.audio.audio_files import load_audio
            from offscript.pipeline import add_question_context, analyse_samples
            from offscript.speech.asr import SAMPLE_RATE

            if model == services.model_name or services.make_transcriber is None:
                transcriber = services.transcriber
            else:
                transcriber = services.make_transcriber(model)
            take = services.store.get_take(take_id)
            path = services.store.audio_file(take) if take else None
            if path is None or not path.is_file():
                from offscript.errors import BadInputError

                raise BadInputError(f"Take {take_id} has no recording to analyse.")
            audio = load_audio(path, target_sr=SAMPLE_RATE)
            result = analyse_samples(
                audio.samples, transcriber, source=str(path), progress=progress, cancel=cancel
            ).to_json()
            if question is not None:
                add_question_context(result, question)
            services.store.save_analysis(take_id, result, transcriber.name)
            return result

        self.status_label.setText(f"Re-analysing take {take_id} with {model}…")
        self.buttons["reanalyse"].setEnabled(False)
        self.last_job = self.jobs.start(job, on_done=self._reanalysed, on_error=self._failed)

    def _reanalysed(self, _result: dict) -> None:
        self.buttons["reanalyse"].setEnabled(True)
        self.status_label.setText("Re-analysed.")
        self.model.reload()

    def _failed(self, message: str) -> None:
        self.buttons["reanalyse"].setEnabled(True)
        self.status_label.setText(f"Re-analysis failed: {message}")

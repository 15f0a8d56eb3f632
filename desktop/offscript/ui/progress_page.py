"""The Progress page: trend charts overall and per question, the best take of each question,
and Export… (PDF, HTML, CSV, JSON) written on a worker thread.

The charts are the SVG the exports embed (``reports.report_charts``), shown with QSvgWidget,
so the app and the reports always agree.  The report is built off the GUI thread too.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from offscript.reports.model import METRICS, Report, TakeFigures
from offscript.reports.progress_summary import changes, focus, format_value
from offscript.reports.report_charts import overall_charts, question_charts, short_date
from offscript.ui.services import AppServices
from offscript.ui.workers import JobRunner

EXPORT_FILTERS = {"pdf": "PDF report (*.pdf)", "html": "Web page, self-contained (*.html)",
                  "csv": "CSV, one row per take (*.csv)", "json": "JSON, all data (*.json)"}
_KIND_STYLE = {"filled_pause": "background:#f6c344;color:#000",
               "lexical_filler": "background:#8ecae6;color:#000"}  # fmt: skip
_VERDICT_COLOUR = {"better": "#1b7f3b", "worse": "#b3261e", "same": "#666"}


def segments_html(take: TakeFigures) -> str:
    """The take's transcript as Qt rich text: fillers filled, flagged words underlined red."""
    parts = []
    for s in take.transcript:
        text = escape(s.text)
        if s.kind in _KIND_STYLE:
            text = f'<span style="{_KIND_STYLE[s.kind]}">{text}</span>'
        elif s.flagged:
            text = f'<span style="color:#b3261e;text-decoration:underline">{text}</span>'
        if s.pause_after_s is not None:
            text += f' <span style="color:#888">[{s.pause_after_s:.1f}s]</span>'
        parts.append(text)
    return " ".join(parts)


def figures_text(take: TakeFigures) -> str:
    return " · ".join(f"{m.label} {format_value(m, take.value(m.key))}" for m in METRICS
                      if take.value(m.key) is not None)  # fmt: skip


def _card(html: str) -> QLabel:
    label = QLabel(html)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(8)
    return label


def _svg(svg: str) -> QSvgWidget:
    widget = QSvgWidget()
    widget.load(QByteArray(svg.encode("utf-8")))
    size = widget.renderer().defaultSize()
    widget.setFixedSize(size)
    return widget


class ProgressPage(QWidget):
    back_requested = Signal()
    report_ready = Signal()
    export_finished = Signal(str)  # the path written
    export_failed = Signal(str)

    def __init__(self, services: AppServices, jobs: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.jobs = services, jobs
        self.report: Report | None = None
        self.charts: list[QSvgWidget] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        back = QPushButton("← Back")
        back.clicked.connect(self.back_requested)
        self.scope_box = QComboBox()
        self.scope_box.setMinimumWidth(420)
        self.scope_box.currentIndexChanged.connect(self._show_scope)
        self.export_btn = QPushButton("Export…")
        self.export_btn.clicked.connect(self.choose_export)
        bar.addWidget(back)
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.scope_box, 1)
        bar.addWidget(self.export_btn)
        layout.addLayout(bar)
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        layout.addWidget(self.scroll, 1)
        self.refresh()

    # ---------------------------------------------------------------- data
    def refresh(self) -> None:
        """Rebuild the report from the store on a worker thread."""
        from offscript.reports.gather import build_report

        store = self.services.store
        self.status.setText("Reading your history…")
        self.jobs.start(lambda p, c: build_report(store), on_done=self._set_report,
                        on_error=self.status.setText)  # fmt: skip

    def _set_report(self, report: Report) -> None:
        self.report = report
        shown = self.scope_box.currentData()
        self.scope_box.blockSignals(True)
        self.scope_box.clear()
        self.scope_box.addItem("All questions", None)
        for q in report.questions:
            n = len(q.take_ids)
            self.scope_box.addItem(f"{q.question_text} ({n} take{'s' if n != 1 else ''})",
                                   q.question_id)  # fmt: skip
        self.scope_box.setCurrentIndex(max(0, self.scope_box.findData(shown)))
        self.scope_box.blockSignals(False)
        self.export_btn.setEnabled(bool(report.takes))
        first, last = report.date_range
        self.status.setText(f"{len(report.takes)} takes, {first} to {last}" if report.takes
                            else "")  # fmt: skip
        self._show_scope()
        self.report_ready.emit()

    def show_question(self, question_id: str | None) -> None:
        self.scope_box.setCurrentIndex(max(0, self.scope_box.findData(question_id)))

    # ---------------------------------------------------------------- views
    def _show_scope(self, *_: object) -> None:
        content = QWidget()
        box = QVBoxLayout(content)
        report, qid = self.report, self.scope_box.currentData()
        if report is None or not report.takes:
            box.addWidget(QLabel("No takes yet: answer a few questions, then come back here "
                                 "to see your progress."))  # fmt: skip
            self.charts = []
        elif qid is None:
            self._overall(report, box)
        else:
            self._question(report, next(q for q in report.questions if q.question_id == qid), box)
        box.addStretch(1)
        self.scroll.setWidget(content)

    def _grid(self, svgs: list[tuple[str, str]], box: QVBoxLayout) -> None:
        grid = QGridLayout()
        self.charts = []
        for i, (name, svg) in enumerate(svgs):
            widget = _svg(svg)
            widget.setObjectName(f"chart-{name}")
            self.charts.append(widget)
            grid.addWidget(widget, i // 2, i % 2)
        box.addLayout(grid)

    def _overall(self, report: Report, box: QVBoxLayout) -> None:
        cells = []
        for c in changes(report):
            if c.latest is None:
                continue
            colour = _VERDICT_COLOUR.get(c.verdict, "#666")
            note = f"from {c.text(c.first)} · {c.verdict}" if c.verdict else ""
            unit = "" if c.metric.fraction else f" <small>{escape(c.metric.unit)}</small>"
            cells.append(f"<td style='padding:4px 14px'><small>{escape(c.metric.label)}</small>"
                         f"<br><b style='font-size:16pt'>{c.text(c.latest)}</b>{unit}<br>"
                         f"<small style='color:{colour}'>{escape(note)}</small></td>")
        box.addWidget(_card(f"<table><tr>{''.join(cells)}</tr></table>"))
        tips = focus(report)
        if tips:
            items = "".join(f"<li><b>{escape(f.message)}</b> {escape(f.advice)}</li>"
                            for f in tips)  # fmt: skip
            box.addWidget(_card(f"<b>What to work on next</b><ul>{items}</ul>"))
        self._grid([(n, s) for n, s in overall_charts(report, standalone=True)], box)
        box.addWidget(QLabel("<h3>Best take per question</h3>"))
        for q in report.questions:
            best = report.take(q.best_take_id) if q.best_take_id is not None else None
            detail = (f"best on {short_date(best.started_at)}: {escape(figures_text(best))}"
                      if best else "not analysed yet")
            box.addWidget(_card(f"<b>{escape(q.question_text)}</b> "
                                f"<small>({len(q.take_ids)} takes)</small><br>{detail}"))

    def _question(self, report: Report, q, box: QVBoxLayout) -> None:
        takes = report.takes_of(q)
        box.addWidget(QLabel(f"<h2>{escape(q.question_text)}</h2>"))
        if len(takes) > 1:
            self._grid(question_charts(report, q, standalone=True), box)
        else:
            self.charts = []
            box.addWidget(QLabel("One take so far: answer it again to see a trend."))
        best = report.take(q.best_take_id) if q.best_take_id is not None else None
        if best is not None:
            box.addWidget(_card(
                f"<b>Best take</b> ({escape(best.started_at[:16].replace('T', ' '))} UTC)<br>"
                f"<small>{escape(figures_text(best))}</small><p>{segments_html(best)}</p>"))

    # ---------------------------------------------------------------- export
    def choose_export(self) -> None:
        from offscript.reports.export import format_for_path

        filters = ";;".join(EXPORT_FILTERS.values())
        path, chosen = QFileDialog.getSaveFileName(self, "Export progress report",
                                                   str(Path.home() / "offscript-progress.pdf"),
                                                   filters)  # fmt: skip
        if not path:
            return
        fmt = format_for_path(path) or next(
            (k for k, v in EXPORT_FILTERS.items() if v == chosen), "pdf")
        if format_for_path(path) is None:
            path = f"{path}.{fmt}"
        self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Build the report and write ``path`` on a worker; signals say how it went."""
        from offscript.reports.export import write_report
        from offscript.reports.gather import build_report, require_takes

        store = self.services.store

        def job(progress, cancel) -> str:
            report = require_takes(build_report(store))
            cancel.raise_if_cancelled()
            return str(write_report(report, fmt, path))

        self.export_btn.setEnabled(False)
        self.status.setText(f"Exporting {fmt.upper()} to {path}…")
        self.jobs.start(job, on_done=self._exported, on_error=self._export_error)

    def _exported(self, path: str) -> None:
        self.export_btn.setEnabled(True)
        self.status.setText(f"Exported to {path}")
        self.export_finished.emit(path)

    def _export_error(self, message: str) -> None:
        self.export_btn.setEnabled(True)
        self.status.setText(f"Export failed: {message}")
        self.export_failed.emit(message)


class ProgressNavigator(QObject):
    """The main window's Progress menu: the Progress page and Export report…"""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window, self.page = window, None
        menu = window.menuBar().addMenu("&Progress")
        menu.addAction("&Progress charts…", QKeySequence("Ctrl+G"), self.show_progress)
        menu.addAction("&Export report…", QKeySequence("Ctrl+E"), self.export)
        self.menu = menu

    def _page(self) -> None:
        self.page = ProgressPage(self.window.services, self.window.jobs)
        self.page.back_requested.connect(self.window.show_home)
        self.window.stack.addWidget(self.page)

    def show_progress(self) -> None:
        if self.page is None:
            self._page()  # reads the history as it is built
        else:
            self.page.refresh()
        self.window.stack.setCurrentWidget(self.page)

    def export(self) -> None:
        self.show_progress()
        self.page.choose_export()

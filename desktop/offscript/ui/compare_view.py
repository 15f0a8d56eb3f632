"""Takes of one question side by side: figures, scores, transcripts and what changed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from offscript.analysis.flags import PACE_FAST_WPM, PACE_SLOW_WPM
from offscript.store.records import TakeRecord
from offscript.ui.results_view import transcript_html
from offscript.ui.services import AppServices


def _get(data: dict, *keys: str) -> float | None:
    for k in keys:
        data = data.get(k) if isinstance(data, dict) else None
    return float(data) if isinstance(data, int | float) else None


def _pace_off(wpm: float | None) -> float | None:
    """How far a pace is outside the comfortable band (0 inside it)."""
    if wpm is None:
        return None
    return max(0.0, PACE_SLOW_WPM - wpm, wpm - PACE_FAST_WPM)


def _rubric(data: dict) -> float | None:
    r = data.get("rubric")
    return float(len(r["covered"])) if r else None


# label, how to read it, format, which way is better (-1: lower, +1: higher, 0: band)
FIGURES: tuple[tuple[str, Callable[[dict], float | None], str, int], ...] = (
    ("Length (s)", lambda d: _get(d, "duration_s"), "{:.0f}", 0),
    ("Pace (wpm)", lambda d: _get(d, "pace", "wpm"), "{:.0f}", 0),
    ("um/uh", lambda d: _get(d, "fillers", "filled_pauses"), "{:.0f}", -1),
    ("like/you know", lambda d: _get(d, "fillers", "lexical"), "{:.0f}", -1),
    ("Fillers / min", lambda d: _get(d, "fillers", "per_minute"), "{:.1f}", -1),
    ("Pauses", lambda d: float(len(d.get("pauses", []))), "{:.0f}", 0),
    ("Flags", lambda d: float(len(d.get("flags", []))), "{:.0f}", -1),
    ("Polish", lambda d: _get(d, "candour", "polish_score"), "{:.2f}", -1),
    ("Rehearsed", lambda d: _get(d, "delivery", "rehearsed_score"), "{:.2f}", -1),
    ("Strong-answer points", _rubric, "{:.0f}", 1),
)


def improvements(before: dict, after: dict) -> list[str]:
    """What got better or worse from ``before`` to ``after`` (one line each)."""
    lines = []
    b_off, a_off = _pace_off(_get(before, "pace", "wpm")), _pace_off(_get(after, "pace", "wpm"))
    if b_off is not None and a_off is not None and b_off != a_off:
        better = a_off < b_off
        lines.append(
            f"{'✔' if better else '✘'} pace {'closer to' if better else 'further from'} "
            f"{PACE_SLOW_WPM:.0f}–{PACE_FAST_WPM:.0f} wpm"
        )
    for label, read, fmt, direction in FIGURES:
        if direction == 0:
            continue
        b, a = read(before), read(after)
        if b is None or a is None or a == b:
            continue
        better = (a - b) * direction > 0
        lines.append(
            f"{'✔' if better else '✘'} {label}: {fmt.format(b)} → {fmt.format(a)}"
            f" ({'better' if better else 'worse'})"
        )
    return lines or ["No measurable change."]


class TakeColumn(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = QComboBox()
        self.grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for row, (label, *_rest) in enumerate(FIGURES):
            self.grid.addWidget(QLabel(label), row, 0)
            self.values[label] = QLabel("–")
            self.grid.addWidget(self.values[label], row, 1)
        self.transcript = QTextBrowser()
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addLayout(self.grid)
        layout.addWidget(self.transcript, 1)

    def show_analysis(self, data: dict) -> None:
        for label, read, fmt, _ in FIGURES:
            value = read(data)
            self.values[label].setText("–" if value is None else fmt.format(value))
        self.transcript.setHtml(transcript_html(data.get("words", []), data.get("pauses", [])))


class ComparePage(QWidget):
    back_requested = Signal()
    review_requested = Signal(int)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.takes: list[TakeRecord] = []
        self.title = QLabel(wordWrap=True)
        self.left, self.right = TakeColumn(), TakeColumn()
        self.verdict = QLabel(wordWrap=True)
        back = QPushButton("← Back")
        back.clicked.connect(self.back_requested.emit)
        columns = QGridLayout()
        columns.addWidget(self.left, 0, 0)
        columns.addWidget(self.right, 0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(back)
        layout.addWidget(self.title)
        layout.addLayout(columns, 1)
        layout.addWidget(QLabel("<b>What changed</b>"))
        layout.addWidget(self.verdict)
        for col in (self.left, self.right):
            col.picker.currentIndexChanged.connect(lambda _i: self._update())

    def show_question(self, question_id: str) -> int:
        """Show the analysed takes of ``question_id``: first vs latest; returns how many."""
        self.takes = [t for t in self.services.store.takes_for_question(question_id) if t.analysis]
        text = next(
            (t.analysis.get("question", {}).get("text") for t in self.takes
             if t.analysis.get("question")), question_id,
        )  # fmt: skip
        self.title.setText(f"<b>{text}</b> — {len(self.takes)} analysed take(s)")
        for col in (self.left, self.right):
            col.picker.blockSignals(True)
            col.picker.clear()
            for i, t in enumerate(self.takes, 1):
                col.picker.addItem(f"Take {i} · {t.started_at[:16].replace('T', ' ')}", t.id)
            col.picker.blockSignals(False)
        if self.takes:
            self.left.picker.setCurrentIndex(max(0, len(self.takes) - 2))
            self.right.picker.setCurrentIndex(len(self.takes) - 1)
        self._update()
        return len(self.takes)

    def _update(self) -> None:
        if not self.takes:
            self.verdict.setText("No analysed takes of this question yet.")
            return
        before = self.takes[max(0, self.left.picker.currentIndex())].analysis or {}
        after = self.takes[max(0, self.right.picker.currentIndex())].analysis or {}
        self.left.show_analysis(before)
        self.right.show_analysis(after)
        if self.left.picker.currentIndex() == self.right.picker.currentIndex():
            self.verdict.setText("Pick two different takes to compare.")
        else:
            self.verdict.setText("<br>".join(improvements(before, after)))

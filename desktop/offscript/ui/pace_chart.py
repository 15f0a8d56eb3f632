"""Words per minute over the answer, per 10 s window, against the healthy band.

Bars inside the band are blue, outside it amber; the band's edges are dashed lines drawn over
the bars with their values on the left, and the time axis is labelled, so a slow patch can be
found in the recording.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from offscript.analysis.flags import PACE_FAST_WPM, PACE_SLOW_WPM

HEALTHY_WPM = (PACE_SLOW_WPM, PACE_FAST_WPM)  # the same band the pace flags use
INSIDE = QColor("#3d7bd9")
OUTSIDE = QColor("#e0a030")
BAND = QColor("#2e9d5b")


def time_ticks(duration_s: float, max_labels: int) -> list[float]:
    """Round times (10 s, 30 s, 1 min, ...) for at most ``max_labels`` labels from 0."""
    if duration_s <= 0 or max_labels < 1:
        return []
    for step in (10, 20, 30, 60, 120, 300, 600, 1200):
        if duration_s / step < max_labels:
            return [i * step for i in range(int(duration_s // step) + 1)]
    step = 60 * math.ceil(duration_s / max_labels / 60)
    return [i * step for i in range(int(duration_s // step) + 1)]


def time_label(t: float) -> str:
    return f"{t:.0f} s" if t < 60 else f"{int(t // 60)}:{int(t % 60):02d}"


class PaceChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: list[dict] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Pace over time")

    def sizeHint(self) -> QSize:
        return QSize(400, 130)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 130)

    def set_timeline(self, timeline: list[dict]) -> None:
        self.timeline = [t for t in timeline if t.get("wpm") is not None]
        tips = [f"{t['start']:.0f}–{t['end']:.0f} s: {t['wpm']:.0f} wpm" for t in self.timeline]
        self.setToolTip("\n".join(tips))
        self.setAccessibleDescription("; ".join(tips))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        text_h = fm.height()
        left = fm.horizontalAdvance("000 ") + 4
        r = QRectF(self.rect()).adjusted(left, 4, -4, -(2 * text_h + 4))
        top = max([220.0] + [t["wpm"] * 1.1 for t in self.timeline])
        low, high = HEALTHY_WPM

        def y(wpm: float) -> float:
            return r.bottom() - r.height() * min(wpm, top) / top

        band = QColor(BAND)
        band.setAlpha(35)
        p.fillRect(QRectF(r.left(), y(high), r.width(), y(low) - y(high)), band)
        muted = self.palette().placeholderText().color()
        if self.timeline:
            end = max(t["end"] for t in self.timeline)
            start = min(t["start"] for t in self.timeline)
            span = max(end - start, 1e-6)

            def x(t: float) -> float:
                return r.left() + r.width() * (t - start) / span

            p.setPen(Qt.PenStyle.NoPen)
            for t in self.timeline:
                inside = low <= t["wpm"] <= high
                p.setBrush(INSIDE if inside else OUTSIDE)
                x0, x1 = x(t["start"]), x(t["end"])
                gap = min(2.0, (x1 - x0) / 4)
                p.drawRoundedRect(
                    QRectF(x0 + gap, y(t["wpm"]), x1 - x0 - 2 * gap, r.bottom() - y(t["wpm"])),
                    2, 2,
                )  # fmt: skip
            p.setPen(muted)
            label_w = fm.horizontalAdvance("00:00") + 12
            for tick in time_ticks(span, max(1, int(r.width() // label_w))):
                p.drawText(
                    QRectF(x(start + tick) - label_w / 2, r.bottom() + 2, label_w, text_h),
                    Qt.AlignmentFlag.AlignHCenter, time_label(tick),
                )  # fmt: skip
        # band edges over the bars, labelled on the left
        pen = QPen(BAND.darker(120), 1, Qt.PenStyle.DashLine)
        for wpm in (low, high):
            p.setPen(pen)
            p.drawLine(QPointF(r.left(), y(wpm)), QPointF(r.right(), y(wpm)))
            p.setPen(muted)
            p.drawText(
                QRectF(0, y(wpm) - text_h / 2, left - 4, text_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{wpm:.0f}",
            )  # fmt: skip
        caption = (
            f"words per minute, per 10 s (dashed: the {low:.0f}–{high:.0f} wpm band; "
            "amber: outside it)"
            if self.timeline
            else "pace over time appears here after an answer"
        )
        p.drawText(
            QRectF(r.left(), r.bottom() + text_h + 2, r.width(), text_h),
            Qt.AlignmentFlag.AlignLeft, caption,
        )  # fmt: skip
        p.end()

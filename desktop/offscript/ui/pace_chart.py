"""Words per minute over the answer, per 10 s window, against the healthy band."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from offscript.analysis.flags import PACE_FAST_WPM, PACE_SLOW_WPM

HEALTHY_WPM = (PACE_SLOW_WPM, PACE_FAST_WPM)  # the same band the pace flags use


class PaceChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: list[dict] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Pace over time")

    def sizeHint(self) -> QSize:
        return QSize(400, 90)

    def set_timeline(self, timeline: list[dict]) -> None:
        self.timeline = [t for t in timeline if t.get("wpm") is not None]
        tips = [f"{t['start']:.0f}–{t['end']:.0f} s: {t['wpm']:.0f} wpm" for t in self.timeline]
        self.setToolTip("\n".join(tips))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(4, 4, -4, -16)
        top = max([220.0] + [t["wpm"] * 1.1 for t in self.timeline])

        def y(wpm: float) -> float:
            return r.bottom() - r.height() * min(wpm, top) / top

        band = QColor("#2e9d5b")
        band.setAlpha(40)
        p.fillRect(
            QRectF(r.left(), y(HEALTHY_WPM[1]), r.width(), y(HEALTHY_WPM[0]) - y(HEALTHY_WPM[1])),
            band,
        )
        p.setPen(self.palette().mid().color())
        low, high = HEALTHY_WPM
        caption = f"pace per 10 s (green band: {low:.0f}–{high:.0f} wpm)"
        p.drawText(QRectF(r.left(), r.bottom(), r.width(), 14), Qt.AlignmentFlag.AlignLeft, caption)
        if not self.timeline:
            p.end()
            return
        n = len(self.timeline)
        w = r.width() / n
        for i, t in enumerate(self.timeline):
            inside = HEALTHY_WPM[0] <= t["wpm"] <= HEALTHY_WPM[1]
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#3d7bd9") if inside else QColor("#e0a030"))
            p.drawRoundedRect(
                QRectF(r.left() + i * w + 2, y(t["wpm"]), w - 4, r.bottom() - y(t["wpm"])), 2, 2
            )
        p.end()

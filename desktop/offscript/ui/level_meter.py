"""A horizontal microphone level meter with peak hold and a clipping warning."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


class LevelMeterWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = 0.0
        self.peak = 0.0
        self.clipping = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")

    def sizeHint(self) -> QSize:
        return QSize(240, 14)

    def set_level(self, level: float, peak: float, clipping: bool = False) -> None:
        self.level, self.peak, self.clipping = max(0.0, min(1.0, level)), peak, clipping
        self.setToolTip(
            f"Level {level * 100:.0f}%" + (" (clipping: move back)" if clipping else "")
        )
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.palette().mid().color())
        p.drawRoundedRect(r, 4, 4)
        colour = QColor("#d9534f") if self.clipping else QColor("#2e9d5b")
        p.setBrush(colour)
        p.drawRoundedRect(QRectF(r.x(), r.y(), r.width() * self.level, r.height()), 4, 4)
        if self.peak > 0:
            x = r.x() + r.width() * min(1.0, self.peak)
            p.setBrush(self.palette().text().color())
            p.drawRect(QRectF(x - 1, r.y(), 2, r.height()))
        p.end()

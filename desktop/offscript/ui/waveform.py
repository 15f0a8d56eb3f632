"""The energy envelope of a take with what the analysis found marked on it; click to seek.

Grey bands are pauses, orange marks filled pauses ("um", "uh"), blue marks lexical fillers
("like", "you know"), red bars under the envelope are the evidence of flags.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

FRAME_S = 0.02
COLOURS = {
    "pause": QColor(140, 140, 140, 70),
    "filled_pause": QColor("#f6a623"),
    "lexical_filler": QColor("#4aa3d8"),
    "flag": QColor("#d64545"),
    "wave": QColor("#5f7f9f"),
    "cursor": QColor("#e03030"),
}


def envelope(samples: np.ndarray, samplerate: int, frame_s: float = FRAME_S) -> np.ndarray:
    """RMS per frame, scaled so the loudest frame is 1."""
    hop = max(1, int(frame_s * samplerate))
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    frames = np.asarray(samples[: n * hop], dtype=np.float32).reshape(n, hop)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    peak = float(rms.max())
    return rms / peak if peak > 0 else rms


def marks(analysis: dict | None) -> list[tuple[str, float, float]]:
    """(kind, start, end) spans to draw: pauses, fillers and flag evidence."""
    if not analysis:
        return []
    out = [("pause", p["start"], p["end"]) for p in analysis.get("pauses", [])]
    for w in analysis.get("words", []):
        if w.get("kind") in ("filled_pause", "lexical_filler") and w.get("start") is not None:
            out.append((w["kind"], w["start"], w["end"]))
    for flag in analysis.get("flags", []):
        for ev in flag.get("evidence", []):
            if ev.get("start") is not None and ev.get("end") is not None:
                out.append(("flag", ev["start"], ev["end"]))
    return out


class WaveformView(QWidget):
    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(90)
        self.env = np.zeros(0, dtype=np.float32)
        self.duration_s = 0.0
        self.spans: list[tuple[str, float, float]] = []
        self.position_s = 0.0
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_take(self, samples: np.ndarray, samplerate: int, analysis: dict | None) -> None:
        self.env = envelope(samples, samplerate)
        self.duration_s = len(samples) / samplerate if samplerate else 0.0
        self.spans = marks(analysis)
        self.position_s = 0.0
        self.update()

    def set_position(self, seconds: float) -> None:
        self.position_s = seconds
        self.update()

    def x_for(self, seconds: float) -> float:
        return 0.0 if self.duration_s <= 0 else seconds / self.duration_s * self.width()

    def time_at(self, x: float) -> float:
        return min(self.duration_s, max(0.0, x / max(1, self.width()) * self.duration_s))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.duration_s > 0:
            self.seek_requested.emit(self.time_at(event.position().x()))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), self.palette().base())
        mid, band = h * 0.45, h * 0.4
        for kind, start, end in self.spans:
            x0, x1 = self.x_for(start), max(self.x_for(end), self.x_for(start) + 2)
            if kind == "pause":
                p.fillRect(QRectF(x0, 0, x1 - x0, h * 0.9), COLOURS["pause"])
            elif kind == "flag":
                p.fillRect(QRectF(x0, h * 0.92, x1 - x0, h * 0.08), COLOURS["flag"])
        if len(self.env):
            xs = np.linspace(0, len(self.env), num=max(2, w) + 1).astype(int)
            p.setPen(QPen(COLOURS["wave"], 1))
            for x in range(w):
                seg = self.env[xs[x] : max(xs[x] + 1, xs[x + 1])]
                a = float(seg.max()) * band if len(seg) else 0.0
                p.drawLine(x, int(mid - a), x, int(mid + a))
        for kind, start, end in self.spans:
            if kind in ("filled_pause", "lexical_filler"):
                x0, x1 = self.x_for(start), max(self.x_for(end), self.x_for(start) + 2)
                p.fillRect(QRectF(x0, h * 0.8, x1 - x0, h * 0.1), COLOURS[kind])
        p.setPen(QPen(COLOURS["cursor"], 2))
        x = int(self.x_for(self.position_s))
        p.drawLine(x, 0, x, h)
        p.end()

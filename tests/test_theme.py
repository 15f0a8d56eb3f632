"""Dark theme: the feedback stays readable (dark background, light text, coloured figures)."""

from __future__ import annotations

import json

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from offscript.analysis.answer import analyse_answer
from offscript.analysis.words import Word
from offscript.ui.results_view import ResultsView
from offscript.ui.theme import apply_theme
from ui_support import save_screenshot


def luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_feedback_in_the_dark_theme_is_readable(qtbot, speech_dir) -> None:
    app = QApplication.instance()
    words = [Word(w["word"], w["start"], w["end"]) for w in
             json.loads((speech_dir / "words" / "mfamono_cold_corpus.json").read_text())]
    data = analyse_answer(words, source="dark", duration_s=25.7).to_json()
    style, palette = app.style().name(), app.palette()
    apply_theme(app, "dark")
    try:
        view = ResultsView()
        qtbot.addWidget(view)
        view.resize(1000, 640)
        view.show_analysis(data)
        view.show()
        qtbot.waitExposed(view)
        image = view.grab().toImage()
        save_screenshot(view, "ui_feedback_dark")
        pal = view.palette()
        window, text = pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.Text)
        base = view.transcript.palette().color(QPalette.ColorRole.Base)
        assert luminance(window) < 0.05 and luminance(base) < 0.05, "not a dark theme"
        assert contrast(text, base) >= 7.0  # WCAG AAA for body text
        corner = image.pixelColor(2, image.height() - 2)
        assert luminance(corner) < 0.05, "the view is painted dark"
        # the band colours stay readable on the dark window
        for colour in ("#2e9d5b", "#d9822b"):
            assert contrast(QColor(colour), window) >= 3.0  # WCAG AA for large text
        assert view.notes["wpm"].text().startswith("healthy")
        apply_theme(app, "light")
        assert luminance(app.palette().color(QPalette.ColorRole.Window)) > 0.5
    finally:  # the next tests get the style and palette they had
        app.setStyle(style)
        app.setPalette(palette)

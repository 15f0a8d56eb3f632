"""Light, dark, or whatever the system uses: Fusion style with a matching palette."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_DARK = (
    (QPalette.ColorRole.Window, "#1f2124"), (QPalette.ColorRole.WindowText, "#e8e8e8"),
    (QPalette.ColorRole.Base, "#16181a"), (QPalette.ColorRole.AlternateBase, "#23262a"),
    (QPalette.ColorRole.Text, "#e8e8e8"), (QPalette.ColorRole.Button, "#2a2d31"),
    (QPalette.ColorRole.ButtonText, "#e8e8e8"), (QPalette.ColorRole.Highlight, "#3d7bd9"),
    (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.Mid, "#8a8f96"),
    (QPalette.ColorRole.ToolTipBase, "#2a2d31"), (QPalette.ColorRole.ToolTipText, "#e8e8e8"),
)  # fmt: skip


def apply_theme(app: QApplication, theme: str = "system") -> None:
    """``theme`` is "system", "light" or "dark" (offscript.settings.THEMES)."""
    app.setStyle("Fusion")
    dark = theme == "dark" or (
        theme == "system" and app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    )
    if not dark:
        app.setPalette(app.style().standardPalette())
        return
    palette = QPalette()
    for role, colour in _DARK:
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)

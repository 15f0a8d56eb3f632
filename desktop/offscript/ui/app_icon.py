"""The window icon: the PNG set from packaging/icons (source checkout) or from the build's
``share/icons`` (PyInstaller one-folder build), else the icon theme's entry for the app id."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

from offscript.paths import project_root

APP_ID = "io.github.offscript.Offscript"


def icon_dirs() -> list[Path]:
    """Where a hicolor icon tree may be, most specific first."""
    dirs = [project_root() / "packaging" / "icons" / "hicolor"]
    if getattr(sys, "frozen", False):
        dirs.insert(0, Path(sys.executable).resolve().parent / "share" / "icons" / "hicolor")
    return dirs


def app_icon() -> QIcon:
    for root in icon_dirs():
        pngs = sorted(root.glob(f"*/apps/{APP_ID}.png"))
        if pngs:
            icon = QIcon()
            for png in pngs:
                icon.addFile(str(png))
            return icon
    return QIcon.fromTheme(APP_ID)

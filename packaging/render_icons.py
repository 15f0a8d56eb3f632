"""Render the app icon's PNG sizes from its SVG, reproducibly (Qt's SVG renderer, offscreen).

    .venv/bin/python packaging/render_icons.py          # (re)write the PNGs
    .venv/bin/python packaging/render_icons.py --check  # exit 1 if a PNG is missing or stale

Output: packaging/icons/hicolor/{N}x{N}/apps/<app id>.png and .../scalable/apps/<app id>.svg,
the freedesktop icon-theme layout, so the tree can be copied under share/icons/ as it is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

APP_ID = "io.github.offscript.Offscript"
HERE = Path(__file__).resolve().parent
SOURCE = HERE / "icons" / f"{APP_ID}.svg"
HICOLOR = HERE / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int, root: Path = HICOLOR) -> Path:
    return root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(root: Path) -> list[Path]:
    """Write every size (and the scalable copy) under ``root``; return the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = png_path(size, root)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
        written.append(out)
    scalable = root / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    written.append(scalable)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    if not args.check:
        for path in render(HICOLOR):
            print(path.relative_to(HERE.parent))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [
            fresh.relative_to(tmp)
            for fresh in render(Path(tmp))
            if not (HICOLOR / fresh.relative_to(tmp)).is_file()
            or (HICOLOR / fresh.relative_to(tmp)).read_bytes() != fresh.read_bytes()
        ]
    for path in stale:
        print(f"stale or missing: {HICOLOR / path} (run packaging/render_icons.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())

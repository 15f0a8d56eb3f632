"""The app has a window icon from the packaged PNG set."""

from __future__ import annotations

from offscript.ui.app_icon import app_icon, icon_dirs


def test_the_window_icon_has_every_packaged_size(qtbot) -> None:
    icon = app_icon()
    sizes = {s.width() for s in icon.availableSizes()}
    assert not icon.isNull()
    assert {16, 32, 48, 256} <= sizes
    assert icon_dirs()[-1].name == "hicolor" and icon_dirs()[-1].is_dir()

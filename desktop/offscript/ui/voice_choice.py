"""The interviewer-voice choice shared by Home and Settings: the catalogue's voices, plus a
voice file the user pointed at (kept, so choosing it once is not lost on the next visit)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox


def catalogue_voices() -> tuple[str, list[tuple[str, str]]]:
    """The default voice's id and (id, title) of every voice in voices/catalog.toml; nothing
    when the catalogue is unreadable (the window still opens; the default voice was resolved
    at start-up)."""
    try:
        from offscript.speech.voices import load_catalog

        default, voices = load_catalog()
        return default, [(v.id, v.title) for v in voices]
    except (OSError, ValueError, KeyError):
        return "", []


def fill_voice_box(box: QComboBox, current: str) -> None:
    """Default, the catalogue's voices, and ``current`` when it is a path to a voice file."""
    box.clear()
    default, voices = catalogue_voices()
    titles = dict(voices)
    box.addItem(f"Default: {titles[default]}" if default in titles else "Default", "")
    for vid, title in voices:
        box.addItem(title, vid)
    if current and box.findData(current) < 0:
        box.addItem(f"{Path(current).stem} (voice file)", current)
    box.setCurrentIndex(max(0, box.findData(current)))

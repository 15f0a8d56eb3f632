"""Typed user settings, stored as JSON in one place (``<data folder>/settings.json``).

Tests get a fresh data folder (OFFSCRIPT_HOME), so they never see a user's settings.
Unknown or invalid values fall back to defaults instead of stopping the app.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from offscript.paths import data_dir

SPEEDS = (0.75, 0.9, 1.0, 1.1, 1.25, 1.5)
THEMES = ("system", "light", "dark")


@dataclass
class Settings:
    loop_id: str = ""
    question_count: int = 3
    time_limit_s: int = 0  # 0 = each question's own limit
    speed: float = 1.0
    model: str = "fast"
    voice: str = ""  # "" = the catalogue's default voice
    input_device: str = ""  # "" = the system default microphone
    output_device: str = ""  # "" = the system default speaker
    theme: str = "system"  # one of THEMES

    def validated(self) -> Settings:
        s = Settings(**asdict(self))
        s.question_count = min(20, max(1, int(s.question_count)))
        s.time_limit_s = min(1800, max(0, int(s.time_limit_s)))
        s.speed = min(2.0, max(0.5, float(s.speed)))
        if s.theme not in THEMES:
            s.theme = "system"
        return s


def settings_path() -> Path:
    return data_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {f.name: raw[f.name] for f in fields(Settings) if f.name in raw}
    try:
        return Settings(**known).validated()
    except (TypeError, ValueError):
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    from offscript.store.atomic import atomic_write_text

    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(asdict(settings.validated()), indent=2))

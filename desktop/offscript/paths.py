"""Where Offscript keeps its files: one place, redirected by OFFSCRIPT_HOME (tests use it)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "offscript"


def data_dir() -> Path:
    """User data folder (database, recordings). OFFSCRIPT_HOME overrides it."""
    home = os.environ.get("OFFSCRIPT_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Rebuildable files (assembled models, synthesised speech). Under OFFSCRIPT_HOME if set."""
    home = os.environ.get("OFFSCRIPT_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def project_root() -> Path:
    """The source checkout (editable install): holds content/ and voices/."""
    return Path(__file__).resolve().parents[2]


def content_dir() -> Path:
    return Path(os.environ.get("OFFSCRIPT_CONTENT_DIR") or project_root() / "content")


def voices_dir() -> Path:
    return project_root() / "voices"

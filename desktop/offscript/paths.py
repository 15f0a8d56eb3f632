"""Where Offscript keeps its files: one place, redirected by OFFSCRIPT_HOME (tests use it)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

APP_NAME = "offscript"


DATA_POINTER = "data-folder.json"


def default_data_dir() -> Path:
    """Where the data folder is until the user moves it. OFFSCRIPT_HOME overrides it."""
    home = os.environ.get("OFFSCRIPT_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Small files about the installation, kept apart from the data folder so they survive a
    move of it (the pointer to a moved data folder).  Under OFFSCRIPT_HOME if set."""
    home = os.environ.get("OFFSCRIPT_HOME")
    if home:
        return Path(home).expanduser() / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_pointer_path() -> Path:
    return config_dir() / DATA_POINTER


def moved_data_dir() -> Path | None:
    """The folder the user moved the data to (Settings), or None if it was never moved."""
    try:
        raw = json.loads(data_pointer_path().read_text(encoding="utf-8"))
        return Path(raw["data_dir"]) if raw.get("data_dir") else None
    except (FileNotFoundError, NotADirectoryError):  # never moved (or no config folder)
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # A damaged pointer must not silently open an empty default folder instead.
        from offscript.errors import StoreError

        raise StoreError(
            f"Offscript cannot read {data_pointer_path()} ({exc}), which says where your data "
            "folder is: fix or delete that file."
        ) from exc


def set_data_dir(folder: Path) -> None:
    """Remember ``folder`` as the data folder for every later start (atomic)."""
    from offscript.store.atomic import atomic_write_text

    folder = Path(folder).resolve()
    pointer = data_pointer_path()
    if folder == default_data_dir().resolve():
        pointer.unlink(missing_ok=True)
        return
    pointer.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(pointer, json.dumps({"data_dir": str(folder)}, indent=2))


def data_dir() -> Path:
    """User data folder (database, recordings, settings): where the user moved it, else the
    default (OFFSCRIPT_HOME in tests)."""
    return moved_data_dir() or default_data_dir()


def cache_dir() -> Path:
    """Rebuildable files (assembled models, synthesised speech). Under OFFSCRIPT_HOME if set."""
    home = os.environ.get("OFFSCRIPT_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def project_root() -> Path:
    """Where content/ and voices/ are: the source checkout (editable install), or the bundle
    folder of a frozen (PyInstaller) build, which carries copies of both."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def content_dir() -> Path:
    return Path(os.environ.get("OFFSCRIPT_CONTENT_DIR") or project_root() / "content")


def voices_dir() -> Path:
    return project_root() / "voices"

"""Write unexpected errors to a log file in the data folder, for bug reports."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from offscript.paths import data_dir


def log_dir() -> Path:
    return data_dir() / "logs"


def write_crash_log(exc: BaseException) -> Path:
    """Append the traceback of ``exc`` to ``logs/crash.log`` and return its path."""
    path = log_dir() / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
            f.write("".join(traceback.format_exception(exc)))
    except OSError:
        return Path("(log not writable)")
    return path

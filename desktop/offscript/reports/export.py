"""Render a report in one of the export formats and write it atomically.

The file appears complete or not at all (``store.atomic``); a folder that is missing or
read-only, or a full disk, is a :class:`BadInputError` naming the path.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from offscript.errors import BadInputError
from offscript.reports.model import Report
from offscript.store.atomic import atomic_write_bytes

FORMATS = ("pdf", "html", "csv", "json")


def _pdf(report: Report) -> bytes:
    from offscript.reports.report_pdf import report_pdf  # fpdf2 only when a PDF is asked for

    return report_pdf(report)


def _html(report: Report) -> bytes:
    from offscript.reports.report_html import report_html

    return report_html(report).encode("utf-8")


def _csv(report: Report) -> bytes:
    from offscript.reports.report_csv import report_csv

    return report_csv(report).encode("utf-8")


def _json(report: Report) -> bytes:
    from offscript.reports.report_json import dump_report

    return dump_report(report).encode("utf-8")


RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "pdf": _pdf, "html": _html, "csv": _csv, "json": _json,
}  # fmt: skip


def format_for_path(path: Path | str) -> str | None:
    """The format a file name asks for by its extension (``.htm`` is HTML), else None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = "html" if suffix == "htm" else suffix
    return suffix if suffix in FORMATS else None


def render(report: Report, fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise BadInputError(f"Unknown report format {fmt!r}: use one of {', '.join(FORMATS)}.")
    return RENDERERS[fmt](report)


def write_report(report: Report, fmt: str, path: Path | str) -> Path:
    """Render and write atomically; returns the path written."""
    target = Path(path)
    if target.is_dir():
        example = target / f"report.{fmt}"
        raise BadInputError(f"{target} is a folder: give a file name, e.g. {example}.")
    if not target.parent.is_dir():
        raise BadInputError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    data = render(report, fmt)
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise BadInputError(f"Cannot write {target}: {reason}.") from exc
    return target

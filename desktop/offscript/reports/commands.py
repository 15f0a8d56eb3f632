"""``offscript report``: export progress as PDF, HTML, CSV or JSON (options parsed in cli.py).

Bad input (a date that is not YYYY-MM-DD, an unknown session, an unwritable path, nothing to
report) raises ``BadInputError``: ``cli.main`` prints its one line and exits with code 2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

EXIT_OK = 0


def run_report(since: str, session_id: int | None, fmt: str, out: Path) -> int:
    from offscript.reports.export import write_report
    from offscript.reports.gather import build_report, parse_since, require_takes
    from offscript.store.takes import Store

    since = parse_since(since)  # before opening anything: bad input fails fast
    t0 = time.perf_counter()
    with Store.open() as store:
        report = require_takes(build_report(store, since=since, session_id=session_id))
    path = write_report(report, fmt, out)
    size = path.stat().st_size
    print(f"wrote {path} ({len(report.takes)} takes, {size / 1024:.0f} KB, "
          f"{time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return EXIT_OK

"""Peak memory of this process, for the benchmarks and the long-answer tests.

``getrusage().ru_maxrss`` is wrong for a process started from a big one: Linux carries the
parent's high-water mark across fork and exec, so a child of a 1 GB pytest process reports at
least 1 GB whatever it does.  ``VmHWM`` in /proc/self/status belongs to this process's own
memory map, which exec replaced.
"""

from __future__ import annotations

import resource
import sys


def peak_rss_mb() -> float:
    """High-water resident set size of this process in MB (VmHWM; ru_maxrss off Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale

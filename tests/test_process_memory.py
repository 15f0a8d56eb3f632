"""Peak memory is this process's own, not inherited from a big parent (see process_memory)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from offscript.process_memory import peak_rss_mb


def test_a_child_of_a_big_process_reports_its_own_peak() -> None:
    ballast = np.ones(40_000_000)  # 320 MB touched in this (parent) process
    code = "from offscript.process_memory import peak_rss_mb; print(peak_rss_mb())"
    child = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout)
    assert peak_rss_mb() > 300 + child
    assert 0 < child < 150, "the child's figure carries the parent's memory"
    del ballast

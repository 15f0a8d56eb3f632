"""Take the virtual devices of tests/headless/setup.sh away and put them back exactly.

    with VirtualDevices() as devices:     # skips unless setup.sh started its own PulseAudio
        devices.unload("vmic")            # the microphone vanishes (streams move elsewhere)
        ...
        devices.restore()                 # same modules, same arguments, same defaults

Leaving the ``with`` block always restores, so later tests find the devices as setup.sh made
them: each module is re-loaded with the arguments read from the server before anything was
unloaded, the default sink and source are set back, the silent keep-alive streams are moved
back to their sinks (or restarted, and registered in setup's pid file so teardown.sh stops
them), and both monitors are waited for until they deliver audio again.

Only for the private server that setup.sh starts on a headless machine
(``OFFSCRIPT_HEADLESS_SOUND=virtual``): on a desktop the devices live in the user's server.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from types import TracebackType

import pytest

from headless.feed import REQUIRED

DEVICES = ("vspeaker", "micfeed", "vmic")  # setup.sh's load order (vmic remaps micfeed)


def pactl(*args: str, check: bool = True) -> str:
    out = subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=10,
                         env={**os.environ, "LC_ALL": "C"})  # fmt: skip
    if check and out.returncode != 0:
        raise AssertionError(f"pactl {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def _modules() -> dict[str, tuple[str, str, list[str]]]:
    """Device name -> (module id, module name, arguments) for our three devices."""
    found = {}
    for line in pactl("list", "short", "modules").splitlines():
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        args = parts[2].split()
        for name in DEVICES:
            if f"sink_name={name}" in args or f"source_name={name}" in args:
                found[name] = (parts[0], parts[1], args)
    return found


def _defaults() -> tuple[str, str]:
    info = dict(
        line.split(": ", 1) for line in pactl("info").splitlines() if ": " in line
    )
    return info.get("Default Sink", ""), info.get("Default Source", "")


def _sink_inputs() -> dict[str, tuple[str, str]]:
    """application.name -> (sink input index, sink index)."""
    out, current, sink = {}, None, ""
    for line in pactl("list", "sink-inputs").splitlines():
        line = line.strip()
        if line.startswith("Sink Input #"):
            current = line.split("#", 1)[1]
        elif line.startswith("Sink:"):
            sink = line.split(":", 1)[1].strip()
        elif line.startswith("application.name = ") and current is not None:
            out[line.split("=", 1)[1].strip().strip('"')] = (current, sink)
    return out


def _wait_for_audio(source: str, timeout: float = 10.0) -> None:
    """Block until a new recording from ``source`` delivers data (a fresh null sink is mute
    for ~2 s), as setup.sh's warm-up does."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        p = subprocess.Popen(["parec", "-d", source, "--raw", "--latency-msec=20"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            got = p.stdout.read(8192) if p.stdout else b""
        finally:
            p.kill()
            p.communicate()
        if len(got) >= 8192:
            return
    raise AssertionError(f"{source} delivers no audio {timeout:.0f} s after the restore")


class VirtualDevices:
    def __init__(self) -> None:
        self.modules: dict[str, tuple[str, str, list[str]]] = {}
        self.defaults = ("", "")

    def __enter__(self) -> VirtualDevices:
        if os.environ.get("OFFSCRIPT_HEADLESS_SOUND") != "virtual":
            msg = "needs the private PulseAudio of tests/headless/setup.sh (headless machine)"
            if REQUIRED:
                pytest.fail(msg)
            pytest.skip(msg)
        self.modules = _modules()
        if set(self.modules) != set(DEVICES):
            pytest.fail(f"virtual devices missing before the test: {sorted(self.modules)}")
        self.defaults = _defaults()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.restore()

    def unload(self, *names: str) -> None:
        for name in names:
            module = _modules().get(name)
            if module is not None:  # vmic goes with micfeed, its master
                pactl("unload-module", module[0])

    def restore(self) -> None:
        present = _modules()
        for name in DEVICES:
            if name not in present:
                _, module, args = self.modules[name]
                pactl("load-module", module, *args)
        sink, source = self.defaults
        pactl("set-default-sink", sink)
        pactl("set-default-source", source)
        inputs = _sink_inputs()
        sinks = {
            line.split("\t")[1]: line.split("\t")[0]
            for line in pactl("list", "short", "sinks").splitlines()
        }
        for name in ("vspeaker", "micfeed"):
            keepalive = inputs.get(f"keepalive-{name}")
            if keepalive is None:
                _start_keepalive(name)
            elif keepalive[1] != sinks[name]:
                pactl("move-sink-input", keepalive[0], name)
        _wait_for_audio("vmic")
        _wait_for_audio("vspeaker.monitor")


def _start_keepalive(sink: str) -> None:
    """A silent stream like setup.sh's (detached: not a child of the test process), registered
    in its pid file so teardown.sh stops it."""
    state = Path(os.environ["OFFSCRIPT_HEADLESS_DIR"])
    script = (
        f"setsid pacat -p -d {sink} --raw --latency-msec=20 --client-name=keepalive-{sink} "
        f"</dev/zero >>'{state}/keepalive-{sink}.log' 2>&1 & echo $!"
    )
    pid = int(subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                             check=True).stdout.strip())  # fmt: skip
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    with open(state / "pids", "a", encoding="utf-8") as f:
        f.write(f"keepalive-{sink} {pid} {stat[19]}\n")

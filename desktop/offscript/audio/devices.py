"""Which microphones and speakers exist, and what is wrong with them (for Settings and doctor).

``sounddevice`` is imported inside the functions: importing it loads PortAudio, which scans
the sound system once (devices plugged in later need :func:`rescan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from offscript.errors import DeviceError

NO_MICROPHONE = "No microphone found: plug one in or pick one in Settings."
NO_SPEAKER = "No speaker found: plug in headphones or speakers, or pick an output in Settings."


def import_sounddevice() -> ModuleType:
    """``import sounddevice``, turning a missing PortAudio library into a :class:`DeviceError`."""
    try:
        import sounddevice
    except OSError as exc:  # the wheel does not bundle PortAudio on Linux
        raise DeviceError(
            "The PortAudio sound library is missing: install it (Debian/Ubuntu: "
            "sudo apt install libportaudio2, or `make system-deps`)."
        ) from exc
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device as seen from one direction (input or output)."""

    index: int
    name: str
    hostapi: str
    channels: int
    default_samplerate: float
    is_default: bool


def _hostapi_names(sd: Any) -> list[str]:
    try:
        return [h["name"] for h in sd.query_hostapis()]
    except Exception:  # the API name is cosmetic
        return []


def _default_index(sd: Any, kind: str) -> int:
    """PortAudio's default device index for ``kind`` ("input"/"output"), or -1."""
    try:
        return int(sd.query_devices(kind=kind)["index"])
    except Exception:  # PortAudioError or ValueError: no default of that kind
        return -1


def _list(kind: str) -> list[DeviceInfo]:
    sd = import_sounddevice()
    key = "max_input_channels" if kind == "input" else "max_output_channels"
    default = _default_index(sd, kind)
    apis = _hostapi_names(sd)
    out = []
    for dev in sd.query_devices():
        if dev[key] <= 0:
            continue
        api = dev.get("hostapi", -1)
        out.append(
            DeviceInfo(
                index=int(dev["index"]),
                name=str(dev["name"]),
                hostapi=apis[api] if 0 <= api < len(apis) else "",
                channels=int(dev[key]),
                default_samplerate=float(dev["default_samplerate"]),
                is_default=int(dev["index"]) == default,
            )
        )
    return out


def list_input_devices() -> list[DeviceInfo]:
    """All devices that can record, the system default flagged ``is_default``."""
    return _list("input")


def list_output_devices() -> list[DeviceInfo]:
    """All devices that can play, the system default flagged ``is_default``."""
    return _list("output")


def default_input() -> DeviceInfo | None:
    """The device recording goes to when none is chosen, or None if there is none."""
    return next((d for d in list_input_devices() if d.is_default), None)


def default_output() -> DeviceInfo | None:
    """The device playback goes to when none is chosen, or None if there is none."""
    return next((d for d in list_output_devices() if d.is_default), None)


def rescan() -> None:
    """Make PortAudio look again for devices (after plugging one in).

    Uses sounddevice's private ``_terminate``/``_initialize``: PortAudio only enumerates at
    initialisation.  Never call it while a stream is open.
    """
    sd = import_sounddevice()
    sd._terminate()
    sd._initialize()


# Device names through which PortAudio reaches a sound server (PulseAudio or PipeWire).
SERVER_ROUTED = (None, "default", "pulse", "pipewire")


def sound_server_default(kind: str) -> str | None:
    """The sound server's default source (``kind="input"``) or sink name, "" if it has none,
    or None when no PulseAudio/PipeWire server answers ``pactl`` (then nothing is known).

    PortAudio cannot tell: it reaches the server through one ALSA device ("default"), and the
    server silently moves a recording whose microphone vanished to the next source, which may
    be the *monitor* of a speaker.  Asking the server is the only way to notice.
    """
    import os
    import shutil
    import subprocess

    pactl = shutil.which("pactl")
    if pactl is None:
        return None
    try:
        out = subprocess.run(
            [pactl, "info"], capture_output=True, text=True, timeout=2,
            env={**os.environ, "LC_ALL": "C"},
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    field = "Default Source:" if kind == "input" else "Default Sink:"
    for line in out.stdout.splitlines():
        if line.startswith(field):
            name = line.split(":", 1)[1].strip()
            return "" if name in ("", "(null)") else name
    return None


def server_microphone(device: int | str | None) -> str | None:
    """For a recording that goes through the sound server: the microphone it records from, or
    DeviceError(NO_MICROPHONE) if the server has only monitors of speakers (or nothing).
    None when the recording does not go through a server (or none answers)."""
    if device not in SERVER_ROUTED:
        return None
    name = sound_server_default("input")
    if name is None:
        return None
    if not name or name.endswith(".monitor"):
        raise DeviceError(NO_MICROPHONE)
    return name


def check_devices(samplerate: int = 16000) -> list[str]:
    """Problems with the audio setup, each one line saying what is wrong and how to fix it.

    An empty list means: a default microphone and speaker exist and the microphone accepts
    ``samplerate`` mono (what the app records at).  Opens no stream.
    """
    try:
        sd = import_sounddevice()
    except DeviceError as exc:
        return [str(exc)]
    problems: list[str] = []
    try:
        inputs, outputs = list_input_devices(), list_output_devices()
    except Exception as exc:  # report it; doctor must not crash
        return [f"Cannot list audio devices ({exc}): start the sound server (PulseAudio/PipeWire)."]
    if not inputs:
        problems.append(NO_MICROPHONE)
    elif not any(d.is_default for d in inputs):
        problems.append("No default microphone is set: choose one in your system sound settings.")
    else:
        try:
            sd.check_input_settings(samplerate=samplerate, channels=1, dtype="float32")
        except Exception as exc:
            problems.append(
                f"The default microphone cannot record {samplerate} Hz mono ({exc}): pick another "
                "microphone in Settings."
            )
    if not outputs:
        problems.append(NO_SPEAKER)
    elif not any(d.is_default for d in outputs):
        problems.append("No default speaker is set: choose one in your system sound settings.")
    return problems


def resolve_device(device: int | str | None, kind: str) -> dict[str, Any]:
    """PortAudio's description of ``device`` (None = default) for ``kind``, or DeviceError."""
    sd = import_sounddevice()
    missing = NO_MICROPHONE if kind == "input" else NO_SPEAKER
    try:
        info = sd.query_devices(device, kind=kind)
    except (ValueError, sd.PortAudioError) as exc:  # unknown name/index, none of that kind
        if device is None:
            raise DeviceError(missing) from exc
        what = "microphone" if kind == "input" else "speaker"
        raise DeviceError(
            f"The {what} {device!r} is not available (unplugged?): pick another in Settings."
        ) from exc
    return dict(info)

"""``offscript doctor``: check everything Offscript needs and say how to fix what is wrong."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from offscript.errors import UserFacingError


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str


def _check(name: str, fn: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, fn())
    except UserFacingError as exc:
        return CheckResult(name, False, str(exc))
    except Exception as exc:  # a check must report, never crash the doctor
        return CheckResult(name, False, f"unexpected error: {exc!r}")


def _data_folder() -> str:
    from offscript.store.takes import Store

    store = Store.open()
    try:
        return f"{store.data_dir} (database and recordings writable)"
    finally:
        store.close()


def _model(name: str) -> Callable[[], str]:
    def run() -> str:
        from offscript.speech.asr import WhisperTranscriber
        from offscript.speech.models import assemble_base_model, resolve_asr_model

        if name == "accurate":
            assemble_base_model(verify_full=True)
        model = resolve_asr_model(name)
        WhisperTranscriber(model).load()
        return f"{model.description}: {model.path}"

    return run


def _voice() -> str:
    from offscript.speech.tts import PiperTTS

    tts = PiperTTS.from_name()
    audio = tts.synthesize_all("Hello.")
    if audio.size == 0:
        raise UserFacingError("the voice produced no audio; reinstall it with `make run`.")
    return f"{tts.id}: {tts.files.model.name} ({len(audio) / tts.samplerate:.1f} s test phrase)"


def _devices() -> str:
    from offscript.audio.devices import (
        check_devices,
        default_input,
        default_output,
        server_microphone,
        sound_server_default,
    )

    problems = check_devices()
    if problems:
        raise UserFacingError("; ".join(problems))
    # PortAudio reaches PulseAudio/PipeWire through one "default" device, which records from a
    # speaker's monitor when the server has no microphone: only the server can tell.
    source = server_microphone(None)  # DeviceError (user-facing) when it has only monitors
    mic, spk = default_input(), default_output()
    detail = f"microphone: {mic.name if mic else '?'}; speaker: {spk.name if spk else '?'}"
    if source is not None:
        sink = sound_server_default("output")
        detail += f"; sound server: records from {source!r}, plays to {sink!r}"
    return detail


def _display() -> str:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise UserFacingError(
            "no display found (DISPLAY/WAYLAND_DISPLAY unset): run the app from a desktop session."
        )
    return "available"


def run_doctor() -> int:
    checks = [
        ("data folder", _data_folder),
        ("speech model 'fast'", _model("fast")),
        ("speech model 'accurate'", _model("accurate")),
        ("interviewer voice", _voice),
        ("audio devices", _devices),
        ("display", _display),
    ]
    failed = 0
    for name, fn in checks:
        result = _check(name, fn)
        failed += not result.ok
        mark = "ok  " if result.ok else "FAIL"
        print(f"[{mark}] {result.name}: {result.detail}")
    print(
        "All checks passed." if not failed else f"{failed} problem(s) found: see FAIL lines above."
    )
    return 0 if not failed else 1

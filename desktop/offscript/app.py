"""The one wiring place: build the real services, show the window, load models after.

The window appears before any model is loaded: faster-whisper and Piper load on a worker
thread once the window is on screen.  Set ``OFFSCRIPT_REPORT_STARTUP=1`` to print
``window_shown_s=<seconds since process start>`` when the window is first shown.
"""

from __future__ import annotations

import os
import sys
import time


def _process_age_s() -> float:
    """Seconds since this process was created (Linux /proc; falls back to interpreter time)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.process_time()


def build_services(model: str = "fast", voice: str | None = None):
    """Construct the real services (cheap: nothing heavy is loaded here)."""
    from offscript.audio.capture import SoundDeviceMicrophone
    from offscript.audio.playback import SoundDeviceSpeaker
    from offscript.content.catalog import default_practice_questions
    from offscript.speech.asr import WhisperTranscriber
    from offscript.speech.models import resolve_asr_model
    from offscript.speech.tts import PiperTTS
    from offscript.store.takes import Store
    from offscript.ui.services import AppServices

    store = Store.open()
    store.recover()
    transcriber = WhisperTranscriber(resolve_asr_model(model))
    tts = PiperTTS.from_name(voice)

    def warm_up() -> None:
        transcriber.load()
        tts.load()

    return AppServices(
        store=store,
        questions=default_practice_questions(12),
        voice=tts,
        transcriber=transcriber,
        speaker=SoundDeviceSpeaker(),
        open_microphone=lambda on_error: SoundDeviceMicrophone(channels=1, on_error=on_error),
        warm_up=warm_up,
        model_name=transcriber.name,
    )


def install_exception_hook() -> None:
    """Unexpected errors show a dialog and go to the crash log instead of vanishing."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from offscript.crash_log import write_crash_log

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log = write_crash_log(exc.with_traceback(tb))
        print(f"offscript: unexpected error: {exc!r} (details in {log})", file=sys.stderr)
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None, "Offscript", f"Something went wrong: {exc}\n\nDetails: {log}"
            )

    sys.excepthook = hook


def run_app(argv: list[str] | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from offscript.errors import UserFacingError
    from offscript.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Offscript")
    app.setDesktopFileName("offscript")
    install_exception_hook()
    try:
        services = build_services(os.environ.get("OFFSCRIPT_MODEL", "fast"))
    except UserFacingError as exc:
        QMessageBox.critical(None, "Offscript cannot start", str(exc))
        print(f"offscript: {exc}", file=sys.stderr)
        return 2
    window = MainWindow(services)
    window.show()

    def after_shown() -> None:
        if os.environ.get("OFFSCRIPT_REPORT_STARTUP"):
            print(f"window_shown_s={_process_age_s():.3f}", flush=True)
        window.jobs.start(
            lambda progress, cancel: services.warm_up(),
            on_done=lambda _r: window.models_loaded(),
            on_error=window.models_failed,
        )

    QTimer.singleShot(0, after_shown)
    code = app.exec()
    services.store.close()
    return code

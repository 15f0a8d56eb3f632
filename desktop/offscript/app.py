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


def build_services(model: str | None = None, voice: str | None = None):
    """Construct the real services (cheap: nothing heavy is loaded here)."""
    from offscript.audio.capture import SoundDeviceMicrophone
    from offscript.audio.devices import list_input_devices
    from offscript.audio.playback import SoundDeviceSpeaker
    from offscript.content import default_practice_questions, load_all_banks
    from offscript.settings import load_settings
    from offscript.speech.asr import WhisperTranscriber
    from offscript.speech.tts import PiperTTS
    from offscript.store.takes import Store
    from offscript.ui.services import AppServices

    settings = load_settings()
    model = model or settings.model
    store = Store.open()
    recovered = store.recover()
    tts = PiperTTS.from_name(voice or settings.voice or None)
    services = AppServices(
        store=store,
        questions=default_practice_questions(12),
        voice=tts,
        transcriber=WhisperTranscriber(model),
        speaker=SoundDeviceSpeaker(),
        open_microphone=lambda on_error, device=None: SoundDeviceMicrophone(
            device=device, channels=1, on_error=on_error
        ),
        warm_up=lambda: None,
        model_name=model,
        speed=settings.speed,
        settings=settings,
        catalog=load_all_banks(),
        make_transcriber=WhisperTranscriber,
        list_input_devices=lambda: [d.name for d in list_input_devices()],
    )

    def warm_up() -> None:  # loads whichever transcriber is current
        services.transcriber.load()
        tts.load()

    services.warm_up = warm_up
    services.recovered = recovered
    return services


def apply_theme(app) -> None:
    """Fusion style with a palette that follows the system's light or dark scheme."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPalette

    app.setStyle("Fusion")
    if app.styleHints().colorScheme() != Qt.ColorScheme.Dark:
        return
    p = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#1f2124"), (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#16181a"), (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#2a2d31"), (QPalette.ColorRole.ButtonText, "#e8e8e8"),
        (QPalette.ColorRole.Highlight, "#3d7bd9"), (QPalette.ColorRole.Mid, "#8a8f96"),
    ):  # fmt: skip
        p.setColor(role, QColor(colour))
    app.setPalette(p)


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
    apply_theme(app)
    try:
        services = build_services(os.environ.get("OFFSCRIPT_MODEL"))
    except UserFacingError as exc:
        QMessageBox.critical(None, "Offscript cannot start", str(exc))
        print(f"offscript: {exc}", file=sys.stderr)
        return 2
    window = MainWindow(services)
    window.show()

    def after_shown() -> None:
        if os.environ.get("OFFSCRIPT_REPORT_STARTUP"):
            print(f"window_shown_s={_process_age_s():.3f}", flush=True)
        window.warm_up()
        if services.recovered:
            n = len(services.recovered)
            QMessageBox.information(
                window, "Offscript", f"{n} recording(s) interrupted last time were recovered."
            )

    QTimer.singleShot(0, after_shown)
    code = app.exec()
    services.store.close()
    return code

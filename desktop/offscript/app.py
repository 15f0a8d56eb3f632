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
    from offscript.audio.devices import list_input_devices, list_output_devices
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
        speaker=SoundDeviceSpeaker(device=settings.output_device or None),
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
        list_output_devices=lambda: [d.name for d in list_output_devices()],
        make_speaker=lambda name: SoundDeviceSpeaker(device=name or None),
        make_voice=PiperTTS.from_name,
        live_captions=True,
    )

    def warm_up() -> None:  # loads whichever transcriber is current
        services.transcriber.load()
        tts.load()
        warm_up_analysis()

    services.warm_up = warm_up
    services.recovered = recovered
    return services


def warm_up_analysis() -> None:
    """Run the analysis once on a short synthetic answer, so its imports and first-call costs
    are paid while the models load, not after the first answer."""
    import numpy as np

    from offscript.analysis.answer import analyse_answer
    from offscript.analysis.words import Word

    sr = 16_000
    t = np.arange(2 * sr) / sr
    audio = (0.1 * np.sin(2 * np.pi * 140 * t)).astype(np.float32)
    said = ("I", "think", "we", "ran", "it")
    words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(said)]
    analyse_answer(words, source="warm-up", duration_s=2.0, audio=audio, sr=sr)


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
    app.setDesktopFileName("io.github.offscript.Offscript")  # packaging/<id>.desktop
    from offscript.ui.app_icon import app_icon

    app.setWindowIcon(app_icon())
    install_exception_hook()
    from offscript.settings import settings_path
    from offscript.ui.theme import apply_theme

    first_run = not settings_path().exists()
    try:
        services = build_services(os.environ.get("OFFSCRIPT_MODEL"))
    except UserFacingError as exc:
        QMessageBox.critical(None, "Offscript cannot start", str(exc))
        print(f"offscript: {exc}", file=sys.stderr)
        return 2
    apply_theme(app, services.settings.theme)
    window = MainWindow(services)
    window.show()

    def after_shown() -> None:
        if os.environ.get("OFFSCRIPT_REPORT_STARTUP"):
            print(f"window_shown_s={_process_age_s():.3f}", flush=True)
        window.warm_up()
        if first_run and not os.environ.get("OFFSCRIPT_NO_FIRST_RUN"):
            from offscript.settings import save_settings
            from offscript.ui.first_run import FirstRunDialog

            save_settings(services.settings)  # the check runs once, on the first start
            FirstRunDialog(services, window.jobs, window).open()
        if services.recovered:
            n = len(services.recovered)
            QMessageBox.information(
                window, "Offscript", f"{n} recording(s) interrupted last time were recovered."
            )

    QTimer.singleShot(0, after_shown)
    code = app.exec()
    services.store.close()
    return code

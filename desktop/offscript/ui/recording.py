"""One answer being recorded: microphone → disk (crash-safe) + level meter, then analysis.

The microphone's consumer thread only writes each block to the store's recording writer,
updates the meter and, with live captions on, hands the block to a
:class:`~offscript.speech.live.LiveTranscriber`, which transcribes while the candidate speaks
so that only the last seconds are left when they stop.  Errors from the device arrive on
that thread and are re-emitted as the ``failed`` signal, which Qt delivers on the GUI thread;
captions likewise arrive as the ``caption`` signal.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from offscript.audio.level import LevelMeter
from offscript.ui.services import AppServices


class AnswerRecorder(QObject):
    failed = Signal(str)
    caption = Signal(str)

    def __init__(self, services: AppServices, parent: QObject) -> None:
        super().__init__(parent)
        self.services = services
        self.meter: LevelMeter | None = None
        self.paused = False
        self._mic = None
        self._writer = None
        self._take_id: int | None = None
        self._started = 0.0
        self._paused_s = 0.0
        self._paused_at: float | None = None
        self.live = None  # optional incremental transcriber (feed(block), finish())

    @property
    def recording(self) -> bool:
        return self._mic is not None

    def start(self, question_row_id: int) -> None:
        """Open the microphone and start writing; raises UserFacingError on device problems."""
        device = self.services.settings.input_device or None
        mic = self.services.open_microphone(lambda exc: self.failed.emit(str(exc)), device)
        take_id, writer = self.services.store.start_take(
            question_row_id, mic.samplerate, mic.channels
        )
        self.meter = LevelMeter(mic.samplerate)
        self.paused, self._paused_s, self._paused_at = False, 0.0, None
        self._mic, self._writer, self._take_id = mic, writer, take_id
        self.live = self._start_live(mic.samplerate)
        meter, live = self.meter, self.live

        def on_block(block) -> None:  # microphone consumer thread: keep it tiny
            if self.paused:
                return
            writer.write(block)
            meter.update(block)
            if live is not None:
                live.feed(block)

        try:
            mic.start(on_block)
        except Exception:
            self._mic = self._writer = self._take_id = None
            self.services.store.fail_take(take_id, "the microphone could not start", writer)
            raise
        self._started = time.monotonic()

    def _start_live(self, samplerate: int):
        if not self.services.live_captions:
            return None
        from offscript.speech.live import LiveTranscriber

        live = LiveTranscriber(
            self.services.transcriber,
            samplerate_in=samplerate,
            on_caption=lambda c: self.caption.emit(c.text),
        )
        live.start()
        return live

    def elapsed_s(self) -> float:
        now = time.monotonic()
        if self.paused and self._paused_at is None:
            self._paused_at = now
        elif not self.paused and self._paused_at is not None:
            self._paused_s += now - self._paused_at
            self._paused_at = None
        paused = self._paused_s + (now - self._paused_at if self._paused_at else 0.0)
        return max(0.0, now - self._started - paused) if self._mic else 0.0

    def stop(self):
        """Stop the microphone (its queue drains: no block arrives after this).  Returns
        ``(take_id, writer)`` for :meth:`analyse` to finish off the GUI thread (None if idle):
        turning a long answer into FLAC takes about a second per half hour."""
        mic, writer, take_id = self._mic, self._writer, self._take_id
        if mic is None:
            return None
        mic.stop()
        self._mic = self._writer = self._take_id = None
        return take_id, writer

    def finish(self):
        """Stop the microphone and store the take; returns its TakeRecord (None if idle)."""
        pending = self.stop()
        if pending is None:
            return None
        take = self.services.store.finish_take(*pending)
        if take.status != "complete" and self.live is not None:
            self.live.cancel()
            self.live = None
        return take

    def analyse(self, pending, question, on_done, on_error, on_progress) -> None:
        """Store the take stopped by :meth:`stop`, then transcribe and analyse it, on a worker;
        saves the analysis.  If the app dies first, the recording is recovered at next start."""
        store, transcriber = self.services.store, self.services.transcriber
        live, self.live = self.live, None

        def job(progress, cancel):
            from offscript.errors import BadInputError
            from offscript.pipeline import add_question_context, add_take_history, analyse_samples

            take = store.finish_take(*pending)
            if take.status != "complete":
                if live is not None:
                    live.cancel()
                raise BadInputError("Nothing was recorded: check the microphone and try again.")
            path = store.audio_file(take)
            if live is not None:  # most of the answer is transcribed already
                result = _finish_live(live, str(path)).to_json()
            else:
                from offscript.audio.audio_files import load_audio
                from offscript.speech.asr import SAMPLE_RATE

                audio = load_audio(path, target_sr=SAMPLE_RATE)
                result = analyse_samples(
                    audio.samples, transcriber, source=str(path), progress=progress, cancel=cancel
                ).to_json()
            add_question_context(result, question)
            question_id = store.get_take(take.id).question_id
            earlier = add_take_history(result, store, question_id, take.id)
            store.save_analysis(take.id, result, transcriber.name)
            return result, earlier

        self.parent().jobs.start(
            job, on_done=lambda r: on_done(*r), on_error=on_error, on_progress=on_progress,
            urgent=True,
        )


def _finish_live(live, source: str):
    """Transcript from the live transcriber (only its tail is left to do), then the analysis."""
    from offscript.errors import BadInputError
    from offscript.pipeline import analyse_transcribed, has_speech

    transcript = live.finish()
    samples = live.audio_16k()
    if not has_speech(samples):
        raise BadInputError("No speech was heard: check the microphone level and try again.")
    return analyse_transcribed(transcript.words, samples, source)

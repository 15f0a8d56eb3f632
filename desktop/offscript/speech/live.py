"""Live captions while the candidate speaks, and a transcript almost as soon as they stop.

:class:`LiveTranscriber` takes microphone blocks as they are recorded, resamples them to
16 kHz mono and lets a worker thread transcribe the answer while it is being spoken:

* **final words**: once enough untranscribed audio has built up, the worker cuts it in a quiet
  stretch (:func:`~offscript.speech.live_cuts.choose_cut`) and transcribes the window for good,
  with the same filler prompt as a one-shot transcription (every window gets it, see asr.py);
* **tentative words**: between commits it transcribes the untranscribed tail, at most every
  ``tentative_every_s``, for captions only; these are skipped whenever a window can be
  committed, because the final words are what the feedback needs.

So when the answer stops only the tail after the last commit is left to transcribe, and
:meth:`LiveTranscriber.finish` returns the whole transcript in a fraction of a second.

Threads: :meth:`feed` is called from one thread (the audio consumer) and never waits for
transcription; :meth:`start`, :meth:`finish`, :meth:`cancel` and :meth:`audio_16k` may be called
from any other thread.  ``on_caption`` and ``on_error`` run on the worker thread: a UI must
marshal them to its own thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from offscript.analysis.words import Word
from offscript.speech.asr import SAMPLE_RATE, Transcriber, Transcript
from offscript.speech.live_cuts import choose_cut, frame_levels_db, is_quiet, quiet_threshold_db
from offscript.tasks import Cancelled, CancelToken


@dataclass(frozen=True)
class LiveCaption:
    """What to show while the candidate speaks.

    ``final_words`` will not change any more; ``tentative_words`` are a guess at the audio after
    them.  ``audio_s`` is how much audio had arrived when the caption was made, ``lag_s`` how
    much of it the caption does not cover yet (so it covers ``[0, audio_s - lag_s]``).
    """

    final_words: tuple[Word, ...]
    tentative_words: tuple[Word, ...]
    audio_s: float
    lag_s: float

    @property
    def text(self) -> str:
        return " ".join(w.text for w in (*self.final_words, *self.tentative_words))


@dataclass
class _State:
    """Shared between :meth:`LiveTranscriber.feed` and the worker; guarded by the condition."""

    buffer: np.ndarray = field(default_factory=lambda: np.zeros(SAMPLE_RATE * 60, np.float32))
    length: int = 0  # samples of 16 kHz audio received
    closed: bool = False  # finish() called: no more audio
    changed: bool = False  # audio arrived since the worker last looked


class LiveTranscriber:
    """Transcribe an answer incrementally while it is recorded (see the module docstring)."""

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        samplerate_in: int,
        on_caption: Callable[[LiveCaption], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        commit_after_s: float = 12.0,
        min_window_s: float = 6.0,
        force_s: float = 20.0,
        tentative_every_s: float = 0.75,
    ) -> None:
        import soxr

        self.transcriber = transcriber
        self.samplerate_in = samplerate_in
        self.on_caption = on_caption
        self.on_error = on_error
        self.commit_after_s = commit_after_s
        self.min_window_s = min_window_s
        self.force_s = force_s
        self.tentative_every_s = tentative_every_s
        self._resampler = (
            None if samplerate_in == SAMPLE_RATE
            else soxr.ResampleStream(samplerate_in, SAMPLE_RATE, 1, dtype="float32", quality="HQ")
        )
        self._state = _State()
        self._cond = threading.Condition()
        self._cancel = CancelToken()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._result: Transcript | None = None
        # Worker-only state (read by others only after join).
        self._final: list[Word] = []
        self._windows: list[tuple[float, float]] = []
        self._committed = 0  # samples transcribed for good
        self._tentative: list[Word] = []
        self._tentative_reliable = True  # the draft decode needed no retry (see asr.py)
        self._tentative_start = self._tentative_end = 0  # what the tentative words cover
        self._covered = 0  # samples the latest caption covers
        self._last_tentative = 0.0
        #: Seconds of audio that were not yet committed when finish() was called.
        self.tail_s_at_finish: float | None = None
        #: Of that, seconds transcribed at finish() (0 when the last caption's words served).
        self.tail_decoded_s: float | None = None

    # --- audio side -----------------------------------------------------------------------

    def feed(self, block: np.ndarray) -> None:
        """Add a block of float32 audio, (frames,) or (frames, channels), at ``samplerate_in``."""
        block = np.asarray(block, dtype=np.float32)
        mono = block.mean(axis=1) if block.ndim == 2 else block
        with self._cond:
            if self._state.closed:
                return
            self._append(mono)

    def _append(self, mono: np.ndarray, last: bool = False) -> None:
        """Resample and append (holding the condition)."""
        if self._resampler is not None:
            mono = self._resampler.resample_chunk(np.ascontiguousarray(mono), last=last)
        st = self._state
        if st.length + len(mono) > len(st.buffer):
            bigger = np.zeros(max(2 * len(st.buffer), st.length + len(mono)), np.float32)
            bigger[: st.length] = st.buffer[: st.length]
            st.buffer = bigger  # views already handed out keep the old (unchanged) samples
        st.buffer[st.length : st.length + len(mono)] = mono
        st.length += len(mono)
        st.changed = True
        self._cond.notify()

    def audio_16k(self) -> np.ndarray:
        """All the audio received so far, 16 kHz mono float32: a copy while audio may still
        arrive, a read-only view once finish() or cancel() closed the input (for a 30-minute
        answer a copy is 115 MB more at the moment the analysis needs memory)."""
        with self._cond:
            audio = self._state.buffer[: self._state.length]
            if not self._state.closed:
                return audio.copy()
            view = audio.view()
            view.flags.writeable = False
            return view

    @property
    def audio_s(self) -> float:
        """Seconds of audio received so far."""
        return self._state.length / SAMPLE_RATE

    @property
    def committed_s(self) -> float:
        """Seconds of audio transcribed for good so far (the rest is left for finish())."""
        return self._committed / SAMPLE_RATE

    # --- control --------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("LiveTranscriber already started")
        self._thread = threading.Thread(target=self._run, name="live-transcriber", daemon=True)
        self._thread.start()

    def finish(self, timeout: float | None = None) -> Transcript:
        """Stop taking audio, transcribe what is left and return the whole transcript.

        Raises the worker's exception if it failed, TimeoutError if ``timeout`` ran out.
        """
        with self._cond:
            if not self._state.closed:
                self._append(np.zeros(0, np.float32), last=True)
                self._state.closed = True
                self.tail_s_at_finish = (self._state.length - self._committed) / SAMPLE_RATE
                self._cond.notify()
        if self._thread is None:
            self.start()
        assert self._thread is not None
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"live transcription did not finish within {timeout} s")
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise Cancelled()
        return self._result

    def cancel(self, timeout: float | None = 10.0) -> None:
        """Stop without a transcript; waits for a window being decoded to end."""
        self._cancel.cancel()
        with self._cond:
            self._state.closed = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)

    # --- worker ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._step():
                pass
        except Cancelled:
            pass
        except Exception as exc:
            self._error = exc
            if self.on_error is not None:
                self.on_error(exc)

    def _step(self) -> bool:
        """One unit of work; True when the worker is done."""
        with self._cond:
            while not (self._state.changed or self._state.closed or self._cancel.cancelled):
                self._cond.wait(0.5)
            self._state.changed = False
            closed, length, audio = self._state.closed, self._state.length, self._state.buffer
        self._cancel.raise_if_cancelled()
        audio = audio[:length]  # stays valid: samples below length are never written again
        if closed:
            self._commit_tail(audio)
            return True
        pending = audio[self._committed :]
        if len(pending) >= self.commit_after_s * SAMPLE_RATE:
            cut = choose_cut(pending, min_window_s=self.min_window_s, force_s=self.force_s,
                             sentence_gaps=self._sentence_gaps())
            if cut is not None:
                self._commit(audio, self._committed + cut)
                self._emit()
                with self._cond:
                    self._state.changed = True  # look again at once: there may be more to commit
                return False
        now = time.monotonic()
        # No caption for silence: the last one still holds, and finish() can reuse it.
        if (now - self._last_tentative >= self.tentative_every_s
                and len(pending) >= 0.5 * SAMPLE_RATE and length > self._tentative_end
                and not self._quiet(audio, max(self._tentative_end, self._committed), length)):
            self._last_tentative = now
            self._tentative, self._tentative_reliable = self._draft(audio, self._committed, length)
            self._tentative_start, self._tentative_end = self._committed, length
            self._covered = max(self._covered, length)
            self._emit()
        elif now - self._last_tentative < self.tentative_every_s:
            with self._cond:  # wait for the next caption, or for finish() / cancel()
                if not (self._state.closed or self._cancel.cancelled):
                    self._cond.wait(self.tentative_every_s - (now - self._last_tentative))
                self._state.changed = True
        return False

    def _commit(self, audio: np.ndarray, cut: int) -> None:
        start = self._committed
        # A window with nothing said is not transcribed: Whisper invents words in silence.
        if not self._quiet(audio, start, cut):
            self._final.extend(self._transcribe(audio, start, cut))
            self._windows.append((start / SAMPLE_RATE, cut / SAMPLE_RATE))
        self._committed = cut
        self._covered = max(self._covered, cut)
        self._tentative = [w for w in self._tentative if (w.start or 0.0) >= cut / SAMPLE_RATE]

    def _commit_tail(self, audio: np.ndarray) -> None:
        end = len(audio)
        reuse_to = self._reusable_tentative_end(audio, end)
        if reuse_to > self._committed:
            # Nothing said since the last caption: its words are what the tail would give.
            t0, t1 = self._committed / SAMPLE_RATE, reuse_to / SAMPLE_RATE
            self._final.extend(self._tentative)
            self._windows.append((t0, t1))
            self._committed = reuse_to
        self.tail_decoded_s = (end - self._committed) / SAMPLE_RATE
        if end > self._committed:
            self._commit(audio, end)
        self._tentative = []
        self._result = Transcript(words=list(self._final), duration_s=len(audio) / SAMPLE_RATE,
                                  model=self.transcriber.name, windows=list(self._windows))
        self._emit()

    def _reusable_tentative_end(self, audio: np.ndarray, end: int) -> int:
        """How far (in samples) the last caption's words can stand for the final ones.

        All the way to ``end`` when that caption was decoded from the commit point, by a draft
        that needed no retry, and nothing was said after the audio it heard: the same audio
        and prompt would give the same words (for ``accurate`` the draft is greedy, beam 1
        instead of 5, so the last few seconds may differ slightly from a full decode; measured
        live WER 0.18 either way, and the feedback comes 0.1 s after stop instead of 1.2-4 s).
        Otherwise ``self._committed`` (decode the tail).
        (Keeping caption words up to a pause and decoding only the rest saved little on our
        answers and once doubled words whose draft timestamps fell on the wrong side of it.)
        """
        start, covered = self._committed, self._tentative_end
        if (not self._tentative or not self._tentative_reliable
                or self._tentative_start != start or covered <= start):
            return start
        return end if self._quiet(audio, covered, end) else start

    def _sentence_gaps(self) -> list[tuple[float, float]]:
        """Where the tentative words say a sentence ends, in seconds from the commit point."""
        t0 = self._committed / SAMPLE_RATE
        gaps = []
        for i, w in enumerate(self._tentative):
            nxt = self._tentative[i + 1].start if i + 1 < len(self._tentative) else None
            if w.text.endswith((".", "?", "!")) and w.end is not None:
                gaps.append((w.end - t0, (w.end + 1.0 if nxt is None else nxt) - t0))
        return gaps

    @staticmethod
    def _quiet(audio: np.ndarray, start: int, end: int) -> bool:
        """True if nothing is said in ``audio[start:end]`` (judged against the 20 s around)."""
        context = audio[max(0, end - 20 * SAMPLE_RATE) : max(end, start + 20 * SAMPLE_RATE)]
        return is_quiet(audio[start:end], quiet_threshold_db(frame_levels_db(context)))

    def _transcribe(self, audio: np.ndarray, start: int, end: int) -> list[Word]:
        # Each window alone, with the filler prompt, like asr.py.  (Letting Whisper hear 2 s
        # before the window and dropping those words made it worse: it invented sentences.)
        transcript = self.transcriber.transcribe(
            audio[start:end], offset_s=start / SAMPLE_RATE, cancel=self._cancel
        )
        return transcript.words

    def _draft(self, audio: np.ndarray, start: int, end: int) -> tuple[list[Word], bool]:
        """Caption words for ``audio[start:end]``, with a quicker decode when the recogniser
        has one (``transcribe_draft``), and whether they are as good as a full decode."""
        draft = getattr(self.transcriber, "transcribe_draft", None)
        if draft is None:
            return self._transcribe(audio, start, end), True
        transcript = draft(audio[start:end], offset_s=start / SAMPLE_RATE, cancel=self._cancel)
        return transcript.words, transcript.reliable

    def _emit(self) -> None:
        if self.on_caption is None:
            return
        received = self._state.length
        self.on_caption(LiveCaption(tuple(self._final), tuple(self._tentative),
                                    received / SAMPLE_RATE,
                                    max(0.0, (received - self._covered) / SAMPLE_RATE)))

"""Speech to timed words with faster-whisper, keeping filled pauses ("um", "uh") where possible.

Whisper was trained on transcripts that mostly leave out disfluencies, so by default it drops
most "um"/"uh".  Two things bring them back (measured on ../shared/speech, see README):

* an initial prompt made only of fillers ("Um, uh, hmm, er, ah.") makes the decoder expect a
  verbatim style;
* the prompt only steers the first 30 s window when previous text is not conditioned on, so
  long answers are cut into windows of at most ``WINDOW_S`` seconds at the quietest moment
  near the end of each window, and every window gets the prompt.

Windowing also gives progress ``(done, total)`` in seconds of audio and lets a job be
cancelled between windows.  ``faster_whisper`` is imported lazily.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from offscript.analysis.words import Word
from offscript.errors import ModelError
from offscript.speech.models import ResolvedModel, resolve_asr_model
from offscript.tasks import CancelToken, Progress, no_progress

SAMPLE_RATE = 16_000
FILLER_PROMPT = "Um, uh, hmm, er, ah."
WINDOW_S = 28.0
# Beam per model, measured on ../shared/speech (2 cores): with tiny.en, beam 3 kept the same
# filled pauses as beam 5 (recall 0.97) in 3.8 s instead of 9.9 s on a 60 s answer; with base,
# beam 5 was faster than beam 3 on the same answer (8.5 s vs 11.6 s: fewer fallback decodes).
BEAM_SIZE = {"fast": 3, "accurate": 5}
# Beam for live-caption drafts.  base decodes a 12 s window in 1.4 s with beam 5 and 1.0 s
# greedily on 2 cores: with beam 5 the captions lagged 2.3-2.7 s behind the speaker.
DRAFT_BEAM_SIZE = {"fast": 3, "accurate": 1}
DEFAULT_BEAM = 5
# faster-whisper's defaults: a decode beyond these is retried at a higher temperature.
_COMPRESSION_RATIO_LIMIT = 2.4
_LOG_PROB_LIMIT = -1.0
_SEARCH_S = 8.0  # look for a quiet cut point in the last seconds of each window
# When a decoded segment does not close with a timestamp, faster-whisper seeks to its end and
# decodes what is left, however little: the last 20 ms of a window padded to 30 s makes the
# decoder loop to its token limit (448) and then retry at five temperatures.  Measured on the
# base model, 2 cores: a 6 s live window took 5.3 s instead of 1.1 s, a tail 13.8 s once.  Less
# than this much audio after the last segment cannot hold a word, so decoding stops there.
END_SLACK_S = 0.3
_NON_SPEECH = re.compile(r"^[\[\(\*].*[\]\)\*]$|^_+[A-Z]+_*\]?$|^\[[A-Z_]+$")


@dataclass
class Transcript:
    words: list[Word]
    duration_s: float
    model: str
    language: str = "en"
    windows: list[tuple[float, float]] = field(default_factory=list)
    #: False for a draft whose decode would have been retried at a higher temperature
    #: (repetitive or improbable text): good enough for a caption, not for the feedback.
    reliable: bool = True

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


class Transcriber(Protocol):
    """What the app needs from a recogniser (the real one is faster-whisper; tests use fakes)."""

    name: str

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        offset_s: float = 0.0,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> Transcript: ...


def window_bounds(
    audio: np.ndarray, sr: int = SAMPLE_RATE, window_s: float = WINDOW_S
) -> list[tuple[int, int]]:
    """Cut ``audio`` into windows of at most ``window_s`` seconds, each ending in its quietest
    100 ms stretch near the window's end (so words are not cut in half)."""
    n = len(audio)
    max_len = int(window_s * sr)
    if n <= max_len:
        return [(0, n)] if n else []
    hop = sr // 100  # 10 ms frames
    frames = len(audio) // hop
    energy = np.square(audio[: frames * hop].reshape(frames, hop), dtype=np.float64).mean(axis=1)
    smooth = np.convolve(energy, np.ones(10) / 10, mode="same")  # 100 ms
    bounds: list[tuple[int, int]] = []
    start = 0
    while n - start > max_len:
        # search the last _SEARCH_S seconds, but never the first half: short windows must advance
        lo = (start + max(max_len - int(_SEARCH_S * sr), max_len // 2)) // hop
        hi = (start + max_len) // hop
        cut = (lo + int(np.argmin(smooth[lo:hi]))) * hop
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


def clean_words(raw: list[tuple[str, float, float, float]], offset_s: float = 0.0) -> list[Word]:
    """Turn faster-whisper (word, start, end, probability) tuples into Words, dropping
    non-speech tokens such as "[BLANK_AUDIO]" or "(laughs)"."""
    words: list[Word] = []
    for text, start, end, prob in raw:
        token = text.strip()
        if not token or _NON_SPEECH.match(token) or token in {"[BLANK", "_AUDIO]"}:
            continue
        words.append(
            Word(token, round(start + offset_s, 3), round(end + offset_s, 3), round(prob, 4))
        )
    return words


def _until_the_end(segments: Iterable[Any], duration_s: float) -> list[Any]:
    """Segments from faster-whisper's generator, stopping (so the decode stops) once one
    reaches within ``END_SLACK_S`` of the end of the audio."""
    out = []
    for seg in segments:
        out.append(seg)
        if seg.end >= duration_s - END_SLACK_S:
            break
    return out


class WhisperTranscriber:
    """faster-whisper on the CPU (int8), loaded on first use or by :meth:`load`."""

    def __init__(
        self,
        model: ResolvedModel | str = "fast",
        *,
        cpu_threads: int | None = None,
        compute_type: str = "int8",
        beam_size: int | None = None,
        initial_prompt: str | None = FILLER_PROMPT,
    ) -> None:
        self.model = model if isinstance(model, ResolvedModel) else resolve_asr_model(model)
        self.name = self.model.name
        self.cpu_threads = cpu_threads or max(1, os.cpu_count() or 1)
        self.compute_type = compute_type
        self.beam_size = beam_size or BEAM_SIZE.get(self.name, DEFAULT_BEAM)
        self.draft_beam_size = min(self.beam_size, DRAFT_BEAM_SIZE.get(self.name, self.beam_size))
        self.initial_prompt = initial_prompt
        self._whisper = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._whisper is not None

    def load(self) -> None:
        with self._lock:
            if self._whisper is not None:
                return
            try:
                from faster_whisper import WhisperModel

                self._whisper = WhisperModel(
                    str(self.model.path),
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self.cpu_threads,
                    local_files_only=True,
                )
            except Exception as exc:  # ctranslate2 raises RuntimeError/ValueError for bad files
                raise ModelError(f"Cannot load speech model '{self.model.path}': {exc}") from exc

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        offset_s: float = 0.0,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> Transcript:
        """Transcribe 16 kHz mono float32 ``audio``; word times are offset by ``offset_s``."""
        self.load()
        audio = np.ascontiguousarray(audio, dtype=np.float32)
        total = len(audio) / SAMPLE_RATE
        words: list[Word] = []
        windows: list[tuple[float, float]] = []
        progress(0.0, total)
        for a, b in window_bounds(audio):
            if cancel is not None:
                cancel.raise_if_cancelled()
            words.extend(self._transcribe_window(audio[a:b], offset_s + a / SAMPLE_RATE))
            windows.append((offset_s + a / SAMPLE_RATE, offset_s + b / SAMPLE_RATE))
            progress(b / SAMPLE_RATE, total)
        return Transcript(words=words, duration_s=total, model=self.name, windows=windows)

    def transcribe_draft(
        self, audio: np.ndarray, *, offset_s: float = 0.0, cancel: CancelToken | None = None
    ) -> Transcript:
        """A quicker transcription for live captions: no retries at higher temperatures, which
        on hard audio can take several times as long as the first decode.  ``reliable`` says
        whether a full transcription would have retried."""
        self.load()
        audio = np.ascontiguousarray(audio, dtype=np.float32)
        words: list[Word] = []
        reliable = True
        for a, b in window_bounds(audio):
            if cancel is not None:
                cancel.raise_if_cancelled()
            window_words, ok = self._decode(audio[a:b], offset_s + a / SAMPLE_RATE, draft=True)
            words.extend(window_words)
            reliable = reliable and ok
        return Transcript(words=words, duration_s=len(audio) / SAMPLE_RATE, model=self.name,
                          reliable=reliable)

    def _transcribe_window(self, audio: np.ndarray, offset_s: float) -> list[Word]:
        return self._decode(audio, offset_s)[0]

    def _decode(self, audio: np.ndarray, offset_s: float, draft: bool = False
                ) -> tuple[list[Word], bool]:
        with self._lock:
            segments, _info = self._whisper.transcribe(
                audio,
                language="en",
                beam_size=self.draft_beam_size if draft else self.beam_size,
                word_timestamps=True,
                initial_prompt=self.initial_prompt,
                condition_on_previous_text=False,
                vad_filter=False,
                **({"temperature": 0.0} if draft else {}),
            )
            segments = _until_the_end(segments, len(audio) / SAMPLE_RATE)
        raw = [(w.word, w.start, w.end, w.probability) for seg in segments for w in seg.words or []]
        reliable = all(seg.compression_ratio <= _COMPRESSION_RATIO_LIMIT
                       and seg.avg_logprob >= _LOG_PROB_LIMIT for seg in segments)
        return clean_words(raw, offset_s), reliable

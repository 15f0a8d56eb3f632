"""Text to speech with Piper, streamed sentence by sentence, with a disk cache.

The first sentence is yielded as soon as Piper has produced it, so playback can start while
the rest is still being synthesised.  A finished synthesis is cached on disk keyed by
(voice, text, speed); a cached question plays at once.  ``piper`` is imported lazily.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from offscript.errors import ModelError
from offscript.paths import cache_dir
from offscript.speech.voices import VoiceFiles, resolve_voice
from offscript.tasks import CancelToken

CACHE_VERSION = 1

# Piper starts an utterance with 20-160 ms of near silence (it varies from run to run: the
# voice samples its noise).  The listener hears the interviewer start only when the sound does,
# so that lead is cut to LEAD_KEEP_S before the first sample above ONSET_LEVEL (-40 dBFS; what
# comes before is inaudible under any room noise).  This was most of the measured "speech
# start" of pre-synthesised questions (55 ms median, up to 180 ms).
ONSET_LEVEL = 0.01
LEAD_KEEP_S = 0.01


def trim_leading_silence(audio: np.ndarray, samplerate: int) -> np.ndarray:
    """``audio`` from ``LEAD_KEEP_S`` before its first audible sample (unchanged if none)."""
    loud = np.flatnonzero(np.abs(audio) > ONSET_LEVEL)
    if loud.size == 0:
        return audio
    return audio[max(0, int(loud[0]) - round(LEAD_KEEP_S * samplerate)):]


_CLAUSE = re.compile(r"^(.{12,}?[,;:])\s+(\S.*)$", re.S)


def speech_parts(text: str) -> list[str]:
    """Split off the first clause (up to a comma, colon or semicolon) so the first audio is
    ready sooner: Piper synthesises a whole sentence before returning any of it.  The rest
    goes to Piper in one piece and is split into sentences there."""
    text = text.strip()
    first_sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    m = _CLAUSE.match(first_sentence)
    if m is None or len(first_sentence.split()) < 8:
        return [text]
    head = m.group(1)
    return [head, text[len(head):].strip()]


class Voice(Protocol):
    """What the app needs from an interviewer voice (the real one is Piper; tests use fakes)."""

    id: str

    @property
    def samplerate(self) -> int: ...

    def synthesize(
        self, text: str, speed: float = 1.0, cancel: CancelToken | None = None
    ) -> Iterator[np.ndarray]: ...


class PiperTTS:
    """A Piper voice yielding float32 mono chunks in [-1, 1] at :attr:`samplerate`."""

    def __init__(self, files: VoiceFiles, cache: Path | None = None) -> None:
        self.files = files
        self.id = files.id
        self._cache = cache if cache is not None else cache_dir() / "tts"
        self._voice = None
        self._lock = threading.Lock()
        try:
            config = json.loads(files.config.read_text(encoding="utf-8"))
            self._samplerate = int(config["audio"]["sample_rate"])
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelError(
                f"Voice config '{files.config}' has no audio.sample_rate: {exc}"
            ) from exc

    @classmethod
    def from_name(cls, name_or_path: str | None = None, cache: Path | None = None) -> PiperTTS:
        return cls(resolve_voice(name_or_path), cache)

    @property
    def samplerate(self) -> int:
        return self._samplerate

    @property
    def loaded(self) -> bool:
        return self._voice is not None

    def load(self) -> None:
        """Load the ONNX voice (about 0.5 s); called lazily by :meth:`synthesize`."""
        with self._lock:
            if self._voice is not None:
                return
            try:
                from piper import PiperVoice

                self._voice = PiperVoice.load(self.files.model, self.files.config)
            except Exception as exc:  # onnxruntime raises its own types for damaged files
                raise ModelError(f"Cannot load voice '{self.files.model}': {exc}") from exc

    def cache_path(self, text: str, speed: float) -> Path:
        model_size = self.files.model.stat().st_size if self.files.model.exists() else 0
        key = json.dumps([CACHE_VERSION, self.id, model_size, text.strip(), round(speed, 3)])
        return self._cache / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.wav"

    def is_cached(self, text: str, speed: float = 1.0) -> bool:
        return self.cache_path(text, speed).is_file()

    def synthesize(
        self, text: str, speed: float = 1.0, cancel: CancelToken | None = None
    ) -> Iterator[np.ndarray]:
        """Yield audio chunks (one per sentence); served from the cache when possible."""
        if not text.strip():
            return
        cached = self._read_cache(text, speed)
        if cached is not None:
            yield trim_leading_silence(cached, self._samplerate)  # caches of older versions
            return
        self.load()
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=1.0 / max(0.25, min(speed, 4.0)))
        chunks: list[np.ndarray] = []
        for part in speech_parts(text):
            # onnxruntime sessions are safe to run from several threads: no lock while
            # the generator runs, so a pre-synthesis never delays the question being asked.
            for chunk in self._voice.synthesize(part, syn_config=config):
                if cancel is not None and cancel.cancelled:
                    return
                audio = chunk.audio_int16_array.astype(np.float32) / 32768.0
                if not chunks:
                    audio = trim_leading_silence(audio, self._samplerate)
                chunks.append(audio)
                yield audio
        if chunks:
            self._write_cache(text, speed, np.concatenate(chunks))

    def presynthesize(self, text: str, speed: float = 1.0) -> None:
        """Fill the cache for ``text`` so that speaking it later starts at once."""
        for _ in self.synthesize(text, speed):
            pass

    def synthesize_all(self, text: str, speed: float = 1.0) -> np.ndarray:
        parts = list(self.synthesize(text, speed))
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)

    def _read_cache(self, text: str, speed: float) -> np.ndarray | None:
        path = self.cache_path(text, speed)
        if not path.is_file():
            return None
        import soundfile as sf

        try:
            if not _wav_is_complete(path):
                # libsndfile reads a cut-off WAV without complaint: half a question would be
                # served from the cache for ever
                raise RuntimeError("truncated")
            audio, sr = sf.read(path, dtype="float32")
        except (OSError, RuntimeError, sf.LibsndfileError):
            path.unlink(missing_ok=True)  # damaged cache entry: synthesise again
            return None
        return audio if sr == self._samplerate and audio.ndim == 1 else None

    def _write_cache(self, text: str, speed: float, audio: np.ndarray) -> None:
        import soundfile as sf

        from offscript.store.atomic import atomic_write_bytes

        buf = io.BytesIO()
        sf.write(buf, audio, self._samplerate, format="WAV", subtype="PCM_16")
        try:
            self._cache.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.cache_path(text, speed), buf.getvalue())
        except OSError:
            pass  # a cache that cannot be written only costs time, never the answer


def _wav_is_complete(path: Path) -> bool:
    """True if the RIFF header's size matches the file's size (our cache writes PCM WAV)."""
    with open(path, "rb") as f:
        head = f.read(12)
    return (
        len(head) == 12
        and head[:4] == b"RIFF"
        and head[8:] == b"WAVE"
        and int.from_bytes(head[4:8], "little") + 8 == path.stat().st_size
    )

"""Crash-safe incremental recording: raw PCM on disk while recording, FLAC when done.

While a take is being recorded its audio goes to ``<incoming>/<take_id>.pcm`` (16-bit
little-endian interleaved PCM, appended) next to ``<take_id>.json`` (samplerate, channels,
started_at; written atomically *before* the PCM file exists).  Raw PCM needs no header or
footer, so a file cut off by a crash is still valid up to its last whole frame.

Durability: audio reaches the OS (page cache) at least every ``flush_interval_s`` of audio,
so killing the process loses at most that much plus the block in flight; it is fsynced every
``fsync_interval_s`` against power loss.  ``finish`` and :func:`recover_unfinished` write the
FLAC atomically and delete the PCM only after the FLAC is durable, so a crash at any point
leaves either the PCM (recovery redoes the work) or a complete FLAC.

Threads: ``write`` runs on the audio consumer thread, ``finish``/``discard`` on another.  An
internal lock makes them mutually exclusive, so a ``write`` racing with ``finish`` either
lands completely before the file is closed or raises ``RuntimeError`` afterwards.  Call
``finish`` after the last ``write`` (stop the stream, drain the queue, then finish).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import soundfile as sf

from offscript.store.atomic import atomic_output, atomic_write_text, fsync_dir
from offscript.store.failures import os_failure

log = logging.getLogger(__name__)

BYTES_PER_SAMPLE = 2  # int16
_CONVERT_CHUNK_FRAMES = 1 << 18


class EmptyRecordingError(ValueError):
    """A recording holds no whole frame: there is nothing to save (FLAC cannot be empty)."""


@dataclass(frozen=True)
class RecoveredRecording:
    take_id: int
    path: Path
    duration_s: float


def pcm_path(incoming_dir: Path, take_id: int) -> Path:
    return incoming_dir / f"{take_id}.pcm"


def sidecar_path(incoming_dir: Path, take_id: int) -> Path:
    return incoming_dir / f"{take_id}.json"


def float_to_int16(block: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] to int16, the inverse of soundfile's int16 -> float (x/32768)."""
    scaled = np.rint(np.asarray(block, dtype=np.float64) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype("<i2")


class RecordingWriter:
    """Appends one take's audio to disk as it arrives; see the module docstring."""

    def __init__(
        self,
        incoming_dir: Path,
        take_id: int,
        samplerate: int,
        channels: int,
        *,
        flush_interval_s: float = 0.25,
        fsync_interval_s: float = 2.0,
    ) -> None:
        if samplerate <= 0 or channels <= 0:
            raise ValueError(f"bad format: {samplerate} Hz, {channels} channels")
        self.incoming_dir = Path(incoming_dir)
        self.take_id = take_id
        self.samplerate = samplerate
        self.channels = channels
        self.pcm_path = pcm_path(self.incoming_dir, take_id)
        self._flush_frames = max(1, int(flush_interval_s * samplerate))
        self._fsync_frames = max(1, int(fsync_interval_s * samplerate))
        self._lock = threading.Lock()
        self._pending: list[bytes] = []
        self._pending_frames = 0
        self._frames_since_fsync = 0
        self._frames = 0
        meta = {
            "take_id": take_id,
            "samplerate": samplerate,
            "channels": channels,
            "sample_format": "s16le",
            "started_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
        atomic_write_text(sidecar_path(self.incoming_dir, take_id), json.dumps(meta))
        # "x": never append to (or clobber) audio left by another take with this id.
        self._file = open(self.pcm_path, "xb", buffering=0)  # noqa: SIM115 - closed in finish
        fsync_dir(self.incoming_dir)

    @property
    def frames_written(self) -> int:
        """Frames accepted by ``write`` so far (including any not yet flushed)."""
        return self._frames

    @property
    def duration_s(self) -> float:
        return self._frames / self.samplerate

    def write(self, block: np.ndarray) -> None:
        """Append a float block shaped ``(frames, channels)``, or ``(frames,)`` when mono."""
        samples = np.asarray(block)
        if samples.ndim == 1 and self.channels == 1:
            samples = samples[:, None]
        if samples.ndim != 2 or samples.shape[1] != self.channels:
            raise ValueError(
                f"expected a (frames, {self.channels}) block, got shape {samples.shape}"
            )
        data = float_to_int16(samples).tobytes()
        with self._lock:
            if self._file.closed:
                raise RuntimeError(f"take {self.take_id}: write() after finish()")
            self._pending.append(data)
            self._pending_frames += samples.shape[0]
            self._frames += samples.shape[0]
            if self._pending_frames >= self._flush_frames:
                self._flush_locked()

    def _flush_locked(self, *, force_fsync: bool = False) -> None:
        try:
            if self._pending:
                self._write_all_pending()
            if force_fsync or self._frames_since_fsync >= self._fsync_frames:
                os.fsync(self._file.fileno())
                self._frames_since_fsync = 0
        except OSError as exc:
            raise os_failure(exc, self.incoming_dir, "saving a recording") from exc

    def _write_all_pending(self) -> None:
        """Hand pending audio to the OS; on error keep the unwritten rest for a retry.

        The file is unbuffered, so each ``write`` is one system call that may write part of
        the data; keeping the exact remainder means a retry never tears a frame.
        """
        data = memoryview(b"".join(self._pending))
        self._pending = [bytes(data)]
        written = 0
        try:
            while written < len(data):
                written += self._file.write(data[written:]) or 0
        finally:
            self._pending = [bytes(data[written:])] if written < len(data) else []
        self._frames_since_fsync += self._pending_frames
        self._pending_frames = 0

    def finish(self, final_path: Path) -> tuple[Path, float]:
        """Close the recording and turn it into FLAC at ``final_path``; return (path, seconds).

        Raises :class:`EmptyRecordingError` (after discarding the files) if nothing was written.
        """
        with self._lock:
            if self._file.closed:
                raise RuntimeError(f"take {self.take_id}: finish() called twice")
            try:
                self._flush_locked(force_fsync=True)
            finally:
                self._file.close()
        if self._frames == 0:
            self.discard()
            raise EmptyRecordingError(f"take {self.take_id}: nothing was recorded")
        duration = convert_pcm_to_flac(
            self.pcm_path, final_path, self.samplerate, self.channels
        )
        _remove_incoming(self.incoming_dir, self.take_id)
        return Path(final_path), duration

    def discard(self) -> None:
        """Close and delete the recording (for a take with nothing worth keeping)."""
        with self._lock:
            if not self._file.closed:
                self._file.close()
        _remove_incoming(self.incoming_dir, self.take_id)


def convert_pcm_to_flac(pcm: Path, final_path: Path, samplerate: int, channels: int) -> float:
    """Write the whole frames of ``pcm`` as FLAC at ``final_path`` (atomically); return seconds.

    Leaves ``pcm`` in place: the caller deletes it once this has returned (FLAC durable).
    Raises :class:`EmptyRecordingError` if there is no whole frame (libsndfile would write a
    0-byte, unreadable ".flac").
    """
    final_path = Path(final_path)
    final_path.parent.mkdir(parents=True, exist_ok=True)
    frame_bytes = BYTES_PER_SAMPLE * channels
    total_frames = pcm.stat().st_size // frame_bytes  # a torn trailing frame is dropped
    if total_frames == 0:
        raise EmptyRecordingError(f"{pcm} holds no whole frame")
    with atomic_output(final_path) as temp, open(pcm, "rb") as source, sf.SoundFile(
        temp, "w", samplerate=samplerate, channels=channels, format="FLAC", subtype="PCM_16"
    ) as flac:
        remaining = total_frames
        while remaining > 0:
            count = min(remaining, _CONVERT_CHUNK_FRAMES)
            raw = source.read(count * frame_bytes)
            frames = np.frombuffer(raw, dtype="<i2").reshape(-1, channels)
            flac.write(frames)
            remaining -= count
    return total_frames / samplerate


def _remove_incoming(incoming_dir: Path, take_id: int) -> None:
    pcm_path(incoming_dir, take_id).unlink(missing_ok=True)
    sidecar_path(incoming_dir, take_id).unlink(missing_ok=True)
    fsync_dir(incoming_dir)


def _read_sidecar(path: Path) -> tuple[int, int]:
    meta = json.loads(path.read_text(encoding="utf-8"))
    samplerate, channels = int(meta["samplerate"]), int(meta["channels"])
    if samplerate <= 0 or channels <= 0:
        raise ValueError(f"bad format {samplerate} Hz, {channels} channels")
    return samplerate, channels


def recover_unfinished(
    incoming_dir: Path,
    audio_dir: Path,
    final_path_for: dict[int, Path] | None = None,
    skip: Collection[int] = (),
) -> list[RecoveredRecording]:
    """Turn PCM files left by a crash into FLAC; return what was recovered.

    Each ``<take_id>.pcm`` goes to ``final_path_for[take_id]`` if given, else to
    ``audio_dir/<take_id>.flac``.  Idempotent and crash-safe: the PCM is deleted only after
    its FLAC is durable, so running it again after a crash finishes the job.  A PCM whose
    sidecar is missing or unreadable is left alone (logged) rather than guessed at.
    Takes in ``skip`` (recording right now) are left alone; call it at start-up.
    """
    incoming_dir, audio_dir = Path(incoming_dir), Path(audio_dir)
    recovered: list[RecoveredRecording] = []
    if not incoming_dir.is_dir():
        return recovered
    for pcm in sorted(incoming_dir.glob("*.pcm")):
        try:
            take_id = int(pcm.stem)
        except ValueError:
            log.warning("leaving %s alone: not named after a take id", pcm)
            continue
        if take_id in skip:
            continue
        try:
            samplerate, channels = _read_sidecar(sidecar_path(incoming_dir, take_id))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("leaving %s alone: its sidecar is missing or unreadable (%s)", pcm, exc)
            continue
        target = (final_path_for or {}).get(take_id, audio_dir / f"{take_id}.flac")
        started = time.monotonic()
        try:
            duration = convert_pcm_to_flac(pcm, target, samplerate, channels)
        except EmptyRecordingError:
            log.info("take %d: crash left an empty recording; removing it", take_id)
            _remove_incoming(incoming_dir, take_id)
            continue
        _remove_incoming(incoming_dir, take_id)
        log.info(
            "recovered take %d: %.2f s of audio into %s (%.0f ms)",
            take_id, duration, target, 1000 * (time.monotonic() - started),
        )
        recovered.append(RecoveredRecording(take_id, Path(target), duration))
    return recovered

"""Reading answers recorded elsewhere: wav/flac/ogg/mp3 at any rate, as mono float32.

Every problem with the file becomes a :class:`BadInputError` with one line saying what is
wrong, so the CLI and the UI can show it as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from offscript.errors import BadInputError

SUPPORTED = "wav, flac, ogg or mp3"
_PLACEHOLDER_SIZES = {0, 0xFFFFFFFF, 0x7FFFFFFF, 0x7FFFF000}  # streaming writers' "unknown"


@dataclass(frozen=True)
class LoadedAudio:
    samples: np.ndarray
    """Mono float32 at :attr:`samplerate`."""
    samplerate: int
    original_sr: int
    channels: int
    """Channels in the file (they are averaged to mono)."""
    duration_s: float


def _wav_truncated(extra_info: str) -> bool:
    """libsndfile notes "data : 96000 (should be 47978)" when the file ends early."""
    m = re.search(r"^data\s*:\s*(\d+)\s*\(should be (\d+)\)", extra_info, re.MULTILINE)
    if not m:
        return False
    declared, actual = int(m.group(1)), int(m.group(2))
    return declared > actual and declared not in _PLACEHOLDER_SIZES


def _ogg_truncated(path: Path) -> bool:
    """An Ogg stream ends with a page flagged end-of-stream; a cut-off file lacks it."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 65536))
        tail = f.read()
    i = tail.rfind(b"OggS")
    return i < 0 or len(tail) < i + 6 or not tail[i + 5] & 0x04


def load_audio(path: str | Path, target_sr: int = 16000) -> LoadedAudio:
    """Read ``path`` as mono float32 at ``target_sr`` (resampled with soxr if needed)."""
    import soundfile as sf

    p = Path(path)
    if not p.exists():
        raise BadInputError(f"{p}: no such file.")
    if p.is_dir():
        raise BadInputError(f"{p}: is a folder, not an audio file.")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise BadInputError(f"{p}: cannot read it ({exc.strerror}).") from exc
    if size == 0:
        raise BadInputError(f"{p}: the file is empty (0 bytes).")
    try:
        with sf.SoundFile(str(p)) as f:
            declared, sr, channels = f.frames, int(f.samplerate), int(f.channels)
            info, container = f.extra_info, f.format
            data = f.read(dtype="float32", always_2d=True)
    except PermissionError as exc:
        raise BadInputError(f"{p}: permission denied; check the file's permissions.") from exc
    except (sf.LibsndfileError, RuntimeError, OSError, ValueError) as exc:
        raise BadInputError(
            f"{p}: not a readable audio file (damaged, or not {SUPPORTED}); convert it to WAV."
        ) from exc
    if len(data) < declared or _wav_truncated(info) or (container == "OGG" and _ogg_truncated(p)):
        raise BadInputError(
            f"{p}: the file is truncated (incomplete copy or download?); export it again."
        )
    if len(data) == 0:
        raise BadInputError(f"{p}: the audio is empty (0 seconds).")
    mono = data.mean(axis=1, dtype=np.float32) if channels > 1 else data[:, 0]
    if sr != target_sr:
        import soxr

        mono = soxr.resample(mono, sr, target_sr, quality="HQ").astype(np.float32, copy=False)
    return LoadedAudio(
        samples=np.ascontiguousarray(mono, dtype=np.float32),
        samplerate=target_sr,
        original_sr=sr,
        channels=channels,
        duration_s=len(data) / sr,
    )


def is_silence(
    samples: np.ndarray,
    sr: int,
    peak_floor_dbfs: float = -50.0,
    above_floor_db: float = 15.0,
    min_active_s: float = 0.15,
) -> bool:
    """True if ``samples`` hold nothing worth transcribing (callers say "silence only").

    Silence means: the peak stays below ``peak_floor_dbfs``, or less than ``min_active_s``
    of 20 ms frames rise ``above_floor_db`` over the background (the 10th percentile of frame
    levels, at least -75 dBFS).  So a quiet speaker counts as speech, while a hiss, a hum or a
    click or two in a quiet room do not.
    """
    a = np.asarray(samples, dtype=np.float32).ravel()
    if a.size == 0 or float(np.max(np.abs(a))) <= 10 ** (peak_floor_dbfs / 20):
        return True
    frame = max(1, int(sr * 0.02))
    n = a.size // frame
    if n == 0:
        return True
    ms = np.mean(np.square(a[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)
    db = 10 * np.log10(np.maximum(ms, 1e-12))
    threshold = max(float(np.percentile(db, 10)), -75.0) + above_floor_db
    active = int(np.count_nonzero(db > threshold))
    return active * frame / sr < min_active_s

"""Loading answers from files: formats, rates, channels, and every way a file can be bad."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import soxr

from offscript.audio.audio_files import LoadedAudio, is_silence, load_audio
from offscript.errors import BadInputError

CLIP = "mfamono_cold_corpus.wav"


@pytest.fixture(scope="module")
def speech(speech_dir: Path) -> tuple[np.ndarray, int]:
    """Four seconds of real speech (float32 mono) and its rate."""
    x, sr = sf.read(speech_dir / "audio" / CLIP, dtype="float32")
    return x[sr : sr * 5], sr


def corr(a: np.ndarray, b: np.ndarray) -> float:
    n = min(len(a), len(b))
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


@pytest.mark.parametrize(
    ("fmt", "subtype", "min_corr"),
    [("WAV", "PCM_16", 0.999), ("FLAC", "PCM_16", 0.999), ("OGG", "VORBIS", 0.95),
     ("MP3", "MPEG_LAYER_III", 0.95)],
)  # fmt: skip
def test_each_format_loads_as_the_same_speech(
    tmp_path: Path, speech: tuple[np.ndarray, int], fmt: str, subtype: str, min_corr: float
) -> None:
    x, sr = speech
    path = tmp_path / f"answer.{fmt.lower()}"
    sf.write(path, x, sr, format=fmt, subtype=subtype)
    a = load_audio(path, target_sr=sr)
    assert isinstance(a, LoadedAudio)
    assert a.samples.dtype == np.float32 and a.samples.ndim == 1
    assert (a.samplerate, a.original_sr, a.channels) == (sr, sr, 1)
    assert a.duration_s == pytest.approx(4.0, abs=0.06)
    assert len(a.samples) == pytest.approx(len(x), abs=0.06 * sr)
    # mp3 adds encoder delay: compare after the best small shift
    best = (
        max(corr(a.samples[k:], x) for k in range(0, 2000, 1))
        if fmt == "MP3"
        else corr(a.samples, x)
    )
    assert best >= min_corr


def test_8_khz_is_resampled_up_to_16_khz(tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    x, sr = speech
    x8 = soxr.resample(x, sr, 8000)
    path = tmp_path / "phone.wav"
    sf.write(path, x8, 8000)
    a = load_audio(path, target_sr=16000)
    assert (a.samplerate, a.original_sr) == (16000, 8000)
    assert len(a.samples) == pytest.approx(2 * len(x8), abs=2)
    assert a.duration_s == pytest.approx(len(x8) / 8000)
    # the 0-4 kHz band survives; compare with the original band-limited the same way
    assert corr(a.samples, soxr.resample(x8, 8000, 16000)) > 0.999
    assert corr(a.samples, x) > 0.9


def test_48_khz_stereo_is_averaged_to_mono_and_resampled(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    x, sr = speech
    x48 = soxr.resample(x, sr, 48000)
    left, right = 0.8 * x48, 0.4 * x48
    path = tmp_path / "studio.flac"
    sf.write(path, np.stack([left, right], axis=1), 48000)
    a = load_audio(path)  # default target 16 kHz
    assert (a.samplerate, a.original_sr, a.channels) == (16000, 48000, 2)
    assert len(a.samples) == pytest.approx(len(x), abs=3)
    assert corr(a.samples, x) > 0.999
    assert np.std(a.samples) == pytest.approx(0.6 * np.std(x), rel=0.02)  # the mean of 0.8 and 0.4


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def truncated(tmp_path: Path, x: np.ndarray, sr: int, fmt: str) -> Path:
    whole = tmp_path / f"whole.{fmt.lower()}"
    sf.write(whole, x, sr, format=fmt)
    data = whole.read_bytes()
    return write_bytes(tmp_path / f"cut.{fmt.lower()}", data[: len(data) // 2])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"nope\.wav: no such file\.$"):
        load_audio(tmp_path / "nope.wav")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="is a folder, not an audio file"):
        load_audio(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"the file is empty \(0 bytes\)"):
        load_audio(write_bytes(tmp_path / "empty.wav", b""))


@pytest.mark.parametrize(
    "content", [b"Tell me about yourself.\n" * 20, bytes(range(256)) * 8, b"RIFF\x00\x00"]
)
def test_not_audio(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(BadInputError, match=r"not a readable audio file .*wav, flac, ogg or mp3"):
        load_audio(write_bytes(tmp_path / "answer.wav", content))


def test_header_only_wav_is_not_readable(tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    x, sr = speech
    sf.write(tmp_path / "a.wav", x, sr)
    with pytest.raises(BadInputError, match="not a readable audio file"):
        load_audio(write_bytes(tmp_path / "b.wav", (tmp_path / "a.wav").read_bytes()[:30]))


@pytest.mark.parametrize("fmt", ["WAV", "OGG", "MP3"])
def test_truncated_file(tmp_path: Path, speech: tuple[np.ndarray, int], fmt: str) -> None:
    x, sr = speech
    with pytest.raises(BadInputError, match="the file is truncated"):
        load_audio(truncated(tmp_path, x, sr, fmt))


def test_truncated_flac_is_reported_as_damaged(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    x, sr = speech
    with pytest.raises(BadInputError, match="damaged"):
        load_audio(truncated(tmp_path, x, sr, "FLAC"))


def test_zero_length_audio(tmp_path: Path) -> None:
    path = tmp_path / "nothing.wav"
    sf.write(path, np.zeros(0, np.float32), 16000)
    with pytest.raises(BadInputError, match=r"the audio is empty \(0 seconds\)"):
        load_audio(path)


def test_messages_are_one_line_starting_with_the_path(tmp_path: Path) -> None:
    cases = [tmp_path / "missing.wav", tmp_path, write_bytes(tmp_path / "x.mp3", b"junk" * 50)]
    for path in cases:
        with pytest.raises(BadInputError) as err:
            load_audio(path)
        msg = str(err.value)
        assert msg.startswith(str(path)) and "\n" not in msg


def test_speech_is_not_silence(speech: tuple[np.ndarray, int]) -> None:
    x, sr = speech
    assert not is_silence(x, sr)
    assert not is_silence(0.05 * x, sr)  # a quiet speaker (-26 dB) still counts


@pytest.mark.parametrize(
    "make",
    [
        lambda n, rng: np.zeros(n, np.float32),
        lambda n, rng: (10 ** (-60 / 20) * rng.standard_normal(n)).astype(np.float32),
        lambda n, rng: np.where(np.arange(n) == n // 2, 0.5, 0.0).astype(np.float32),  # a click
    ],
    ids=["digital-silence", "room-noise-60dB", "single-click"],
)
def test_silence_only_input_is_detected(make) -> None:
    rng = np.random.default_rng(7)
    assert is_silence(make(16000 * 3, rng), 16000)
    assert is_silence(np.zeros(0, np.float32), 16000)


def test_silent_file_loads_but_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "quiet.wav"
    sf.write(path, np.zeros(16000 * 2, np.float32), 16000)
    a = load_audio(path)
    assert a.duration_s == pytest.approx(2.0)
    assert is_silence(a.samples, a.samplerate)


def test_steady_noise_is_not_speech_but_speech_over_noise_is(
    speech: tuple[np.ndarray, int],
) -> None:
    x, sr = speech
    rng = np.random.default_rng(3)
    hiss = (0.03 * rng.standard_normal(len(x))).astype(np.float32)  # about -30 dBFS
    assert is_silence(hiss, sr)
    assert not is_silence(x + 0.1 * hiss, sr)


def test_no_clip_of_the_speech_set_counts_as_silence(
    speech_dir: Path, speech_manifest: dict[str, dict]
) -> None:
    flagged = []
    for clip_id, row in speech_manifest.items():
        a = load_audio(speech_dir / row["file"])
        if is_silence(a.samples, a.samplerate):
            flagged.append(clip_id)
    assert len(speech_manifest) > 10
    assert flagged == []

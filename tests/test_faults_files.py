"""Bad files and data given to ``offscript``: one clear line on stderr, exit code 2, nothing lost.

Inputs tried: every entry of ``BAD_AUDIO`` and ``BAD_BANKS`` below, a damaged model folder, a
data folder that is read-only, under a file, or full; and audio that is odd but fine (8 kHz,
48 kHz stereo, a 10-minute answer) must be analysed.  The 30-minute answer is in
``test_faults_long.py`` (minutes of transcription: opt-in).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from offscript.cli import main
from offscript.errors import StoreError
from test_cli import COMMAND, assert_one_line_error, json_lines, offscript
from test_content_import_cli import user_bank

CLIP = "mfamono_cold_corpus"
SHORT_CLIP = "psphinx_ss0880"
LONG_MINUTES = 10


def _speech(speech_dir: Path, clip: str = SHORT_CLIP) -> tuple[np.ndarray, int]:
    return sf.read(speech_dir / "audio" / f"{clip}.wav", dtype="float32")


def _wav_bytes(audio: np.ndarray, sr: int, fmt: str = "WAV", subtype: str = "PCM_16") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, audio, sr, format=fmt, subtype=subtype)
    return buf.getvalue()


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


Maker = Callable[[np.ndarray, int], bytes]
BAD_AUDIO: dict[str, tuple[str, Maker]] = {
    "empty": (".wav", lambda a, sr: b""),
    "truncated wav": (".wav", lambda a, sr: _half(_wav_bytes(a, sr))),
    "truncated flac": (".flac", lambda a, sr: _half(_wav_bytes(a, sr, "FLAC"))),
    "truncated ogg": (".ogg", lambda a, sr: _half(_wav_bytes(a, sr, "OGG", "VORBIS"))),
    "header only": (".wav", lambda a, sr: _wav_bytes(a[:0], sr)),
    "text named .wav": (".wav", lambda a, sr: b"This is not audio at all.\n" * 40),
    "random bytes .mp3": (".mp3", lambda a, sr: np.random.default_rng(3).bytes(20_000)),
    "png named .flac": (".flac", lambda a, sr: b"\x89PNG\r\n\x1a\n" + bytes(2000)),
    "RIFF header, garbage": (".wav", lambda a, sr: b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(99)),
    "silence only": (".wav", lambda a, sr: _wav_bytes(np.zeros(3 * sr, np.float32), sr)),
    "faint hiss only": (
        ".wav",
        lambda a, sr: _wav_bytes(
            np.random.default_rng(4).normal(0, 1e-4, 3 * sr).astype(np.float32), sr
        ),
    ),
    "a click in silence": (
        ".wav",
        lambda a, sr: _wav_bytes(
            np.concatenate([np.zeros(sr, np.float32), [0.9], np.zeros(sr, np.float32)]), sr
        ),
    ),
    "empty transcript": (".txt", lambda a, sr: b"  \n\n"),
    "non-UTF-8 transcript": (".txt", lambda a, sr: "Um, café".encode("latin-1")),
}


def _run_in_process(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", list(BAD_AUDIO))
def test_bad_input_file_gives_one_line_and_exit_2(
    name: str, speech_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suffix, make = BAD_AUDIO[name]
    audio, sr = _speech(speech_dir)
    path = tmp_path / f"input{suffix}"
    path.write_bytes(make(audio, sr))
    code, err = _run_in_process(capsys, "analyse", "--json", path)
    print(f"\n{name}: {err.strip()}")
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("offscript: ") and str(path) in err


def test_missing_file_and_folder_give_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run_in_process(capsys, "analyse", tmp_path / "nope.wav", tmp_path)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 2 and "no such file" in lines[0] and "folder" in lines[1]


@pytest.mark.models
def test_8_khz_mono_and_48_khz_stereo_are_analysed(speech_dir: Path, tmp_path: Path) -> None:
    import soxr

    audio, sr = _speech(speech_dir)
    narrow = tmp_path / "phone-8k.wav"
    sf.write(narrow, soxr.resample(audio, sr, 8000), 8000)
    wide = tmp_path / "stereo-48k.wav"
    up = soxr.resample(audio, sr, 48000)
    sf.write(wide, np.stack([up, 0.5 * up], axis=1), 48000)
    result = offscript("analyse", "--json", narrow, wide)
    assert result.returncode == 0, result.stderr
    a, b = json_lines(result.stdout)
    for data in (a, b):
        assert data["duration_s"] == pytest.approx(len(audio) / sr, abs=0.01)
        assert len(data["words"]) >= 5, data["transcript"]


PEAK_RSS = (
    "import sys\n"
    "from offscript.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "from offscript.process_memory import peak_rss_mb\n"
    "peak = round(peak_rss_mb())\n"
    "print(f'peak_rss_mb={peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@pytest.mark.models
def test_ten_minute_answer_is_analysed_with_bounded_memory(
    speech_dir: Path, tmp_path: Path
) -> None:
    """A 10-minute answer (real speech tiled with pauses) through the whole CLI.

    10 rather than 30 minutes: 30 take about two minutes to transcribe on a 2-core machine
    (see test_faults_long.py, opt-in); memory grows linearly with length (about 0.3 GB per
    10 minutes over a 0.3 GB base), so this bounds the 30-minute case too.
    """
    audio, sr = _speech(speech_dir, CLIP)
    unit = np.concatenate([audio, np.zeros(sr, np.float32)])
    long = np.tile(unit, LONG_MINUTES * 60 * sr // len(unit) + 1)[: LONG_MINUTES * 60 * sr]
    path = tmp_path / "long.flac"
    sf.write(path, long, sr)
    # (Until pitch tracking moved from librosa to numpy YIN, numba compiled its kernels in
    # the measured process on a fresh clone: 1.24 GB instead of 0.5 GB.  Nothing compiles now.)
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, "analyse", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (data,) = json_lines(result.stdout)
    peak_mb = int(result.stderr.rsplit("peak_rss_mb=", 1)[1])
    print(
        f"\n{LONG_MINUTES}-minute answer: {len(data['words'])} words, "
        f"{data['timing']['wall_s']} s, peak RSS {peak_mb} MB"
    )
    assert data["duration_s"] == pytest.approx(LONG_MINUTES * 60)
    assert len(data["words"]) > LONG_MINUTES * 60
    assert peak_mb < 1024, f"peak {peak_mb} MB; environment: {sorted(os.environ)}"


# --- models -------------------------------------------------------------------------------


@pytest.mark.models
def test_damaged_model_folder_gives_one_line_and_exit_2(speech_dir: Path, tmp_path: Path) -> None:
    from offscript.speech.models import resolve_asr_model

    damaged = tmp_path / "tiny-damaged"
    shutil.copytree(resolve_asr_model("fast").path, damaged)
    blob = damaged / "model.bin"
    blob.write_bytes(blob.read_bytes()[: blob.stat().st_size // 3])
    line = assert_one_line_error(
        offscript("analyse", "--model", damaged, speech_dir / "audio" / f"{SHORT_CLIP}.wav")
    )
    assert str(damaged) in line
    (damaged / "config.json").write_text("{not json", encoding="utf-8")
    assert "damaged" in assert_one_line_error(offscript("analyse", "--model", damaged, "x.wav"))


# --- question banks -----------------------------------------------------------------------

GOOD_BANK_LINE = 'text = "Why Acme?"'
BAD_BANKS: dict[str, Callable[[str], str | bytes]] = {
    "not TOML": lambda good: good.replace("[bank]", "[bank"),
    "wrong field type": lambda good: good.replace("time_limit_s = 90", 'time_limit_s = "soon"'),
    "missing question text": lambda good: good.replace(GOOD_BANK_LINE, ""),
    "unknown stage": lambda good: good.replace('stage = "screen"', 'stage = "nowhere"'),
    "future schema": lambda good: good.replace("schema_version = 1", "schema_version = 99"),
    "empty file": lambda good: "",
    "binary": lambda good: b"\x00\xff\xfe" * 100,
    "not UTF-8": lambda good: good.replace("Why Acme?", "Pourquoi Acmé ?").encode("latin-1"),
}


@pytest.mark.parametrize("name", list(BAD_BANKS))
def test_malformed_bank_is_refused_and_nothing_is_imported(
    name: str, tmp_path: Path, offscript_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = user_bank(tmp_path).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    content = BAD_BANKS[name](good)
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    code, err = _run_in_process(capsys, "content", "import", bad)
    print(f"\n{name}: {err.strip()}")
    assert code == 2
    assert err.splitlines() and all(line.startswith("bad.toml") for line in err.splitlines())
    assert not (offscript_home / "banks").exists() or not any((offscript_home / "banks").iterdir())
    code, out = main(["content", "validate", str(bad)]), capsys.readouterr().out
    assert code == 2 and out.strip()


def test_a_damaged_imported_bank_does_not_stop_the_others(
    tmp_path: Path, offscript_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["content", "import", str(user_bank(tmp_path))]) == 0
    (offscript_home / "banks" / "broken.toml").write_text("[bank\n", encoding="utf-8")
    from offscript.content import load_all_banks

    catalog = load_all_banks()
    assert catalog.bank("acme-backend") is not None
    assert any("broken.toml" in p for p in catalog.problems)
    capsys.readouterr()
    assert main(["content", "list"]) == 0


# --- the data folder ----------------------------------------------------------------------


def test_data_folder_under_a_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("OFFSCRIPT_HOME", str(blocker / "home"))
    with pytest.raises(StoreError, match=r"not a folder|is a file"):
        from offscript.store.takes import Store

        Store.open()
    code, err = _run_in_process(capsys, "content", "import", user_bank(tmp_path))
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.fixture
def mount_point(tmp_path: Path):
    """A folder to mount on; unmounted afterwards.  Skips when mounting is not permitted."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "mnt"
    point.mkdir()
    mounted: list[Path] = []

    def mount(*args: str) -> Path:
        result = subprocess.run(["mount", *args, str(point)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"mount not permitted here: {result.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for p in reversed(mounted):
        subprocess.run(["umount", str(p)], check=False)


def test_read_only_data_folder_is_a_clear_error_and_keeps_the_data(
    mount_point,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from offscript.store.takes import Store

    home = mount_point("-t", "tmpfs", "-o", "size=4m", "tmpfs")
    with Store.open(home) as store:  # some data, then the folder becomes read-only
        session = store.create_session("daily", "fast")
    subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
    monkeypatch.setenv("OFFSCRIPT_HOME", str(home))
    with pytest.raises(StoreError, match=r"read-only|cannot write|write-ahead"):
        Store.open(home)
    code, err = _run_in_process(capsys, "content", "import", user_bank(tmp_path))
    print(f"\nread-only: {err.strip()}")
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    subprocess.run(["mount", "-o", "remount,rw", str(home)], check=True)
    with Store.open(home) as store:
        assert [s.id for s in store.list_sessions()] == [session]


def test_full_disk_while_recording_is_a_clear_error_and_the_audio_is_recovered(
    mount_point,
) -> None:
    from offscript.store.takes import Store

    home = mount_point("-t", "tmpfs", "-o", "size=1m", "tmpfs")
    store = Store.open(home)
    session = store.create_session("daily", "fast")
    question = store.add_question(session, "q", "bank", "Tell me about yourself.", 0)
    take_id, writer = store.start_take(question, 16000, 1)
    tone = (0.3 * np.sin(np.arange(1600) / 3)).astype(np.float32)  # 0.1 s blocks
    blocks = 0
    with pytest.raises(StoreError, match=r"disk .* is full") as failure:
        for blocks in range(1, 10_000):  # noqa: B007 - the count is checked below
            writer.write(tone)
    print(f"\nfull disk after {blocks / 10:.1f} s of audio: {failure.value}")
    with pytest.raises(StoreError):  # no room for the FLAC either: the PCM stays
        store.finish_take(take_id, writer)
    store.close()
    (home / "audio" / "incoming" / f"{take_id}.json").stat()  # still there to recover from

    # the user frees space (here: the PCM is moved out and back once the FLAC fits)
    pcm = home / "audio" / "incoming" / f"{take_id}.pcm"
    kept = pcm.read_bytes()
    assert len(kept) >= (blocks - 3) * 3200, "all but the last 0.25 s reached the disk"
    subprocess.run(["mount", "-o", "remount,size=8m", str(home)], check=True)
    with Store.open(home) as store:
        (take,) = store.recover()
        back, _ = sf.read(store.audio_file(take), dtype="int16")
    assert take.status == "recovered"
    assert back.tobytes() == kept[: len(kept) // 2 * 2]


def test_cli_command_never_shows_a_traceback_for_a_folder_it_cannot_read(tmp_path: Path) -> None:
    assert COMMAND  # the console script exists (or python -m offscript)
    locked = tmp_path / "locked"
    locked.mkdir()
    assert_one_line_error(offscript("analyse", locked))

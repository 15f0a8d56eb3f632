"""Incremental recording: what reaches the disk, the FLAC it becomes, and recovery after a crash."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import given, settings
from hypothesis import strategies as st

from offscript.store.recordings import (
    EmptyRecordingError,
    RecordingWriter,
    float_to_int16,
    pcm_path,
    recover_unfinished,
    sidecar_path,
)

CLIP = "mfamono_cold_corpus.wav"
LSB = 1 / 32768


@pytest.fixture
def clip(speech_dir: Path) -> tuple[np.ndarray, int]:
    audio, rate = sf.read(speech_dir / "audio" / CLIP, dtype="float32")
    return audio, rate


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    incoming, audio = tmp_path / "audio" / "incoming", tmp_path / "audio"
    incoming.mkdir(parents=True)
    return incoming, audio


def _feed(writer: RecordingWriter, audio: np.ndarray, block: int) -> None:
    for start in range(0, len(audio), block):
        writer.write(audio[start : start + block])


def test_round_trip_of_real_speech_matches_within_quantisation(
    clip: tuple[np.ndarray, int], dirs: tuple[Path, Path]
) -> None:
    audio, rate = clip
    incoming, audio_dir = dirs
    writer = RecordingWriter(incoming, 7, rate, 1)
    _feed(writer, audio, 1024)
    path, duration = writer.finish(audio_dir / "1" / "7.flac")
    assert path == audio_dir / "1" / "7.flac"
    assert duration == pytest.approx(len(audio) / rate)
    back, back_rate = sf.read(path, dtype="float32")
    assert back_rate == rate and sf.info(str(path)).format == "FLAC"
    assert back.shape == audio.shape
    assert np.max(np.abs(back - audio)) <= LSB / 2 + 1e-9
    assert list(incoming.iterdir()) == [], "pcm and sidecar are gone once the FLAC exists"


def test_stereo_blocks_round_trip(dirs: tuple[Path, Path]) -> None:
    incoming, audio_dir = dirs
    rng = np.random.default_rng(1)
    audio = rng.uniform(-0.9, 0.9, size=(4800, 2)).astype(np.float32)
    writer = RecordingWriter(incoming, 1, 48000, 2)
    _feed(writer, audio, 480)
    path, duration = writer.finish(audio_dir / "1.flac")
    back, _ = sf.read(path, dtype="float32")
    assert duration == pytest.approx(0.1)
    assert np.max(np.abs(back - audio)) <= LSB


def test_out_of_range_samples_are_clipped_not_wrapped() -> None:
    pcm = float_to_int16(np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0], dtype=np.float32))
    assert pcm.tolist() == [-32768, -32768, 0, 16384, 32767, 32767]


def test_block_of_wrong_shape_is_rejected(dirs: tuple[Path, Path]) -> None:
    writer = RecordingWriter(dirs[0], 1, 16000, 2)
    with pytest.raises(ValueError, match=r"\(frames, 2\)"):
        writer.write(np.zeros(100, dtype=np.float32))
    writer.discard()
    assert list(dirs[0].iterdir()) == []


def test_sidecar_is_written_before_audio(dirs: tuple[Path, Path]) -> None:
    incoming, _ = dirs
    writer = RecordingWriter(incoming, 3, 22050, 1)
    meta = json.loads(sidecar_path(incoming, 3).read_text(encoding="utf-8"))
    assert (meta["samplerate"], meta["channels"], meta["take_id"]) == (22050, 1, 3)
    assert "started_at" in meta
    assert pcm_path(incoming, 3).stat().st_size == 0
    writer.discard()


def test_audio_reaches_the_os_every_quarter_second(dirs: tuple[Path, Path]) -> None:
    incoming, _ = dirs
    writer = RecordingWriter(incoming, 1, 16000, 1)
    block = np.zeros(400, dtype=np.float32)  # 25 ms
    sizes = []
    for _ in range(40):  # 1 s
        writer.write(block)
        sizes.append(pcm_path(incoming, 1).stat().st_size // 2)
    handed = range(400, 16001, 400)
    lag = [written - on_disk for written, on_disk in zip(handed, sizes, strict=True)]
    assert max(lag) < 0.25 * 16000, "never more than 0.25 s of audio held in memory"
    assert sizes[-1] == 16000
    writer.discard()


def test_take_id_is_never_reused_over_existing_audio(dirs: tuple[Path, Path]) -> None:
    incoming, _ = dirs
    pcm_path(incoming, 5).write_bytes(b"\x01\x00" * 10)
    with pytest.raises(FileExistsError):
        RecordingWriter(incoming, 5, 16000, 1)
    assert pcm_path(incoming, 5).read_bytes() == b"\x01\x00" * 10


def test_write_after_finish_raises(dirs: tuple[Path, Path]) -> None:
    incoming, audio_dir = dirs
    writer = RecordingWriter(incoming, 1, 16000, 1)
    writer.write(np.zeros(160, dtype=np.float32))
    writer.finish(audio_dir / "1.flac")
    with pytest.raises(RuntimeError, match="after finish"):
        writer.write(np.zeros(160, dtype=np.float32))


def test_finish_from_another_thread_keeps_every_written_block(dirs: tuple[Path, Path]) -> None:
    incoming, audio_dir = dirs
    writer = RecordingWriter(incoming, 1, 16000, 1)
    blocks = [np.full(160, (i % 100) / 200, dtype=np.float32) for i in range(500)]

    def consumer() -> None:
        for b in blocks:
            writer.write(b)

    thread = threading.Thread(target=consumer)
    thread.start()
    thread.join()  # the app drains its queue before finishing
    result: list[tuple[Path, float]] = []
    finisher = threading.Thread(target=lambda: result.append(writer.finish(audio_dir / "1.flac")))
    finisher.start()
    finisher.join()
    back, _ = sf.read(result[0][0], dtype="float32")
    assert np.max(np.abs(back - np.concatenate(blocks))) <= LSB


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=3000), max_size=12))
def test_any_block_split_gives_the_same_audio(cuts: list[int], tmp_path_factory) -> None:
    incoming = tmp_path_factory.mktemp("split")
    signal_ = np.sin(np.arange(3000) / 7).astype(np.float32) * 0.8
    edges = [0, *sorted(cuts), 3000]
    writer = RecordingWriter(incoming, 1, 8000, 1, flush_interval_s=0.01)
    for a, b in itertools.pairwise(edges):
        writer.write(signal_[a:b])
    path, duration = writer.finish(incoming / "out.flac")
    assert duration == pytest.approx(3000 / 8000)
    assert np.array_equal(sf.read(path, dtype="int16")[0], float_to_int16(signal_))


def test_empty_recording_is_refused_and_cleaned_up(dirs: tuple[Path, Path]) -> None:
    # libsndfile writes a 0-byte, unreadable ".flac" for no frames: never produce one.
    writer = RecordingWriter(dirs[0], 1, 16000, 1)
    with pytest.raises(EmptyRecordingError):
        writer.finish(dirs[1] / "1.flac")
    assert not (dirs[1] / "1.flac").exists()
    assert list(dirs[0].iterdir()) == []


def test_recover_removes_a_recording_with_no_whole_frame(dirs: tuple[Path, Path]) -> None:
    incoming, audio_dir = dirs
    _leave_unfinished(incoming, 6, np.zeros(0, dtype=np.float32), 8000)
    with open(pcm_path(incoming, 6), "ab") as f:
        f.write(b"\x01")
    assert recover_unfinished(incoming, audio_dir) == []
    assert list(incoming.iterdir()) == [] and not any(audio_dir.glob("*.flac"))


# Recovery ----------------------------------------------------------------------------------


def _leave_unfinished(incoming: Path, take_id: int, audio: np.ndarray, rate: int) -> None:
    """What a crash leaves behind: sidecar + pcm, nothing finished."""
    writer = RecordingWriter(incoming, take_id, rate, 1, flush_interval_s=0.0)
    writer.write(audio)
    # No finish(): the process "dies" here.  Its file descriptor closes as the OS would close
    # it; every byte handed to write() (flush_interval_s=0) is already in the file.
    writer._file.close()


def test_recover_turns_leftover_pcm_into_flac_and_drops_torn_frame(
    clip: tuple[np.ndarray, int], dirs: tuple[Path, Path]
) -> None:
    audio, rate = clip
    incoming, audio_dir = dirs
    _leave_unfinished(incoming, 4, audio[: rate * 3], rate)
    with open(pcm_path(incoming, 4), "ab") as f:
        f.write(b"\x7f")  # half a sample: a write cut off by the crash
    recovered = recover_unfinished(incoming, audio_dir)
    assert [(r.take_id, r.path) for r in recovered] == [(4, audio_dir / "4.flac")]
    assert recovered[0].duration_s == pytest.approx(3.0)
    back, _ = sf.read(recovered[0].path, dtype="float32")
    assert np.max(np.abs(back - audio[: rate * 3])) <= LSB / 2 + 1e-9
    assert list(incoming.iterdir()) == []


def test_recover_is_idempotent_after_a_crash_mid_recovery(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    incoming, audio_dir = dirs
    tone = np.sin(np.arange(8000) / 5).astype(np.float32) * 0.5
    _leave_unfinished(incoming, 9, tone, 8000)
    from offscript.store import recordings

    # Crash after the FLAC is durable but before the pcm is removed.
    monkeypatch.setattr(recordings, "_remove_incoming", _raise_crash)
    with pytest.raises(_Crash):
        recover_unfinished(incoming, audio_dir)
    assert pcm_path(incoming, 9).exists(), "pcm survives until the FLAC is durable"
    monkeypatch.undo()
    first = recover_unfinished(incoming, audio_dir)
    assert [r.take_id for r in first] == [9]
    assert recover_unfinished(incoming, audio_dir) == []
    assert np.array_equal(sf.read(audio_dir / "9.flac", dtype="int16")[0], float_to_int16(tone))


def test_recover_crash_while_encoding_keeps_pcm_and_no_partial_flac(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    incoming, audio_dir = dirs
    _leave_unfinished(incoming, 2, np.zeros(8000, dtype=np.float32), 8000)
    monkeypatch.setattr(sf.SoundFile, "write", _raise_crash)
    with pytest.raises(_Crash):
        recover_unfinished(incoming, audio_dir)
    assert pcm_path(incoming, 2).exists()
    assert not any(audio_dir.glob("*.flac")) and not any(audio_dir.glob(".*"))


def test_recover_leaves_pcm_without_readable_sidecar_alone(dirs: tuple[Path, Path]) -> None:
    incoming, audio_dir = dirs
    _leave_unfinished(incoming, 3, np.zeros(800, dtype=np.float32), 8000)
    sidecar_path(incoming, 3).write_text("{garbage", encoding="utf-8")
    assert recover_unfinished(incoming, audio_dir) == []
    assert pcm_path(incoming, 3).stat().st_size == 1600


def test_recover_skips_takes_being_recorded(dirs: tuple[Path, Path]) -> None:
    incoming, audio_dir = dirs
    writer = RecordingWriter(incoming, 8, 8000, 1)
    writer.write(np.zeros(4000, dtype=np.float32))
    assert recover_unfinished(incoming, audio_dir, skip={8}) == []
    writer.write(np.zeros(4000, dtype=np.float32))
    _, duration = writer.finish(audio_dir / "8.flac")
    assert duration == pytest.approx(1.0)


class _Crash(Exception):
    pass


def _raise_crash(*args: object, **kwargs: object) -> None:
    raise _Crash()


# A real crash: SIGKILL a recording process --------------------------------------------------

CHILD = """
import sys, time
import numpy as np, soundfile as sf
from offscript.store.takes import Store
audio, rate = sf.read(sys.argv[1], dtype="float32")
block = int(sys.argv[2])
store = Store.open()
session = store.create_session("crash-test", "none")
question = store.add_question(session, "q-crash", "bank", "Crash?", 0)
take_id, writer = store.start_take(question, rate, 1)
print("take", take_id, flush=True)
for start in range(0, len(audio), block):
    writer.write(audio[start:start + block])
    print("wrote", writer.frames_written, flush=True)
    time.sleep(block / rate / 4)  # a microphone's pace, sped up 4x to keep the test short
print("done", flush=True)
"""


@pytest.mark.parametrize("kill_after_s", [0.9, 1.45, 2.2])
def test_sigkill_mid_recording_loses_at_most_half_a_second(
    clip: tuple[np.ndarray, int], speech_dir: Path, kill_after_s: float
) -> None:
    from offscript.store.takes import Store

    audio, rate = clip
    block = 512  # 32 ms at 16 kHz, a typical callback size
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(speech_dir / "audio" / CLIP), str(block)],
        stdout=subprocess.PIPE, text=True, env=os.environ.copy(),
    )
    assert child.stdout is not None
    lines = [child.stdout.readline()]
    while True:
        line = child.stdout.readline()
        lines.append(line)
        # Several kill points at different phases of the flush schedule.
        if line.startswith("wrote") and int(line.split()[1]) >= kill_after_s * rate:
            child.send_signal(signal.SIGKILL)
            break
        assert line, f"child ended early: {lines}"
    rest, _ = child.communicate(timeout=30)  # lines the child printed before it died
    assert child.returncode == -signal.SIGKILL
    written = max(int(x.split()[1]) for x in [*lines, *rest.splitlines()] if x.startswith("wrote"))

    with Store.open() as store:
        recovered = store.recover()
        assert [t.status for t in recovered] == ["recovered"]
        take = recovered[0]
        back, back_rate = sf.read(store.audio_file(take), dtype="float32")
    lost_s = (written - len(back)) / rate
    print(
        f"\nSIGKILL after {written / rate:.3f} s handed to write(): recovered "
        f"{len(back) / rate:.3f} s, lost {lost_s * 1000:.0f} ms"
    )
    assert back_rate == rate
    assert 0 <= lost_s <= 0.5
    assert take.duration_s == pytest.approx(len(back) / rate)
    assert np.max(np.abs(back - audio[: len(back)])) <= LSB / 2 + 1e-9, "recovered audio is exact"

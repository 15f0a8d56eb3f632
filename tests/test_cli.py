"""The ``offscript`` command, run for real in a subprocess with a temp data folder.

Contract: ``analyse --json`` prints one JSON object (schema_version 1) per good input; bad
input prints exactly one line on stderr per problem, exits 2, and never shows a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / ".venv" / "bin" / "offscript"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "offscript"]
CLIP = "mfamono_cold_corpus"  # 26 s spontaneous answer
SHORT_CLIP = "psphinx_ss0880"  # 3 s read sentence

TOP_KEYS = {"schema_version", "source", "duration_s", "transcript", "words", "pace", "pauses",
            "fillers", "delivery", "candour", "flags"}


def offscript(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the console script; OFFSCRIPT_HOME is the test's temp folder (conftest)."""
    assert os.environ["OFFSCRIPT_HOME"]
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=os.environ.copy(), cwd=REPO)


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("offscript")
    return lines[0]


def assert_schema(data: dict) -> None:
    assert data.keys() >= TOP_KEYS, TOP_KEYS - data.keys()
    assert data["schema_version"] == 1
    assert isinstance(data["transcript"], str) and data["transcript"]
    for w in data["words"]:
        assert {"text", "start", "end", "kind"} <= w.keys()
        assert w["kind"] in {"word", "filled_pause", "lexical_filler"}
    assert {"wpm", "articulation_wpm"} <= data["pace"].keys()
    for p in data["pauses"]:
        assert {"start", "end", "kind"} <= p.keys()
    assert {"filled_pauses", "lexical", "per_minute", "per_100_words"} <= data["fillers"].keys()
    assert "rehearsed_score" in data["delivery"]
    assert {"polish_score", "signals"} <= data["candour"].keys()
    for flag in data["flags"]:
        assert {"code", "severity", "message", "evidence"} <= flag.keys()
        for ev in flag["evidence"]:
            assert {"text", "start", "end"} <= ev.keys()


def clip_path(speech_dir: Path, clip: str) -> Path:
    return speech_dir / "audio" / f"{clip}.wav"


def read_clip(speech_dir: Path, clip: str) -> tuple[np.ndarray, int]:
    import soundfile as sf

    return sf.read(clip_path(speech_dir, clip), dtype="float32")


# --- analyse: good input ------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysed(speech_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """``offscript analyse --json`` on a real 26 s answer, run once for the module."""
    env = {**os.environ, "OFFSCRIPT_HOME": str(tmp_path_factory.mktemp("cli-home"))}
    return subprocess.run([*COMMAND, "analyse", "--json", str(clip_path(speech_dir, CLIP))],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.models
def test_analyse_json_prints_exactly_one_object_with_the_full_schema(analysed) -> None:
    assert analysed.returncode == 0, analysed.stderr
    assert "Traceback" not in analysed.stderr
    (data,) = json_lines(analysed.stdout)
    assert_schema(data)
    assert data["source"].endswith(f"{CLIP}.wav")


@pytest.mark.models
def test_analyse_json_values_are_sane(analysed, speech_manifest: dict[str, dict]) -> None:
    (data,) = json_lines(analysed.stdout)
    row = speech_manifest[CLIP]
    print(f"\n{CLIP}: {data['pace']['wpm']} wpm, {data['fillers']['filled_pauses']} filled "
          f"pauses (manifest {row['n_filled_pauses']}), wall {data.get('timing', {})}")

    assert data["duration_s"] == pytest.approx(float(row["duration_s"]), abs=0.05)
    assert 80 <= data["pace"]["wpm"] <= 260
    assert data["pace"]["articulation_wpm"] >= data["pace"]["wpm"]
    assert data["fillers"]["filled_pauses"] >= 3  # the manifest has 6
    starts = [w["start"] for w in data["words"]]
    assert starts == sorted(starts) and starts[0] >= 0 and starts[-1] < data["duration_s"]
    assert all(p["end"] > p["start"] for p in data["pauses"])
    for flag in data["flags"]:
        assert flag["evidence"], flag["code"]  # every flag carries its evidence


@pytest.mark.models
def test_each_input_file_gives_one_json_line(speech_dir: Path, tmp_path: Path) -> None:
    text = tmp_path / "typed.txt"
    text.write_text("Um, so I think, like, we shipped it on time.", encoding="utf-8")

    result = offscript("analyse", "--json", clip_path(speech_dir, SHORT_CLIP), text)

    assert result.returncode == 0, result.stderr
    audio, typed = json_lines(result.stdout)
    assert audio["source"].endswith(f"{SHORT_CLIP}.wav") and audio["duration_s"] > 0
    assert typed["source"].endswith("typed.txt")


def test_a_text_transcript_has_no_audio_fields(tmp_path: Path) -> None:
    text = tmp_path / "answer.txt"
    text.write_text("Um, I led the migration. Uh, it took, you know, three months.\n")

    result = offscript("analyse", "--json", text)

    assert result.returncode == 0, result.stderr
    (data,) = json_lines(result.stdout)
    assert_schema(data)
    assert data["duration_s"] is None
    assert data["pace"]["wpm"] is None and data["pace"]["articulation_wpm"] is None
    assert data["pauses"] == []
    assert all(w["start"] is None and w["end"] is None for w in data["words"])
    assert data["fillers"]["filled_pauses"] == 2
    assert data["fillers"]["per_minute"] is None
    assert "model" not in data  # no model was loaded for text


@pytest.mark.models
def test_stereo_48k_flac_ogg_and_mp3_are_analysed(
    speech_dir: Path, tmp_path: Path, speech_manifest: dict[str, dict]
) -> None:
    import soundfile as sf
    import soxr

    mono, sr = read_clip(speech_dir, SHORT_CLIP)
    hi = soxr.resample(mono, sr, 48_000)
    stereo = np.stack([hi, hi * 0.8], axis=1)
    files = []
    for ext, fmt in (("flac", "FLAC"), ("ogg", "OGG"), ("mp3", "MP3")):
        path = tmp_path / f"answer.{ext}"
        sf.write(path, stereo, 48_000, format=fmt)
        assert sf.info(path).channels == 2
        files.append(path)

    result = offscript("analyse", "--json", *files)

    assert result.returncode == 0, result.stderr
    outputs = json_lines(result.stdout)
    assert [Path(d["source"]).suffix for d in outputs] == [".flac", ".ogg", ".mp3"]
    said = speech_manifest[SHORT_CLIP]["transcript"].split()  # "he was not an ill disposed..."
    for data in outputs:
        assert data["duration_s"] == pytest.approx(len(mono) / sr, abs=0.1)
        heard = {w.strip(".,").lower() for w in data["transcript"].split()}
        assert sum(w in heard for w in said) >= 0.6 * len(said), data["transcript"]


@pytest.mark.models
def test_without_json_a_readable_summary_is_printed(speech_dir: Path) -> None:
    result = offscript("analyse", clip_path(speech_dir, SHORT_CLIP))

    assert result.returncode == 0, result.stderr
    assert "Pace" in result.stdout and "Fillers" in result.stdout
    assert " wpm" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout.splitlines()[0])


# --- analyse: bad input -------------------------------------------------------------------


def make_bad_input(kind: str, folder: Path, speech_dir: Path) -> Path:
    import soundfile as sf

    path = folder / {"missing": "nope.wav", "empty": "empty.wav", "directory": "adir",
                     "not_audio": "notes.wav", "truncated": "cut.wav", "silence": "quiet.wav",
                     "zero_samples": "zero.wav", "empty_txt": "empty.txt",
                     "latin1_txt": "latin1.txt"}[kind]
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "directory":
        path.mkdir()
    elif kind == "not_audio":
        path.write_text("These are my notes, not a recording.\n" * 20)
    elif kind == "truncated":
        data = clip_path(speech_dir, SHORT_CLIP).read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "silence":
        sf.write(path, np.zeros(3 * 16_000, np.float32), 16_000)
    elif kind == "zero_samples":
        sf.write(path, np.zeros(0, np.float32), 16_000)
    elif kind == "empty_txt":
        path.write_text("  \n\n")
    elif kind == "latin1_txt":
        path.write_bytes("J'ai dirigé l'équipe, ça a marché.".encode("latin-1"))
    return path


BAD_INPUTS = {
    "missing": "no such file",
    "empty": "empty",
    "directory": "folder",
    "not_audio": "not a readable audio file",
    "truncated": "truncated",
    "silence": "no speech",
    "zero_samples": "empty",
    "empty_txt": "transcript is empty",
    "latin1_txt": "UTF-8",
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    kind: str, tmp_path: Path, speech_dir: Path
) -> None:
    path = make_bad_input(kind, tmp_path, speech_dir)

    result = offscript("analyse", "--json", path)

    line = assert_one_line_error(result)
    assert result.stdout == ""
    assert str(path) in line
    assert BAD_INPUTS[kind] in line


def test_a_missing_model_path_is_refused_before_any_work(tmp_path: Path) -> None:
    text = tmp_path / "answer.txt"
    text.write_text("I led the migration.")
    line = assert_one_line_error(offscript("analyse", "--model", "/nonexistent", text))
    assert "/nonexistent" in line and "not found" in line


def test_a_model_folder_without_model_bin_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "not-a-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    text = tmp_path / "answer.txt"
    text.write_text("I led the migration.")
    line = assert_one_line_error(offscript("analyse", "--model", model, text))
    assert "model.bin" in line


@pytest.mark.parametrize("args", [
    ["frobnicate"],
    ["analyse", "--bogus", "x.wav"],
    ["analyse"],
    ["say"],
    ["say", "hi", "--speed", "fast"],
])
def test_unknown_commands_and_options_are_one_line(args: list[str]) -> None:
    line = assert_one_line_error(offscript(*args))
    assert "--help" in line


@pytest.mark.models
def test_a_good_file_is_still_reported_when_another_is_bad(
    speech_dir: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.wav"
    result = offscript("analyse", "--json", missing, clip_path(speech_dir, SHORT_CLIP))

    line = assert_one_line_error(result)
    assert "missing.wav" in line
    (data,) = json_lines(result.stdout)
    assert data["source"].endswith(f"{SHORT_CLIP}.wav")


# --- say ----------------------------------------------------------------------------------


@pytest.mark.models
def test_say_writes_a_22050_hz_wav(tmp_path: Path) -> None:
    import soundfile as sf

    out = tmp_path / "question.wav"
    result = offscript("say", "Walk me through your last project.", "--out", out)

    assert result.returncode == 0, result.stderr
    audio, sr = sf.read(out, dtype="float32")
    assert sr == 22050 and audio.ndim == 1
    assert 1.0 < len(audio) / sr < 6.0
    assert np.abs(audio).max() > 0.1


@pytest.mark.parametrize("text", ["", "   "])
def test_say_nothing_is_refused(text: str, tmp_path: Path) -> None:
    out = tmp_path / "nothing.wav"
    line = assert_one_line_error(offscript("say", text, "--out", out))
    assert "Nothing to say" in line
    assert not out.exists()


def test_say_out_of_range_speed_is_refused(tmp_path: Path) -> None:
    line = assert_one_line_error(offscript("say", "Hi.", "--speed", "3", "--out", tmp_path / "x"))
    assert "0.5 to 2.0" in line


# --- doctor -------------------------------------------------------------------------------

CHECKS = ["data folder", "speech model 'fast'", "speech model 'accurate'",
          "interviewer voice", "audio devices", "display"]
MAY_FAIL_HEADLESS = {"audio devices", "display"}


@pytest.mark.models
def test_doctor_prints_one_line_per_check(offscript_home: Path) -> None:
    result = offscript("doctor")

    assert "Traceback" not in result.stderr
    *check_lines, summary = result.stdout.splitlines()
    assert len(check_lines) == len(CHECKS), result.stdout
    status = {}
    for line, name in zip(check_lines, CHECKS, strict=True):
        assert line.startswith(("[ok  ] ", "[FAIL] ")), line
        assert line[7:].startswith(f"{name}: "), line
        status[name] = line.startswith("[ok  ]")
    failed = {name for name, ok in status.items() if not ok}
    print(f"\ndoctor: exit {result.returncode}, failed: {sorted(failed) or 'none'}")

    # Data, models and voice never depend on the machine: they must pass everywhere.
    assert failed <= MAY_FAIL_HEADLESS, result.stdout
    if os.environ.get("PULSE_SERVER"):
        assert "audio devices" not in failed, result.stdout  # the virtual devices are up
    if failed:
        assert result.returncode == 1
        assert summary == f"{len(failed)} problem(s) found: see FAIL lines above."
    else:
        assert result.returncode == 0
        assert summary == "All checks passed."
    # doctor verified the accurate model into the temp data folder, not the user's cache
    assert (offscript_home / "cache" / "models" / "faster-whisper-base" / "model.bin").is_file()


def test_analyse_with_a_question_id_adds_rubric_coverage_and_a_follow_up(tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(
        "I pushed the Flink cutover before we ran a throughput benchmark. It cost us two days "
        "of dropped events. Now I insist on a load test at twice peak before any cutover.",
        encoding="utf-8",
    )
    from offscript.content import load_all_banks

    question = load_all_banks().question("nf-co-012")
    result = offscript("analyse", answer, "--question", "nf-co-012", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["question"]["id"] == "nf-co-012"
    points = {c["point"] for c in data["rubric"]["covered"]} | set(data["rubric"]["missing"])
    assert points == {p.point for p in question.rubric}
    assert 0.0 <= data["rubric"]["coverage"] <= 1.0
    assert data["follow_up"] in {f.say for f in question.follow_ups}


def test_analyse_with_an_unknown_question_id_exits_2(tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("Some answer.", encoding="utf-8")
    result = offscript("analyse", answer, "--question", "no-such-question")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Unknown question id" in result.stderr

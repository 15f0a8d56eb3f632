"""Privacy: nothing Offscript does opens a network connection, and text is escaped in the UI.

Sockets are blocked at the Python level for the whole test (``socket.connect``,
``connect_ex``, ``create_connection``, ``getaddrinfo``); Unix sockets (PulseAudio, X11) stay
allowed.  Any attempt to reach a network address is recorded and fails the test.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from offscript.cli import main
from ui_support import fake_services, session_window

CLIP = "psphinx_ss0880"
TELEMETRY_OFF = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                 "TRANSFORMERS_OFFLINE": "1", "DO_NOT_TRACK": "1"}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(what: str, address: object) -> OSError:
        attempts.append(f"{what} {address!r}")
        return OSError(f"network blocked by test_privacy: {what} {address!r}")

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        raise refuse("connect", address)

    def connect_ex(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect_ex(self, address)
        raise refuse("connect_ex", address)

    def create_connection(address, *args, **kwargs):
        raise refuse("create_connection", address)

    def getaddrinfo(host, *args, **kwargs):
        raise refuse("getaddrinfo", host)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_the_blocker_really_blocks(no_network: list[str]) -> None:
    with pytest.raises(OSError), socket.socket() as s:
        s.connect(("127.0.0.1", 9))
    assert no_network == ["connect ('127.0.0.1', 9)"]


def test_a_whole_session_in_the_window_stays_offline(
    qtbot, speech_dir: Path, no_network: list[str]
) -> None:
    clip = "mfamono_cold_corpus"  # has reference word timings in ../shared/speech/words
    samples, sr = sf.read(speech_dir / "audio" / f"{clip}.wav", dtype="float32")
    services, fakes = fake_services(samples, speech_dir / "words" / f"{clip}.json", sr)
    win = session_window(qtbot, services)
    page = win.interview
    with qtbot.waitSignal(page.state_changed, timeout=10_000,
                          check_params_cb=lambda s: s == "recording"):  # fmt: skip
        page.ask_question()
    assert fakes["mics"][0].finished.wait(10)
    with qtbot.waitSignal(page.analysis_ready, timeout=15_000):
        page.toggle_recording()
    page.next_question()
    page.end_session()
    win.close()
    services.store.close()
    assert no_network == []


@pytest.mark.models
def test_cli_analyse_and_say_with_the_real_models_stay_offline(
    speech_dir: Path, tmp_path: Path, no_network: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    wav = speech_dir / "audio" / f"{CLIP}.wav"
    assert main(["analyse", "--json", str(wav)]) == 0, capsys.readouterr().err
    assert main(["analyse", "--model", "accurate", str(wav)]) == 0, capsys.readouterr().err
    out = tmp_path / "q.wav"
    assert main(["say", "Tell me about yourself.", "--out", str(out)]) == 0
    assert sf.info(str(out)).duration > 0.5
    assert no_network == []


def test_hub_telemetry_and_downloads_are_off_before_any_model_library_loads() -> None:
    """Importing offscript (what the app and CLI do first) sets the offline switches."""
    env = {k: v for k, v in os.environ.items() if k not in TELEMETRY_OFF}
    probe = (
        "import json, os, sys\n"
        "import offscript.cli\n"
        "assert 'faster_whisper' not in sys.modules and 'huggingface_hub' not in sys.modules\n"
        f"print(json.dumps({{k: os.environ.get(k) for k in {sorted(TELEMETRY_OFF)!r}}}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == TELEMETRY_OFF


def test_user_settings_for_those_switches_are_respected() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import os, offscript; print(os.environ['HF_HUB_OFFLINE'])"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.stdout.strip() == "0"


def test_transcript_text_is_escaped_in_the_results_view() -> None:
    from offscript.ui.results_view import transcript_html

    words = [{"text": "<script>alert(1)</script>", "start": 0.0, "end": 0.5, "kind": "word"},
             {"text": "&amp;<b>", "start": 0.6, "end": 0.9, "kind": "filled_pause"}]
    out = transcript_html(words, [])
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&amp;amp;&lt;b&gt;" in out


def test_analysis_shown_in_the_window_escapes_every_text_field(qtbot) -> None:
    from offscript.ui.results_view import ResultsView

    view = ResultsView()
    qtbot.addWidget(view)
    evil = "<img src=x onerror=alert(1)>"
    data = {
        "schema_version": 1, "source": evil, "duration_s": 2.0, "transcript": evil,
        "words": [{"text": evil, "start": 0.0, "end": 1.0, "kind": "word"}],
        "pace": {"wpm": 120.0, "articulation_wpm": 130.0, "timeline": []}, "pauses": [],
        "fillers": {"filled_pauses": 0, "lexical": 0, "per_minute": 0.0, "per_100_words": 0.0},
        "delivery": {"rehearsed_score": None}, "candour": {"polish_score": None, "signals": []},
        "flags": [{"code": "x", "severity": "warning", "message": evil, "advice": evil,
                   "evidence": [{"text": evil, "start": 0.0, "end": 1.0}]}],
        "follow_up": evil,
    }
    view.show_analysis(data)
    for browser in (view.transcript, view.flags):
        assert "<img" not in browser.toHtml(), "the text became markup"
        assert evil in browser.toPlainText(), "the text is shown as typed"

"""``offscript doctor``'s audio check asks the sound server which microphone it records from:
PortAudio reaches PulseAudio/PipeWire through one "default" device and cannot tell when the
server has nothing but a speaker's monitor to record."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from headless.feed import require_fed_microphone
from offscript import doctor
from offscript.audio.devices import NO_MICROPHONE


@pytest.mark.audio_devices
def test_doctor_names_the_microphone_the_sound_server_records_from() -> None:
    require_fed_microphone()
    result = doctor._check("audio devices", doctor._devices)
    assert result.ok, result.detail
    assert "sound server: records from 'vmic', plays to 'vspeaker'" in result.detail


@pytest.mark.audio_devices
def test_doctor_fails_when_the_server_would_record_a_speakers_monitor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's answer is replaced by a ``pactl`` that reports only a monitor as the
    default source (what a laptop with its microphone unplugged reports)."""
    require_fed_microphone()
    pactl = tmp_path / "pactl"
    pactl.write_text("#!/bin/sh\necho 'Default Sink: vspeaker'\n"
                     "echo 'Default Source: vspeaker.monitor'\n")  # fmt: skip
    pactl.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    result = doctor._check("audio devices", doctor._devices)
    assert not result.ok
    assert result.detail == NO_MICROPHONE

"""The analysis JSON contract (schema_version 1) and the purity of the analysis layer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import soundfile as sf

from offscript.analysis.answer import analyse_answer, analyse_text
from offscript.analysis.words import Word

TOP_KEYS = {"schema_version", "source", "duration_s", "transcript", "words", "pace", "pauses",
            "fillers", "delivery", "candour", "flags"}
PACE_KEYS = {"wpm", "articulation_wpm", "timeline", "speaking_time_s"}
FILLER_KEYS = {"filled_pauses", "lexical", "per_minute", "per_100_words"}


def check_shape(data: dict) -> None:
    assert data.keys() >= TOP_KEYS
    assert data["schema_version"] == 1
    assert isinstance(data["source"], str) and isinstance(data["transcript"], str)
    assert data["duration_s"] is None or isinstance(data["duration_s"], float)
    for w in data["words"]:
        assert {"text", "start", "end", "kind"} <= w.keys()
        assert w["kind"] in {"word", "filled_pause", "lexical_filler"}
    assert data["pace"].keys() >= PACE_KEYS and isinstance(data["pace"]["timeline"], list)
    for p in data["pauses"]:
        assert {"start", "end", "kind"} <= p.keys()
        assert p["kind"] in {"thinking", "hesitation", "boundary"}
    assert data["fillers"].keys() >= FILLER_KEYS
    assert isinstance(data["fillers"]["filled_pauses"], int)
    assert isinstance(data["fillers"]["lexical"], int)
    assert isinstance(data["fillers"]["per_100_words"], float)
    rehearsed = data["delivery"]["rehearsed_score"]
    assert rehearsed is None or 0.0 <= rehearsed <= 1.0
    if data["duration_s"] is None:  # text only: no delivery to judge
        assert rehearsed is None
    polish = data["candour"]["polish_score"]
    assert polish is None or 0.0 <= polish <= 1.0
    assert isinstance(data["candour"]["signals"], list)
    for f in data["flags"]:
        assert {"code", "severity", "message", "evidence"} <= f.keys()
        for e in f["evidence"]:
            assert {"text", "start", "end"} <= e.keys()
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_audio_answer_json_shape(speech_dir: Path) -> None:
    clip = "mfamono_cold_corpus3"
    rows = json.loads((speech_dir / "words" / f"{clip}.json").read_text(encoding="utf-8"))
    words = [Word(r["word"], r["start"], r["end"]) for r in rows]
    audio, sr = sf.read(speech_dir / "audio" / f"{clip}.wav", dtype="float32")
    data = analyse_answer(words, source=clip, duration_s=len(audio) / sr, audio=audio,
                          sr=sr).to_json()
    check_shape(data)
    assert data["transcript"] == " ".join(r["word"] for r in rows)
    assert data["fillers"]["filled_pauses"] == 6
    assert data["pace"]["wpm"] is not None and data["pauses"]
    assert data["fillers"]["per_minute"] is not None


def test_text_answer_json_shape() -> None:
    data = analyse_text("Um, so, you know, I kind of led it - and it worked.\n",
                        source="answer.txt").to_json()
    check_shape(data)
    assert data["duration_s"] is None and data["pauses"] == []
    assert data["pace"]["wpm"] is None and data["pace"]["articulation_wpm"] is None
    assert data["fillers"]["per_minute"] is None
    assert data["transcript"] == "Um, so, you know, I kind of led it- and it worked."
    assert data["fillers"] == data["fillers"] | {"filled_pauses": 1, "lexical": 3}
    assert [w["kind"] for w in data["words"][:4]] == ["filled_pause"] + ["lexical_filler"] * 3


def test_empty_input_is_a_valid_analysis() -> None:
    check_shape(analyse_text("", source="empty.txt").to_json())
    check_shape(analyse_answer([], source="silence", duration_s=3.0).to_json())


def test_analysis_imports_no_qt_no_asr_no_librosa() -> None:
    code = ("import sys, offscript.analysis.answer; "
            "bad = [m for m in ('PySide6', 'faster_whisper', 'librosa', 'soundfile', "
            "'sounddevice', 'ctranslate2') if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_analysing_an_answer_with_audio_needs_no_librosa_or_numba() -> None:
    # numba's compilation cost ~3 s and ~200 MB on the first answer: pitch is numpy YIN now.
    code = ("import sys, numpy as np; from offscript.analysis.answer import analyse_answer; "
            "from offscript.analysis.words import Word; "
            "t = np.arange(32000) / 16000; a = (0.1 * np.sin(2 * np.pi * 140 * t)).astype('f4'); "
            "r = analyse_answer([Word('so', 0.1, 0.4), Word('yes', 0.6, 1.0)], source='x', "
            "duration_s=2.0, audio=a, sr=16000); "
            "assert r.delivery is not None; "
            "print(','.join(m for m in ('librosa', 'numba') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""

"""``offscript eval`` without a model: manifest checks, exit codes, scoring and report shape."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from offscript.analysis.words import Word
from offscript.errors import BadInputError
from offscript.evaluation.commands import cli_eval
from offscript.evaluation.manifest import Clip, load_manifest
from offscript.evaluation.report import build_report, format_table
from offscript.evaluation.runner import run_eval
from offscript.speech.asr import Transcript

HEADER = "id,file,set,transcript,n_filled_pauses\n"


def speechlike(seconds: float, sr: int = 16000,
               on_s: list[tuple[float, float]] | None = None) -> np.ndarray:
    """Noise bursts with gaps (every other 1/3 s, or the ``on_s`` spans) over a faint floor:
    not silence for the pipeline's check."""
    rng = np.random.default_rng(0)
    t = np.arange(int(seconds * sr)) / sr
    on = np.sin(2 * np.pi * 1.5 * t) > 0
    if on_s is not None:
        on = np.zeros(t.size, dtype=bool)
        for a, b in on_s:
            on |= (t >= a) & (t < b)
    return (0.2 * rng.standard_normal(t.size) * on
            + 0.001 * rng.standard_normal(t.size)).astype(np.float32)


def make_set(root: Path, manifest: str, clips: tuple[str, ...] = ("a",),
             words: dict[str, object] | None = None) -> Path:
    (root / "audio").mkdir(parents=True)
    for clip_id in clips:
        sf.write(root / "audio" / f"{clip_id}.wav", speechlike(4.0), 16000, subtype="PCM_16")
    (root / "manifest.csv").write_text(manifest, encoding="utf-8")
    if words:
        (root / "words").mkdir()
        for clip_id, data in words.items():
            text = data if isinstance(data, str) else json.dumps(data)
            (root / "words" / f"{clip_id}.json").write_text(text, encoding="utf-8")
    return root


class ScriptedTranscriber:
    """Returns the same words for every clip, like a recogniser that always hears this."""

    name = "scripted"

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.calls = 0

    def transcribe(self, audio, *, offset_s=0.0, progress=None, cancel=None) -> Transcript:
        self.calls += 1
        return Transcript(words=self.words, duration_s=len(audio) / 16000, model=self.name)


REF_WORDS = [{"word": "uh", "start": 0.2, "end": 0.5}, {"word": "so", "start": 0.5, "end": 0.8},
             {"word": "we", "start": 1.4, "end": 1.6}, {"word": "um", "start": 2.0, "end": 2.3},
             {"word": "shipped", "start": 2.3, "end": 2.9}]


def test_optional_columns_and_words_may_be_missing(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "set", "id,file\na,audio/a.wav\n")
    [clip] = load_manifest(folder)
    assert clip == Clip(id="a", audio=folder / "audio/a.wav", set="all")


def test_reference_filled_pauses_come_from_the_count_or_the_transcript(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "set", HEADER + "a,audio/a.wav,s1,uh so um we,\n"
                      "b,audio/b.wav,s1,uh so,5\nc,audio/c.wav,s2,,\n", clips=("a", "b", "c"),
                      words={"a": REF_WORDS})
    a, b, c = load_manifest(folder)
    assert (a.ref_filled_pauses, b.ref_filled_pauses, c.ref_filled_pauses) == (2, 5, None)
    assert a.words is not None and a.words[0] == Word("uh", 0.2, 0.5)
    assert b.words is None


@pytest.mark.parametrize(("manifest", "words", "message"), [
    ("file\naudio/a.wav\n", None, "missing column(s) id"),
    ("id,file\n", None, "no clips listed"),
    ("id,file\na,audio/missing.wav\n", None, "line 2: audio file 'audio/missing.wav' not found"),
    ("id,file\n,audio/a.wav\n", None, "line 2: 'id' and 'file' must not be empty"),
    ("id,file\na,audio/a.wav,extra\n", None, "line 2: wrong number of fields"),
    ("id,file\na,audio/a.wav\na,audio/a.wav\n", None, "'a' appears twice"),
    (HEADER + "a,audio/a.wav,s,uh,two\n", None, "n_filled_pauses must be a whole number"),
    ("id,file\na,audio/a.wav\n", {"a": "[{"}, "a.json: not a readable JSON word list"),
    ("id,file\na,audio/a.wav\n", {"a": [{"word": "x", "start": 2, "end": 1}]}, "bad times"),
    ("id,file\na,audio/a.wav\n", {"a": [{"word": "x", "start": "0"}]}, "'start' must be"),
])
def test_bad_rows_are_one_line_errors_with_exit_code_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str, words: dict | None,
        message: str) -> None:
    folder = make_set(tmp_path / "set", manifest, words=words)
    with pytest.raises(BadInputError) as raised:
        load_manifest(folder)
    assert message in str(raised.value)
    assert cli_eval([str(folder)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("offscript eval: ")


def test_missing_folder_manifest_and_bad_options_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_eval([str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert cli_eval([str(tmp_path)]) == 2
    assert "no manifest.csv" in capsys.readouterr().err
    assert cli_eval([]) == 2
    assert cli_eval([str(tmp_path), "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and all(line.startswith("offscript eval:")
                                        for line in err.splitlines())


def test_an_unknown_model_is_a_one_line_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_set(tmp_path / "set", "id,file\na,audio/a.wav\n")
    assert cli_eval([str(folder), "--model", str(tmp_path / "no-model")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_run_is_scored_per_clip_per_set_and_overall(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "set", HEADER + "a,audio/a.wav,s1,uh so we um shipped,\n"
                      "b,audio/b.wav,s2,so we shipped,0\n", clips=("a", "b"),
                      words={"a": REF_WORDS})
    heard = [Word("Uh,", 0.3, 0.5), Word("so", 0.5, 0.8), Word("we", 1.4, 1.6),
             Word("shipped.", 2.3, 2.9)]
    # pauses are measured on the signal: sound where the heard words are, silence between
    sound = speechlike(4.0, on_s=[(0.2, 0.8), (1.4, 1.6), (2.0, 2.9)])
    sf.write(folder / "audio" / "a.wav", sound, 16000, subtype="PCM_16")
    fake = ScriptedTranscriber(heard)
    report = build_report(run_eval(load_manifest(folder), fake))

    assert fake.calls == 2 and report["model"] == "scripted"
    assert set(report) == {"model", "model_load_s", "sets", "overall", "clips"}
    assert list(report["sets"]) == ["s1", "s2"]
    a, b = report["clips"]
    assert a["filled_pauses"]["count"] == {"tp": 1, "hyp": 1, "ref": 2, "recall": 0.5,
                                           "precision": 1.0, "f1": 0.667}
    assert a["filled_pauses"]["events"]["tp"] == 1  # "uh" at 0.3 vs 0.2
    assert a["pauses"]["ref"] == 2  # 0.8-1.4 and 1.6-2.0
    assert a["pauses"]["tp"] == 2  # both found, edges within 100 ms
    assert a["hyp_pauses"][0] == pytest.approx([0.8, 1.4], abs=0.05)
    assert a["wpm"]["ref"] == pytest.approx(3 / 2.7 * 60, abs=0.1)
    assert b["pauses"] is None and b["wpm"]["ref"] is None  # no timings for b
    assert b["filled_pauses"]["count"]["precision"] == 0.0  # "Uh" heard where there is none
    overall = report["overall"]
    assert overall["clips"] == 2 and overall["clips_with_timings"] == 1
    assert overall["filled_pauses"]["count"]["hyp"] == 2
    assert overall["filled_pauses"]["count"]["ref"] == 2
    assert overall["rtf"] is not None and overall["errors"] == 0
    json.dumps(report)  # serialisable as is
    table = format_table(report)
    assert table.splitlines()[0].startswith("model: scripted")
    assert all(name in table for name in ("s1", "s2", "overall"))


def test_a_clip_the_pipeline_rejects_counts_as_finding_nothing(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "set", HEADER + "a,audio/a.wav,s1,uh um,\n")
    sf.write(folder / "audio" / "a.wav", np.zeros(16000, np.float32), 16000)
    report = build_report(run_eval(load_manifest(folder), ScriptedTranscriber([])))
    [clip] = report["clips"]
    assert "silence only" in clip["error"]
    assert clip["filled_pauses"]["count"]["recall"] == 0.0
    assert report["overall"]["errors"] == 1
    assert "error in a:" in format_table(report)


def test_lexical_eval_scores_each_split_and_rejects_a_bad_file(tmp_path: Path, capsys) -> None:
    good = tmp_path / "lex.csv"
    good.write_text("sentence,label,split\n\"It was, [like], hard.\",1,dev\n"
                    "I [like] Spark.,0,dev\n\"[You know], it broke.\",1,heldout\n"
                    "Do [you know] why?,0,heldout\n", encoding="utf-8")
    assert cli_eval(["lexical", str(good), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["sentences"] == 4 and set(result["splits"]) == {"dev", "heldout"}
    assert result["splits"]["dev"]["tp"] == 1 and result["splits"]["dev"]["hyp"] == 1
    assert result["overall"]["ref"] == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,label\nno target here,1\n", encoding="utf-8")
    assert cli_eval(["lexical", str(bad)]) == 2
    assert "bad.csv:2" in capsys.readouterr().err

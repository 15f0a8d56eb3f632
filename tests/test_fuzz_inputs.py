"""Fuzzing what users hand to Offscript: question-bank text and files given to ``analyse``.

The bank loader must return a Bank or raise BankError (every problem as ``file:line:
message``), never anything else; ``offscript analyse`` on arbitrary bytes must print one JSON
line (exit 0) or one error line (exit 2), never a traceback or an internal error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offscript.cli import main
from offscript.content.loader import BankError, parse_bank_text
from offscript.speech.asr import Transcript
from test_content_import_cli import user_bank

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = ["schema_version", "bank", "id", "version", "company", "role_family", "title", "licence",
        "description", "stages", "name", "questions", "stage", "text", "time_limit_s", "rubric",
        "point", "phrases", "follow_ups", "say", "always", "loops", "steps", "count", "tags"]
scalars = st.one_of(
    st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.booleans(),
    st.text(max_size=30), st.dates(), st.just(""),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12,
)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(v, "nan" if v != v else repr(v))
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + "}"
    return v.isoformat()


@st.composite
def mutated_banks(draw) -> str:
    """A valid bank with some values replaced by values of random types, keys dropped or
    duplicated, lines shuffled or cut."""
    good = GOOD.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(good) - 1))
        action = draw(st.sampled_from(["retype", "drop", "dup", "cut", "key"]))
        line = good[i]
        if action == "retype" and "=" in line:
            good[i] = line.split("=", 1)[0] + "= " + _toml_value(draw(values))
        elif action == "drop":
            del good[i]
        elif action == "dup":
            good.insert(i, line)
        elif action == "cut":
            good[i] = line[: draw(st.integers(0, len(line)))]
        elif action == "key":
            good.insert(i, f"{draw(st.sampled_from(KEYS))} = {_toml_value(draw(values))}")
        if not good:
            break
    return "\n".join(good)


GOOD = ""


@pytest.fixture(scope="module", autouse=True)
def good_bank(tmp_path_factory: pytest.TempPathFactory) -> None:
    global GOOD
    GOOD = user_bank(tmp_path_factory.mktemp("bank")).read_text(encoding="utf-8")
    bank, problems = parse_bank_text(GOOD, "good.toml")
    assert bank is not None, problems


def _check_bank_text(text: str) -> None:
    try:
        bank, problems = parse_bank_text(text, "fuzz.toml")
    except BankError:
        return
    if bank is None:
        assert problems and all(p.startswith("fuzz.toml:") for p in problems), problems
    else:
        assert problems == [] and bank.questions


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list('[]{}="\',.=\n #abc1_-\\tq')) | st.characters(),
                    max_size=300))
def test_random_toml_ish_text_gives_a_bank_or_bank_problems(text: str) -> None:
    _check_bank_text(text)


@FUZZ
@given(text=mutated_banks())
def test_mutated_banks_give_a_bank_or_bank_problems(text: str) -> None:
    _check_bank_text(text)


@FUZZ
@given(doc=st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
def test_random_field_types_give_a_bank_or_bank_problems(doc: dict) -> None:
    _check_bank_text("\n".join(f"{k} = {_toml_value(v)}" for k, v in doc.items()))


class SilentTranscriber:
    """Stands in for Whisper: the fuzz target is file handling, not speech recognition."""

    name = "fuzz"

    def __init__(self, *args, **kwargs) -> None:
        pass

    def transcribe(self, audio, **kwargs):
        return Transcript(words=[], duration_s=len(audio) / 16000, model=self.name)


HEADERS = [b"", b"RIFF\x00\x10\x00\x00WAVEfmt ", b"fLaC", b"OggS\x00\x02", b"ID3\x04\x00\x00",
           b"\xff\xfb\x90\x00", b"FORM\x00\x00\x10\x00AIFF"]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from(HEADERS), body=st.binary(max_size=4096),
       suffix=st.sampled_from([".wav", ".flac", ".ogg", ".mp3", ".txt", ".bin"]))
def test_analyse_on_random_bytes_gives_one_line(
    header: bytes, body: bytes, suffix: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("offscript.speech.asr.WhisperTranscriber", SilentTranscriber)
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(header + body)
    code = main(["analyse", "--json", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if code == 2:
        assert out == "" and len(err.splitlines()) == 1 and err.startswith("offscript: "), err
    else:
        assert code == 0, err
        assert len(out.splitlines()) == 1 and err == ""

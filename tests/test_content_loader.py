"""Bank files that are wrong are rejected with the line and the field that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from offscript.content import BankError, load_bank, validate_bank_file
from offscript.content.locate import SourceMap
from offscript.errors import UserFacingError

BROKEN = Path(__file__).parent / "data" / "banks_broken"

# file -> (line, words the message must contain)
EXPECTED = {
    "time_limit_text.toml": (20, ['"time_limit_s"', "positive integer", '"ninety"', '"b-1"']),
    "unknown_field.toml": (32, ["unknown analysis field", '"candour.we_ration"', '"b-2"']),
    "duplicate_id.toml": (25, ['duplicate question id "b-1"']),
    "unknown_stage.toml": (18, ['"stage"', '"onsite"']),
    "no_follow_up.toml": (16, ['"follow_ups" is missing']),
    "syntax_error.toml": (19, ["not valid TOML"]),
    "rubric_missing_unknown.toml": (22, ['"rubric_missing"', '"names the price"']),
    "schema_version.toml": (1, ['"schema_version" must be 1', "got 7"]),
    "unknown_flag.toml": (22, ["unknown flag code", '"talks_fast"']),
    "missing_licence.toml": (3, ['"licence" is missing']),
    "bad_operator.toml": (22, ['"when.op"', "== !=", '"candour.admits_mistake"']),
    "no_condition.toml": (22, ["needs a condition"]),
}


def test_every_broken_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.toml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_rejected_with_line_and_field(name: str) -> None:
    line, words = EXPECTED[name]
    problems = validate_bank_file(BROKEN / name)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{name}:{line}: "), problems[0]
    for word in words:
        assert word in problems[0]
    with pytest.raises(BankError) as caught:
        load_bank(BROKEN / name)
    assert isinstance(caught.value, UserFacingError)
    assert caught.value.problems == problems


BANK_HEAD = """schema_version = 1
[bank]
id = "t"
version = "1"
company = "Acme"
role_family = "backend"
title = "T"
licence = "CC0"
description = "d"
[[stages]]
id = "s"
name = "S"
"""


def test_all_problems_are_collected_not_just_the_first(tmp_path: Path) -> None:
    path = tmp_path / "many.toml"
    path.write_text(BANK_HEAD + """
[[questions]]
id = "a"
stage = "nope"
text = ""
time_limit_s = -5
rubric = [{ point = "p", phrases = [] }]
follow_ups = [{ say = "x", whne = { field = "duration_s", op = ">", value = 1 } }]
colour = "red"
""", encoding="utf-8")
    problems = validate_bank_file(path)
    assert len(problems) >= 6
    joined = "\n".join(problems)
    for word in ('"stage"', '"text"', '"time_limit_s"', '"phrases"', 'unknown field "whne"',
                 'unknown field "colour"'):
        assert word in joined
    with pytest.raises(BankError, match=r"and \d+ more problems"):
        load_bank(path)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    assert "file not found" in validate_bank_file(tmp_path / "absent.toml")[0]
    latin = tmp_path / "latin.toml"
    latin.write_bytes("title = 'caf\xe9'".encode("latin-1"))
    assert "not UTF-8" in validate_bank_file(latin)[0]


def test_phrase_sets_expand_and_unknown_sets_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "sets.toml"
    path.write_text(BANK_HEAD + """
[phrase_sets]
cost = ["cost*", "lost"]

[[questions]]
id = "a"
stage = "s"
text = "Q"
time_limit_s = 60
rubric = [{ point = "p", phrases = ["@cost", "@number", "hours"] }]
follow_ups = [{ say = "x", always = true }]
""", encoding="utf-8")
    bank = load_bank(path)
    assert bank.questions[0].rubric[0].phrases == ("cost*", "lost", "@number", "hours")
    path.write_text(path.read_text().replace('"@cost"', '"@price"'), encoding="utf-8")
    (problem,) = validate_bank_file(path)
    assert problem.startswith("sets.toml:22: ") and '"@price"' in problem


def test_loops_file_with_unknown_step_field_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "loops.toml"
    path.write_text('schema_version = 1\n\n[[loops]]\nid = "l"\ntitle = "L"\n\n'
                    '[[loops.steps]]\nstage = "s"\ncount = 2\nsize = 3\n', encoding="utf-8")
    (problem,) = validate_bank_file(path)
    assert problem.startswith("loops.toml:10: ") and 'unknown field "size"' in problem


def test_source_map_finds_keys_in_tables_and_inline_arrays() -> None:
    text = '''a = 1
[[questions]]
id = "x"
rubric = [
  { point = "one" },
  # a comment with [brackets]
  { point = "two", note = """multi
line""" },
]
[[questions]]
id = "y"
[[questions.follow_ups]]
say = "s"
'''
    src = SourceMap(text)
    assert src.line_of(("a",)) == 1
    assert src.line_of(("questions", 0, "id")) == 3
    assert src.line_of(("questions", 0, "rubric", 0, "point")) == 5
    assert src.line_of(("questions", 0, "rubric", 1)) == 7
    assert src.line_of(("questions", 1, "id")) == 11
    assert src.line_of(("questions", 1, "follow_ups", 0, "say")) == 13
    assert src.line_of(("questions", 1, "missing")) == 10

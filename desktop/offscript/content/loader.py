"""Reading bank and loop files from disk: every problem comes back as ``file:line: message``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from offscript.content.checks import Checker
from offscript.content.locate import SourceMap
from offscript.content.model import Bank, LoopFile, Problem, Problems
from offscript.content.schema import build_bank, build_loops, check_schema_version
from offscript.errors import UserFacingError

MAX_FILE_BYTES = 2_000_000
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


class BankError(UserFacingError):
    """A bank or loop file is not valid.  ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid content file"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(first + suffix)


def _parse(text: str, name: str, problems: Problems) -> tuple[dict, SourceMap] | None:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        line = int(found.group(1)) if found else 0
        detail = _TOML_POSITION.sub("", message)
        if found:
            detail += f" (column {found.group(2)})"
        problems.items.append(Problem(name, line, f"not valid TOML: {detail}"))
        return None
    return doc, SourceMap(text)


def _read_text(path: Path, name: str, problems: Problems) -> str | None:
    try:
        if not path.is_file():
            problems.items.append(Problem(name, 0, "file not found (give the path to a .toml "
                                          "bank file)"))
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.items.append(Problem(name, 0, f"file is larger than {MAX_FILE_BYTES} bytes; "
                                          "is it really a question bank?"))
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.items.append(Problem(name, 0, "file is not UTF-8 text (save it as UTF-8)"))
    except OSError as exc:
        problems.items.append(Problem(name, 0, f"cannot read file: {exc.strerror or exc}"))
    return None


def parse_bank_text(text: str, name: str, path: Path | None = None,
                    *, user: bool = False) -> tuple[Bank | None, list[str]]:
    """Validate bank source text: the Bank (None when invalid) and the problems."""
    problems = Problems()
    parsed = _parse(text, name, problems)
    if parsed is None:
        return None, problems.lines()
    doc, source = parsed
    bank = build_bank(Checker(name, source, problems), doc)
    if bank is None:
        return None, problems.lines()
    bank = Bank(**{**bank.__dict__, "path": path, "user": user})
    return bank, []


def parse_loops_text(text: str, name: str, path: Path | None = None
                     ) -> tuple[LoopFile | None, list[str]]:
    """Validate a loops-only file (content/loops/*.toml)."""
    problems = Problems()
    parsed = _parse(text, name, problems)
    if parsed is None:
        return None, problems.lines()
    doc, source = parsed
    c = Checker(name, source, problems)
    c.unknown_keys(doc, {"schema_version", "loops"}, (), "")
    check_schema_version(c, doc)
    if "loops" not in doc:
        c.problem((), 'a loops file needs at least one [[loops]] table')
    loops = build_loops(c, doc, source=Path(name).stem, local_stages=None)
    if problems:
        return None, problems.lines()
    return LoopFile(tuple(loops), path), []


def is_loops_file(text: str) -> bool:
    """True when the text looks like a loops-only file rather than a bank."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return "loops" in doc and "bank" not in doc and "questions" not in doc


def read_bank(path: Path | str, *, user: bool = False) -> tuple[Bank, str]:
    """Load and validate one bank file: the Bank and the exact text it came from."""
    path = Path(path)
    problems = Problems()
    text = _read_text(path, path.name, problems)
    if text is None:
        raise BankError(problems.lines())
    bank, errors = parse_bank_text(text, path.name, path, user=user)
    if bank is None:
        raise BankError(errors)
    return bank, text


def load_bank(path: Path | str, *, user: bool = False) -> Bank:
    """Load and validate one bank file; raises BankError listing every problem."""
    return read_bank(path, user=user)[0]


def load_loop_file(path: Path | str) -> LoopFile:
    """Load and validate one loops file; raises BankError listing every problem."""
    path = Path(path)
    problems = Problems()
    text = _read_text(path, path.name, problems)
    if text is None:
        raise BankError(problems.lines())
    loops, errors = parse_loops_text(text, path.name, path)
    if loops is None:
        raise BankError(errors)
    return loops


def validate_bank_file(path: Path | str) -> list[str]:
    """Every problem in a bank (or loops) file as ``file:line: message``; [] when valid."""
    path = Path(path)
    problems = Problems()
    text = _read_text(path, path.name, problems)
    if text is None:
        return problems.lines()
    if is_loops_file(text):
        return parse_loops_text(text, path.name, path)[1]
    return parse_bank_text(text, path.name, path)[1]

"""Find the source line of a key in a TOML file.

``tomllib`` reports line numbers only for syntax errors.  For field errors we map a key path
such as ``("questions", 16, "follow_ups", 1, "when")`` back to the line that holds it, so
messages can say ``netflix_backend.toml:143``.  This is a small scanner, not a TOML parser:
it only has to be right for files that ``tomllib`` already accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|=)""")
_OPEN, _CLOSE = "[{", "]}"


@dataclass
class _Section:
    path: KeyPath
    line: int
    keys: dict[str, int] = field(default_factory=dict)  # key -> token index of its "="


@dataclass(frozen=True)
class _Token:
    line: int
    ch: str  # a structural character, or '"' for the start of any string


def _tokens(text: str) -> Iterator[_Token]:
    """Characters outside strings and comments; each string yields one '"' token."""
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            yield _Token(line, ch)
            line += 1
            i += 1
        elif ch == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif ch in "\"'":
            yield _Token(line, '"')
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\\" and quote[0] == '"':
                    i += 1
                elif text[i] == "\n":
                    if len(quote) == 1:
                        break
                    line += 1
                i += 1
            i += len(quote)
        elif ch in " \t\r":
            i += 1
        else:
            yield _Token(line, ch)
            i += 1


def _unquote(key: str) -> str:
    return key[1:-1] if key[:1] in "\"'" else key


class SourceMap:
    """Answers "which line holds this key path?" for one TOML source text."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._tokens = list(_tokens(text))
        self._sections = [_Section((), 1)]
        self._scan()

    def _scan(self) -> None:
        counters: dict[KeyPath, int] = {}
        depth, at_line_start = 0, True
        for index, tok in enumerate(self._tokens):
            if tok.ch == "\n":
                at_line_start = True
                continue
            first, at_line_start = at_line_start, False
            if depth == 0 and first:
                raw = self._lines[tok.line - 1]
                header = _HEADER.match(raw) if tok.ch == "[" else None
                if header:
                    self._add_section(header, tok.line, counters)
                    self._skip_line(index)
                    continue
                key = _KEY.match(raw)
                if key:
                    self._sections[-1].keys.setdefault(_unquote(key.group(1)), index)
            if tok.ch in _OPEN:
                depth += 1
            elif tok.ch in _CLOSE:
                depth = max(0, depth - 1)

    def _skip_line(self, index: int) -> None:
        # header brackets must not count as depth: blank out the rest of the header line
        line = self._tokens[index].line
        j = index
        while j < len(self._tokens) and self._tokens[j].line == line and self._tokens[j].ch != "\n":
            self._tokens[j] = _Token(line, "h")
            j += 1

    def _add_section(self, header: re.Match[str], line: int, counters: dict[KeyPath, int]) -> None:
        parts = [_unquote(p.strip()) for p in header.group(2).split(".")]
        concrete: KeyPath = ()
        for part in parts[:-1]:
            concrete = (*concrete, part)
            if concrete in counters:
                concrete = (*concrete, counters[concrete])
        concrete = (*concrete, parts[-1])
        if header.group(1) == "[[":
            counters[concrete] = counters.get(concrete, -1) + 1
            concrete = (*concrete, counters[concrete])
        self._sections.append(_Section(concrete, line))

    def line_of(self, path: KeyPath) -> int:
        """The line of the deepest part of ``path`` that can be found (1 if nothing fits)."""
        best = max(
            (s for s in self._sections if path[: len(s.path)] == s.path),
            key=lambda s: len(s.path),
        )
        rest = path[len(best.path) :]
        if not rest or not isinstance(rest[0], str):
            return best.line
        token_index = best.keys.get(rest[0])
        if token_index is None:
            return best.line
        index = token_index
        for part in rest[1:]:
            if not isinstance(part, int):
                break  # inline tables sit on one line
            found = self._element(index, part)
            if found is None:
                break
            index = found
        return self._tokens[index].line

    def _element(self, start: int, wanted: int) -> int | None:
        """Token index of element ``wanted`` of the array that follows token ``start``."""
        tokens = self._tokens
        i = start
        while i < len(tokens) and tokens[i].ch not in "=[":
            i += 1
        if i < len(tokens) and tokens[i].ch == "=":
            i += 1
        while i < len(tokens) and tokens[i].ch == "\n":
            i += 1
        if i >= len(tokens) or tokens[i].ch != "[":
            return None
        depth, count, expecting = 0, -1, True
        for j in range(i + 1, len(tokens)):
            ch = tokens[j].ch
            if ch == "\n":
                continue
            if depth == 0:
                if ch == "]":
                    return None
                if ch == ",":
                    expecting = True
                    continue
                if expecting:
                    count, expecting = count + 1, False
                    if count == wanted:
                        return j
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth -= 1
        return None

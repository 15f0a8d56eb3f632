"""Typed field access that records a problem (with its line) instead of raising."""

from __future__ import annotations

import json
import re
from typing import Any

from offscript.content.locate import KeyPath, SourceMap
from offscript.content.model import Problem, Problems

MISSING = object()
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def shown(value: Any) -> str:
    """A value as the user wrote it, short enough for one message line."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Checker:
    """Reads fields out of parsed TOML tables; every failed check becomes a Problem."""

    def __init__(self, file: str, source: SourceMap, problems: Problems) -> None:
        self.file = file
        self.source = source
        self.problems = problems

    def problem(self, path: KeyPath, message: str, context: str = "") -> None:
        self.problems.items.append(Problem(self.file, self.source.line_of(path), message, context))

    def unknown_keys(self, table: dict, allowed: set[str], path: KeyPath, context: str) -> None:
        for key in table:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.problem((*path, key), f'unknown field "{key}" (allowed: {hint})', context)

    def get(self, table: dict, key: str, path: KeyPath, context: str, *, required: bool) -> Any:
        if key in table:
            return table[key]
        if required:
            self.problem(path, f'field "{key}" is missing', context)
        return MISSING

    def string(self, table: dict, key: str, path: KeyPath, context: str,
               *, required: bool = True, pattern: re.Pattern[str] | None = None) -> str | None:
        value = self.get(table, key, path, context, required=required)
        if value is MISSING:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((*path, key),
                         f'field "{key}" must be a non-empty string, got {shown(value)}', context)
            return None
        if pattern is not None and not pattern.match(value):
            self.problem((*path, key), f'field "{key}" may only use letters, digits, "-", "_" '
                         f'and ".", got {shown(value)}', context)
            return None
        return value.strip()

    def positive_int(self, table: dict, key: str, path: KeyPath, context: str,
                     *, required: bool = True, maximum: int | None = None) -> int | None:
        value = self.get(table, key, path, context, required=required)
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.problem((*path, key),
                         f'field "{key}" must be a positive integer, got {shown(value)}', context)
            return None
        if maximum is not None and value > maximum:
            self.problem((*path, key), f'field "{key}" must be at most {maximum}, got {value}',
                         context)
            return None
        return value

    def boolean(self, table: dict, key: str, path: KeyPath, context: str) -> bool:
        value = self.get(table, key, path, context, required=False)
        if value is MISSING:
            return False
        if not isinstance(value, bool):
            self.problem((*path, key),
                         f'field "{key}" must be true or false, got {shown(value)}', context)
            return False
        return value

    def string_list(self, table: dict, key: str, path: KeyPath, context: str, *,
                    required: bool = False, min_items: int = 0,
                    pattern: re.Pattern[str] | None = None) -> list[str]:
        value = self.get(table, key, path, context, required=required)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.problem((*path, key),
                         f'field "{key}" must be a list of strings, got {shown(value)}', context)
            return []
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem((*path, key, i), f'field "{key}" item {i + 1} must be a non-empty '
                             f'string, got {shown(item)}', context)
            elif pattern is not None and not pattern.match(item):
                self.problem((*path, key, i), f'field "{key}" item {i + 1} {shown(item)} must be '
                             f'lower case letters, digits, "-" or "_"', context)
            else:
                out.append(item.strip())
        if len(value) < min_items:
            self.problem((*path, key), f'field "{key}" needs at least {min_items} item(s), '
                         f"got {len(value)}", context)
        return out

    def tables(self, table: dict, key: str, path: KeyPath, context: str, *,
               required: bool = False, min_items: int = 0) -> list[tuple[int, dict]]:
        """The tables of an array of tables, with their index (non-tables are reported)."""
        value = self.get(table, key, path, context, required=required)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.problem((*path, key),
                         f'field "{key}" must be a list of tables, got {shown(value)}', context)
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((i, item))
            else:
                self.problem((*path, key, i), f'field "{key}" item {i + 1} must be a table, '
                             f"got {shown(item)}", context)
        if len(value) < min_items:
            self.problem((*path, key), f'field "{key}" needs at least {min_items} item(s), '
                         f"got {len(value)}", context)
        return out

"""The report as JSON, and back: ``load_report(dump_report(r)) == r``.

Schema (``schema_version`` 1): the fields of :class:`~offscript.reports.model.Report` with
the same names, nested objects for the dataclasses, lists for tuples, ``null`` for missing
values.  ``kind`` is ``"offscript-progress-report"`` so a stray JSON file is recognised.
Reading checks the kind and the version and rebuilds each dataclass from its type hints.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any

from offscript.errors import BadInputError
from offscript.reports.model import REPORT_SCHEMA_VERSION, Report

KIND = "offscript-progress-report"


def _plain(value: Any) -> Any:
    # dataclasses.asdict deep-copies every leaf: 20x slower on 10,000 takes
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def report_to_dict(report: Report) -> dict[str, Any]:
    return {"kind": KIND, **_plain(report)}


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def dump_report(report: Report) -> str:
    """Stable JSON text: keys in field order, UTF-8 kept, one take (question, session) per
    line so a changed golden file diffs take by take.  (``indent=`` would switch json to its
    pure-Python encoder: 10x slower on 10,000 takes.)"""
    items = list(report_to_dict(report).items())
    lines = ["{"]
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list) and value:
            lines += [f"{_encode(key)}: [", ",\n".join(_encode(v) for v in value), f"]{comma}"]
        else:
            lines.append(f"{_encode(key)}: {_encode(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def load_report(text: str) -> Report:
    """Read what :func:`dump_report` wrote; BadInputError for anything else."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"Not a report: invalid JSON ({exc.msg}, line {exc.lineno}).") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise BadInputError(f"Not an Offscript progress report (no \"kind\": \"{KIND}\").")
    if data.get("schema_version") != REPORT_SCHEMA_VERSION:
        raise BadInputError(
            f"Report schema version {data.get('schema_version')!r} is not supported "
            f"(this Offscript reads version {REPORT_SCHEMA_VERSION})."
        )
    data = {k: v for k, v in data.items() if k != "kind"}
    try:
        return _build(Report, data)
    except (TypeError, ValueError, KeyError) as exc:
        raise BadInputError(f"Damaged report: {exc}") from None


def _build(tp: Any, value: Any) -> Any:
    """``value`` (parsed JSON) converted to type ``tp`` (a hint from the model)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(tp):
            return None
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(inner, value)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise TypeError(f"expected an object for {tp.__name__}, got {type(value).__name__}")
        hints = typing.get_type_hints(tp)
        fields = {f.name for f in dataclasses.fields(tp)}
        unknown = set(value) - fields
        if unknown:
            raise ValueError(f"unknown fields in {tp.__name__}: {sorted(unknown)}")
        return tp(**{k: _build(hints[k], v) for k, v in value.items()})
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_build(item, v) for v in _expect(value, list))
    if origin is dict:
        _, item = typing.get_args(tp)
        return {str(k): _build(item, v) for k, v in _expect(value, dict).items()}
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number, got {value!r}")
        return float(value)
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise TypeError(f"expected {tp.__name__}, got {value!r}")
        return value
    raise TypeError(f"unsupported type {tp!r}")


def _expect(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value

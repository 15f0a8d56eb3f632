"""Schema v1 of question banks and loop files: turns parsed TOML into validated objects.

See content/SCHEMA.md for the format as users see it.  Every check records a problem and
carries on, so one run reports everything that is wrong with a file.
"""

from __future__ import annotations

import re
from typing import Any

from offscript.content.checks import ID_PATTERN, MISSING, TAG_PATTERN, Checker, shown
from offscript.content.fields import KNOWN_FIELDS, KNOWN_FLAG_CODES, OPERATORS_BY_TYPE
from offscript.content.locate import KeyPath
from offscript.content.model import (
    SCHEMA_VERSION,
    Bank,
    Condition,
    FollowUp,
    Loop,
    LoopStep,
    Question,
    RedFlag,
    RubricPoint,
    Stage,
)

BUILTIN_PHRASE_SETS = {"number"}  # "@number" matches digits and number words (see rubric.py)
MAX_TIME_LIMIT_S = 1800
_SET_NAME = re.compile(r"^[a-z0-9_]+$")

BANK_KEYS = {"id", "version", "company", "role_family", "title", "licence", "description"}
QUESTION_KEYS = {"id", "stage", "text", "screen_text", "time_limit_s", "tags", "rubric",
                 "red_flags", "follow_ups", "model_answer"}
FOLLOW_UP_KEYS = {"say", "screen_text", "when", "flag", "rubric_missing", "always"}
LOOP_KEYS = {"id", "title", "company", "minutes", "description", "steps"}


def check_schema_version(c: Checker, doc: dict) -> bool:
    value = c.get(doc, "schema_version", (), "", required=True)
    if value is MISSING:
        return False
    if value != SCHEMA_VERSION or isinstance(value, bool):
        c.problem(("schema_version",), f'field "schema_version" must be {SCHEMA_VERSION} '
                  f"(the only version this app reads), got {shown(value)}")
        return False
    return True


def build_bank(c: Checker, doc: dict) -> Bank | None:
    """A Bank from a parsed bank file, or None if any problem was recorded."""
    c.unknown_keys(doc, {"schema_version", "bank", "phrase_sets", "stages", "questions", "loops"},
                   (), "")
    check_schema_version(c, doc)
    meta = doc.get("bank")
    if not isinstance(meta, dict):
        c.problem(("bank",), 'a [bank] table with id, version, company, role_family, title, '
                  'licence and description is required')
        meta = {}
    c.unknown_keys(meta, BANK_KEYS, ("bank",), "bank")
    info = {k: c.string(meta, k, ("bank",), "bank", pattern=ID_PATTERN if k == "id" else None)
            for k in sorted(BANK_KEYS)}
    bank_id = info["id"] or "?"
    phrase_sets = _phrase_sets(c, doc)
    stages = _stages(c, doc)
    stage_ids = {s.id for s in stages}
    questions = _questions(c, doc, bank_id, stage_ids, phrase_sets)
    loops = build_loops(c, doc, source=bank_id, local_stages=stage_ids)
    if c.problems:
        return None
    return Bank(id=bank_id, version=info["version"] or "", schema_version=SCHEMA_VERSION,
                company=info["company"] or "", role_family=info["role_family"] or "",
                title=info["title"] or "", licence=info["licence"] or "",
                description=info["description"] or "", stages=tuple(stages),
                questions=tuple(questions), loops=tuple(loops))


def _phrase_sets(c: Checker, doc: dict) -> dict[str, list[str]]:
    raw = doc.get("phrase_sets", {})
    if not isinstance(raw, dict):
        c.problem(("phrase_sets",), f'"phrase_sets" must be a table, got {shown(raw)}')
        return {}
    sets: dict[str, list[str]] = {}
    for name in raw:
        if not _SET_NAME.match(name) or name in BUILTIN_PHRASE_SETS:
            c.problem(("phrase_sets", name), f'phrase set name "{name}" must be lower case '
                      f"letters, digits or _ and not a built-in name", "phrase_sets")
            continue
        sets[name] = c.string_list(raw, name, ("phrase_sets",), "phrase_sets", min_items=1)
    return sets


def _stages(c: Checker, doc: dict) -> list[Stage]:
    stages: list[Stage] = []
    seen: set[str] = set()
    for i, table in c.tables(doc, "stages", (), "", required=True, min_items=1):
        path: KeyPath = ("stages", i)
        c.unknown_keys(table, {"id", "name", "description"}, path, "stage")
        sid = c.string(table, "id", path, "stage", pattern=ID_PATTERN)
        context = f'stage "{sid}"' if sid else f"stage {i + 1}"
        name = c.string(table, "name", path, context)
        desc = c.string(table, "description", path, context, required=False) or ""
        if sid and sid in seen:
            c.problem((*path, "id"), f'duplicate stage id "{sid}"', context)
        elif sid and name:
            seen.add(sid)
            stages.append(Stage(sid, name, desc))
    return stages


def _questions(c: Checker, doc: dict, bank_id: str, stage_ids: set[str],
               phrase_sets: dict[str, list[str]]) -> list[Question]:
    out: list[Question] = []
    seen: set[str] = set()
    for i, table in c.tables(doc, "questions", (), "", required=True, min_items=1):
        path: KeyPath = ("questions", i)
        qid = c.string(table, "id", path, f"question {i + 1}", pattern=ID_PATTERN)
        context = f'question "{qid}"' if qid else f"question {i + 1}"
        if qid and qid in seen:
            c.problem((*path, "id"), f'duplicate question id "{qid}"', context)
        seen.add(qid or "")
        question = _question(c, table, path, context, qid or "", bank_id, stage_ids,
                             phrase_sets)
        if question and qid:
            out.append(question)
    return out


def _question(c: Checker, t: dict, path: KeyPath, ctx: str, qid: str, bank_id: str,
              stage_ids: set[str], phrase_sets: dict[str, list[str]]) -> Question | None:
    c.unknown_keys(t, QUESTION_KEYS, path, ctx)
    before = len(c.problems.items)
    stage = c.string(t, "stage", path, ctx)
    if stage and stage not in stage_ids:
        c.problem((*path, "stage"), f'field "stage" names unknown stage "{stage}" (declared: '
                  f'{", ".join(sorted(stage_ids)) or "none"})', ctx)
    text = c.string(t, "text", path, ctx)
    screen_text = c.string(t, "screen_text", path, ctx, required=False)
    limit = c.positive_int(t, "time_limit_s", path, ctx, maximum=MAX_TIME_LIMIT_S)
    tags = c.string_list(t, "tags", path, ctx, pattern=TAG_PATTERN)
    rubric = _rubric(c, t, path, ctx, phrase_sets)
    red_flags = _red_flags(c, t, path, ctx, phrase_sets)
    points = {p.point for p in rubric}
    follow_ups = [f for i, ft in c.tables(t, "follow_ups", path, ctx, required=True, min_items=1)
                  if (f := _follow_up(c, ft, (*path, "follow_ups", i), ctx, points)) is not None]
    outline = c.string_list(t, "model_answer", path, ctx)
    if len(c.problems.items) > before:
        return None
    return Question(id=qid, bank_id=bank_id, stage=stage or "", text=text or "",
                    time_limit_s=limit or 0, tags=tuple(tags), rubric=tuple(rubric),
                    red_flags=tuple(red_flags), follow_ups=tuple(follow_ups),
                    screen_text=screen_text, model_answer=tuple(outline))


def _expand(c: Checker, phrases: list[str], path: KeyPath, ctx: str,
            phrase_sets: dict[str, list[str]]) -> tuple[str, ...]:
    out: list[str] = []
    for i, phrase in enumerate(phrases):
        if not phrase.startswith("@") or phrase[1:] in BUILTIN_PHRASE_SETS:
            out.append(phrase)
        elif phrase[1:] in phrase_sets:
            out.extend(phrase_sets[phrase[1:]])
        else:
            c.problem((*path, i), f'unknown phrase set "{phrase}" (define it under [phrase_sets])',
                      ctx)
    return tuple(dict.fromkeys(out))


def _rubric(c: Checker, t: dict, path: KeyPath, ctx: str,
            phrase_sets: dict[str, list[str]]) -> list[RubricPoint]:
    points: list[RubricPoint] = []
    for i, table in c.tables(t, "rubric", path, ctx, required=True, min_items=1):
        p = (*path, "rubric", i)
        c.unknown_keys(table, {"point", "phrases"}, p, ctx)
        point = c.string(table, "point", p, ctx)
        phrases = c.string_list(table, "phrases", p, ctx, required=True, min_items=1)
        if point and any(point == q.point for q in points):
            c.problem((*p, "point"), f'duplicate rubric point "{point}"', ctx)
        elif point:
            points.append(RubricPoint(point, _expand(c, phrases, (*p, "phrases"), ctx,
                                                     phrase_sets)))
    if len(points) > 8:
        c.problem((*path, "rubric"), f"at most 8 rubric points per question, got {len(points)}",
                  ctx)
    return points


def _red_flags(c: Checker, t: dict, path: KeyPath, ctx: str,
               phrase_sets: dict[str, list[str]]) -> list[RedFlag]:
    raw = t.get("red_flags", [])
    if not isinstance(raw, list):
        c.problem((*path, "red_flags"), f'field "red_flags" must be a list, got {shown(raw)}', ctx)
        return []
    flags: list[RedFlag] = []
    for i, item in enumerate(raw):
        p = (*path, "red_flags", i)
        if isinstance(item, str) and item.strip():
            flags.append(RedFlag(item.strip()))
        elif isinstance(item, dict):
            c.unknown_keys(item, {"label", "phrases"}, p, ctx)
            label = c.string(item, "label", p, ctx)
            phrases = c.string_list(item, "phrases", p, ctx)
            if label:
                flags.append(RedFlag(label, _expand(c, phrases, (*p, "phrases"), ctx,
                                                    phrase_sets)))
        else:
            c.problem(p, f'field "red_flags" item {i + 1} must be a string or a table with '
                      f"label and phrases, got {shown(item)}", ctx)
    return flags


def _follow_up(c: Checker, t: dict, path: KeyPath, ctx: str, points: set[str]) -> FollowUp | None:
    c.unknown_keys(t, FOLLOW_UP_KEYS, path, ctx)
    before = len(c.problems.items)
    say = c.string(t, "say", path, ctx)
    screen_text = c.string(t, "screen_text", path, ctx, required=False)
    conditions = _conditions(c, t.get("when", MISSING), (*path, "when"), ctx)
    flag = c.string(t, "flag", path, ctx, required=False)
    if flag and flag not in KNOWN_FLAG_CODES:
        c.problem((*path, "flag"), f'field "flag" names unknown flag code "{flag}" (known: '
                  f'{", ".join(sorted(KNOWN_FLAG_CODES))})', ctx)
    missing = c.string(t, "rubric_missing", path, ctx, required=False)
    if missing and missing not in points:
        c.problem((*path, "rubric_missing"), f'field "rubric_missing" must name one of this '
                  f'question\'s rubric points, got "{missing}"', ctx)
    always = c.boolean(t, "always", path, ctx)
    has_condition = bool(conditions) or flag is not None or missing is not None
    if "when" in t or "flag" in t or "rubric_missing" in t:
        has_condition = True
    if always and has_condition:
        c.problem((*path, "always"), '"always = true" cannot be combined with when, flag or '
                  "rubric_missing", ctx)
    elif not always and not has_condition:
        c.problem(path, "follow-up needs a condition (when, flag or rubric_missing) "
                  'or "always = true"', ctx)
    if len(c.problems.items) > before:
        return None
    return FollowUp(say=say or "", when=tuple(conditions), flag=flag, rubric_missing=missing,
                    always=always, screen_text=screen_text)


def _conditions(c: Checker, raw: Any, path: KeyPath, ctx: str) -> list[Condition]:
    if raw is MISSING:
        return []
    items = raw if isinstance(raw, list) else [raw]
    out: list[Condition] = []
    for i, item in enumerate(items):
        p = (*path, i) if isinstance(raw, list) else path
        if not isinstance(item, dict):
            c.problem(p, f'field "when" must be a table {{ field, op, value }} or a list of them, '
                      f"got {shown(item)}", ctx)
            continue
        c.unknown_keys(item, {"field", "op", "value"}, p, ctx)
        name, op, value = item.get("field"), item.get("op"), item.get("value", MISSING)
        ftype = KNOWN_FIELDS.get(name) if isinstance(name, str) else None
        if ftype is None:
            c.problem(p, f'field "when.field" names unknown analysis field {shown(name)}', ctx)
            continue
        if op not in OPERATORS_BY_TYPE[ftype]:
            c.problem(p, f'field "when.op" must be one of {" ".join(OPERATORS_BY_TYPE[ftype])} '
                      f'for {ftype} field "{name}", got {shown(op)}', ctx)
            continue
        if not _value_fits(ftype, value):
            c.problem(p, f'field "when.value" must be a {ftype} for "{name}", got '
                      f"{shown(None if value is MISSING else value)}", ctx)
            continue
        out.append(Condition(name, op, value))
    if isinstance(raw, list) and not raw:
        c.problem(path, 'field "when" is an empty list', ctx)
    return out


def _value_fits(ftype: str, value: Any) -> bool:
    if ftype in ("number", "count"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if ftype == "bool":
        return isinstance(value, bool)
    return isinstance(value, str)


def build_loops(c: Checker, doc: dict, *, source: str,
                local_stages: set[str] | None) -> list[Loop]:
    """Loops of a bank file (steps default to that bank) or of a loops file."""
    loops: list[Loop] = []
    seen: set[str] = set()
    for i, t in c.tables(doc, "loops", (), ""):
        path: KeyPath = ("loops", i)
        lid = c.string(t, "id", path, f"loop {i + 1}", pattern=ID_PATTERN)
        ctx = f'loop "{lid}"' if lid else f"loop {i + 1}"
        c.unknown_keys(t, LOOP_KEYS, path, ctx)
        before = len(c.problems.items)
        if lid and lid in seen:
            c.problem((*path, "id"), f'duplicate loop id "{lid}"', ctx)
        seen.add(lid or "")
        title = c.string(t, "title", path, ctx)
        company = c.string(t, "company", path, ctx, required=False) or ""
        minutes = c.positive_int(t, "minutes", path, ctx, required=False, maximum=600)
        desc = c.string(t, "description", path, ctx, required=False) or ""
        steps = []
        for j, st in c.tables(t, "steps", path, ctx, required=True, min_items=1):
            sp = (*path, "steps", j)
            c.unknown_keys(st, {"stage", "count", "banks", "tags"}, sp, ctx)
            stage = c.string(st, "stage", sp, ctx)
            count = c.positive_int(st, "count", sp, ctx, maximum=50)
            banks = c.string_list(st, "banks", sp, ctx, pattern=ID_PATTERN)
            tags = c.string_list(st, "tags", sp, ctx, pattern=TAG_PATTERN)
            if local_stages is not None and not banks:
                banks = [source]
                if stage and stage not in local_stages:
                    c.problem((*sp, "stage"), f'field "stage" names unknown stage "{stage}"', ctx)
            steps.append(LoopStep(stage or "", count or 0, tuple(banks), tuple(tags)))
        if len(c.problems.items) == before and lid and title:
            loops.append(Loop(lid, title, tuple(steps), company, minutes, desc, source))
    return loops

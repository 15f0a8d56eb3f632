"""One stored take (its record and latest analysis JSON) as the report's :class:`TakeFigures`.

The transcript becomes segments: fillers keep their kind, a pause is attached to the word
before it, and words that a flag quotes as evidence are marked ``flagged`` (only short,
verbatim phrases: a flag about pace or pauses quotes a summary, not the words said).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from offscript.reports.model import PACE_BAND, Evidence, FlagItem, Segment, TakeFigures
from offscript.store.report_query import ReportTake

MAX_FLAGGED_PHRASE_WORDS = 8
FULL_ANSWER_S = 30.0  # shorter answers count less towards "best take": a 3-word reply is
# trivially free of fillers and pauses, and says nothing
_PAUSE_MATCH_S = 0.35  # a pause belongs to the word ending this close before it


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _norm(token: str) -> str:
    return re.sub(r"[^\w']+", "", token.lower())


def take_quality(t: TakeFigures) -> float | None:
    """0-1, higher is better: the mean of what the take measured of pace in the band, few
    fillers, not rehearsed, not polished, rubric covered, times min(1, length / 30 s).
    None when nothing was measured."""
    parts: list[float] = []
    if t.wpm is not None:
        lo, hi = PACE_BAND
        off = max(lo - t.wpm, t.wpm - hi, 0.0)
        parts.append(max(0.0, 1.0 - off / 50.0))
    if t.fillers_per_minute is not None:
        parts.append(max(0.0, 1.0 - t.fillers_per_minute / 10.0))
    for score in (t.rehearsed, t.polish):
        if score is not None:
            parts.append(1.0 - score)
    if t.rubric_coverage is not None:
        parts.append(t.rubric_coverage)
    if not parts:
        return None
    length = 1.0 if t.duration_s is None else min(1.0, t.duration_s / FULL_ANSWER_S)
    return round(length * sum(parts) / len(parts), 3)


def _flags(data: dict) -> tuple[FlagItem, ...]:
    out = []
    for f in data.get("flags") or []:
        evidence = tuple(
            Evidence(str(e.get("text", "")), _num(e.get("start")), _num(e.get("end")))
            for e in f.get("evidence") or []
        )
        out.append(FlagItem(code=str(f.get("code", "")), severity=str(f.get("severity", "info")),
                            message=str(f.get("message", "")), advice=str(f.get("advice") or ""),
                            value=_num(f.get("value")), threshold=_num(f.get("threshold")),
                            evidence=evidence))  # fmt: skip
    return tuple(out)


def _flagged_indexes(words: Sequence[dict], flags: Sequence[FlagItem]) -> set[int]:
    tokens: list[str] | None = None  # normalised only when some flag quotes words
    marked: set[int] = set()
    for flag in flags:
        for ev in flag.evidence:
            wanted = [t for t in (_norm(x) for x in ev.text.split()) if t]
            if "…" in ev.text or not wanted or len(wanted) > MAX_FLAGGED_PHRASE_WORDS:
                continue
            if tokens is None:
                tokens = [_norm(str(w.get("text", ""))) for w in words]
            n = len(wanted)
            starts = [i for i in range(len(tokens) - n + 1) if tokens[i : i + n] == wanted]
            if not starts:
                continue
            if ev.start is not None and all(_num(words[i].get("start")) is not None
                                            for i in starts):  # fmt: skip
                starts = [min(starts, key=lambda i: abs(float(words[i]["start"]) - ev.start))]
            for i in starts:
                if all(words[j].get("kind", "word") == "word" for j in range(i, i + n)):
                    marked.update(range(i, i + n))  # fillers have their own highlight
    return marked


def _pause_after(words: Sequence[dict], pauses: Sequence[dict]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    ends = [_num(w.get("end")) for w in words]
    for p in pauses:
        start = _num(p.get("start"))
        if start is None:
            continue
        best = None
        for i, end in enumerate(ends):
            if end is not None and end <= start + 0.05 and start - end < _PAUSE_MATCH_S:
                best = i
        if best is not None:
            found[best] = p
    return found


def transcript_segments(data: dict, flags: Sequence[FlagItem]) -> tuple[Segment, ...]:
    words = [w for w in data.get("words") or [] if isinstance(w, dict)]
    if not words and data.get("transcript"):
        words = [{"text": t, "kind": "word"} for t in str(data["transcript"]).split()]
    flagged = _flagged_indexes(words, flags)
    pauses = _pause_after(words, [p for p in data.get("pauses") or [] if isinstance(p, dict)])
    segments = []
    for i, w in enumerate(words):
        p = pauses.get(i)
        segments.append(Segment(
            text=str(w.get("text", "")), kind=str(w.get("kind", "word")), flagged=i in flagged,
            pause_after_s=None if p is None else _num(p.get("duration_s")),
            pause_kind=None if p is None else str(p.get("kind")),
        ))  # fmt: skip
    return tuple(segments)


def _pause_counts(data: dict, duration: float | None) -> dict[str, Any]:
    pauses = [p for p in data.get("pauses") or [] if isinstance(p, dict)]
    if data.get("duration_s") is None and not pauses:
        return {}  # typed transcript: no timings, no pause profile
    kinds = [str(p.get("kind")) for p in pauses]
    lengths = [d for d in (_num(p.get("duration_s")) for p in pauses) if d is not None]
    return {
        "thinking_pauses": kinds.count("thinking"),
        "hesitation_pauses": kinds.count("hesitation"),
        "boundary_pauses": kinds.count("boundary"),
        "longest_pause_s": round(max(lengths), 2) if lengths else 0.0,
        "pauses_per_minute": round(60.0 * len(pauses) / duration, 2) if duration else None,
    }


def take_figures(row: ReportTake) -> TakeFigures:
    take = row.take
    base = dict(take_id=take.id, session_id=take.session_id, started_at=take.started_at,
                question_id=take.question_id, question_text=row.question_text,
                status=take.status, duration_s=take.duration_s, model=row.model)  # fmt: skip
    data = take.analysis
    if not isinstance(data, dict):
        return TakeFigures(**base)
    pace, fillers = data.get("pace") or {}, data.get("fillers") or {}
    rubric = data.get("rubric") or {}
    flags = _flags(data)
    duration = _num(data.get("duration_s")) or take.duration_s
    base["duration_s"] = duration  # what the analysis measured (equals the audio's in the app)
    figures = TakeFigures(
        **base, analysed=True,
        wpm=_num(pace.get("wpm")), articulation_wpm=_num(pace.get("articulation_wpm")),
        fillers_per_minute=_num(fillers.get("per_minute")),
        filled_pauses=_int(fillers.get("filled_pauses")),
        lexical_fillers=_int(fillers.get("lexical")),
        **_pause_counts(data, duration),
        rehearsed=_num((data.get("delivery") or {}).get("rehearsed_score")),
        polish=_num((data.get("candour") or {}).get("polish_score")),
        rubric_coverage=_num(rubric.get("coverage")) if rubric else None,
        rubric_covered=tuple(str(c.get("point", "")) for c in rubric.get("covered") or []),
        rubric_missing=tuple(str(m) for m in rubric.get("missing") or []),
        follow_up=data.get("follow_up") if isinstance(data.get("follow_up"), str) else None,
        transcript=transcript_segments(data, flags), flags=flags,
    )  # fmt: skip
    return replace(figures, quality=take_quality(figures))

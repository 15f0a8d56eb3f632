"""A small, fully deterministic practice history for the report tests.

Three sessions over two weeks, three questions (one asked with a follow-up), seven takes,
one of them never analysed.  Analyses are written here by hand in the app's analysis JSON
format (schema 1), so the export goldens change only when the report code changes, not when
the analysis is retuned.  Times are fixed by rewriting the rows after the store made them.
"""

from __future__ import annotations

import numpy as np

from offscript.store.takes import Store

RATE = 16000
FIXED_CREATED = "2026-02-01T00:00:00.000+00:00"


def analysis(text: str, *, step: float = 0.4,
             pauses_after: dict[int, tuple[float, str]] | None = None,
             rehearsed: float | None = 0.4, polish: float | None = 0.5,
             rubric: tuple[list[str], list[str]] | None = None, flags: list[dict] = (),
             follow_up: str | None = None) -> dict:
    """Analysis JSON for ``text``: one word per ``step`` seconds, ``um``/``uh`` as filled
    pauses, ``like*`` as a lexical filler, silences after the given word indexes."""
    pauses_after = pauses_after or {}
    words, pauses, t = [], [], 0.5
    for i, token in enumerate(text.split()):
        kind = "filled_pause" if token.strip(",.").lower() in ("um", "uh") else "word"
        if token.endswith("*"):
            token, kind = token[:-1], "lexical_filler"
        words.append({"text": token, "start": round(t, 3), "end": round(t + step - 0.05, 3),
                      "kind": kind})
        t += step
        if i in pauses_after:
            length, pause_kind = pauses_after[i]
            pauses.append({"start": round(t - 0.05, 3), "end": round(t - 0.05 + length, 3),
                           "kind": pause_kind, "duration_s": length})
            t += length
    duration = round(t + 0.5, 3)
    minutes = duration / 60
    filled = sum(w["kind"] == "filled_pause" for w in words)
    lexical = sum(w["kind"] == "lexical_filler" for w in words)
    data = {
        "schema_version": 1, "source": "fixture", "duration_s": duration,
        "transcript": " ".join(w["text"] for w in words), "words": words,
        "pace": {"wpm": round(len(words) / minutes, 1),
                 "articulation_wpm": round(len(words) / (len(words) * step / 60), 1)},
        "pauses": pauses,
        "fillers": {"filled_pauses": filled, "lexical": lexical,
                    "per_minute": round((filled + lexical) / minutes, 2)},
        "delivery": {"rehearsed_score": rehearsed},
        "candour": {"polish_score": polish, "signals": []},
        "flags": list(flags),
    }
    if rubric is not None:
        covered, missing = rubric
        total = len(covered) + len(missing)
        data["rubric"] = {"coverage": round(len(covered) / total, 3),
                          "covered": [{"point": p, "phrase": p.lower()} for p in covered],
                          "missing": missing}
    if follow_up is not None:
        data["follow_up"] = follow_up
    return data


def flag(code: str, message: str, evidence: list[tuple[str, float | None]], *,
         severity: str = "warning", value: float | None = None,
         threshold: float | None = None, advice: str = "") -> dict:
    return {"code": code, "severity": severity, "message": message,
            "evidence": [{"text": t, "start": s, "end": None if s is None else s + 0.8}
                         for t, s in evidence],
            "value": value, "threshold": threshold, "advice": advice}


WHY = ("why-netflix", "Why do you want to work at Netflix?")
CONFLICT = ("conflict", "Tell me about a conflict with a colleague.")
FOLLOW = ("conflict#follow-up", "What would you do differently?")
FAIL = ("failure", "Describe a project that failed & what you learned.")

CLICHE = flag("cliches", "Stock phrases", [("team player", 2.9)],
              advice="Say what you did instead of the label.")
UMS = flag("filled_pauses_high", "3 filled pauses (um, uh) (9.1 per minute).",
           [("um", 0.5), ("uh", 2.1), ("um", 4.9)], value=9.1, threshold=6.0,
           advice="Replace um/uh with a short silent pause.")

# (session start, [(question, take start, analysis or None)])
SESSIONS = [
    ("2026-01-05T09:00:00.000+00:00", [
        (WHY, "2026-01-05T09:01:00.000+00:00", analysis(
            "um I am uh a big fan and I am a team player um so yes", step=0.55,
            pauses_after={3: (1.2, "hesitation"), 9: (0.6, "boundary")},
            rehearsed=0.7, polish=0.8, rubric=(["Culture memo"], ["A show you love", "Impact"]),
            flags=[UMS, CLICHE])),
        (CONFLICT, "2026-01-05T09:05:00.000+00:00", analysis(
            "we disagreed about the schema like* so I wrote a design doc", step=0.45,
            pauses_after={4: (1.5, "thinking")}, polish=0.6,
            rubric=(["Own role"], ["Outcome"]), follow_up="What would you do differently?")),
        (FOLLOW, "2026-01-05T09:07:00.000+00:00", None),
    ]),
    ("2026-01-12T18:30:00.000+00:00", [
        (WHY, "2026-01-12T18:31:00.000+00:00", analysis(
            "I have watched the culture memo change how teams decide and I want that",
            step=0.42, pauses_after={6: (0.5, "boundary")}, rehearsed=0.45, polish=0.4,
            rubric=(["Culture memo", "Impact"], ["A show you love"]))),
        (FAIL, "2026-01-12T18:36:00.000+00:00", analysis(
            "our launch slipped two weeks because I skipped load tests uh lesson learned",
            step=0.4, pauses_after={2: (0.7, "hesitation")}, rehearsed=0.3, polish=0.25,
            rubric=(["Cost", "Lesson"], []))),
    ]),
    ("2026-01-19T07:45:00.000+00:00", [
        (WHY, "2026-01-19T07:46:00.000+00:00", analysis(
            "Squid Game reached 142 million households and I want to build that reach",
            step=0.4, pauses_after={4: (0.8, "thinking")}, rehearsed=0.3, polish=0.2,
            rubric=(["Culture memo", "A show you love", "Impact"], []))),
        (CONFLICT, "2026-01-19T07:50:00.000+00:00", analysis(
            "I asked Priya for a call and we agreed to ship the smaller schema first",
            step=0.42, rehearsed=0.35, polish=0.3, rubric=(["Own role", "Outcome"], []))),
    ]),
]


def tone(seconds: float = 0.5) -> np.ndarray:
    n = int(RATE * seconds)
    return (0.2 * np.sin(np.arange(n) * 0.1)).astype(np.float32).reshape(-1, 1)


def fill_store(store: Store, sessions=SESSIONS) -> list[int]:
    """Write ``sessions`` into ``store`` the way the app does; returns the take ids."""
    take_ids = []
    for s_start, takes in sessions:
        sid = store.create_session("netflix-backend", "fast")
        for position, ((qid, text), t_start, data) in enumerate(takes):
            row = store.add_question(sid, qid, "fixture-bank", text, position)
            take_id, writer = store.start_take(row, RATE, 1)
            writer.write(tone(1.0 + 0.25 * position))
            store.finish_take(take_id, writer)
            if data is not None:
                store.save_analysis(take_id, data, "fast")
            with store._writing() as conn:
                conn.execute("UPDATE takes SET started_at = ?, ended_at = ? WHERE id = ?",
                             (t_start, t_start, take_id))
                conn.execute("UPDATE questions SET asked_at = ? WHERE id = ?", (t_start, row))
                conn.execute("UPDATE analyses SET created_at = ? WHERE take_id = ?",
                             (FIXED_CREATED, take_id))
            take_ids.append(take_id)
        store.end_session(sid)
        with store._writing() as conn:
            conn.execute("UPDATE sessions SET started_at = ?, ended_at = ? WHERE id = ?",
                         (s_start, s_start, sid))
    return take_ids

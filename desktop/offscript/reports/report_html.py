"""The report as one self-contained HTML file: inline CSS and SVG, no script, no links out.

Every piece of text that came from the user, a question bank or a transcript goes through
``html.escape`` (``_e``); markup is only ever built from our own constants around it.
Transcripts mark fillers, lexical fillers, flagged phrases and pauses (with their length).
"""

from __future__ import annotations

from html import escape

from offscript.reports.model import METRICS, QuestionSummary, Report, Segment, TakeFigures
from offscript.reports.progress_summary import (
    changes,
    focus,
    focus_scope,
    format_value,
    quote,
)
from offscript.reports.report_charts import overall_charts, question_charts, short_date

CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;max-width:1120px;
margin:0 auto;padding:24px;line-height:1.45;background:#fafafa}
h1{margin:0 0 4px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:36px}
.meta{color:#666;margin:0}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:150px}
.card .label{color:#666;font-size:13px}.card .value{font-size:22px;font-weight:bold}
.better{color:#1b7f3b}.worse{color:#b3261e}.same{color:#666}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:12px}
.charts svg{background:#fff;border:1px solid #ddd;border-radius:8px;max-width:100%;height:auto}
article.question{background:#fff;border:1px solid #ddd;border-radius:8px;padding:4px 18px 14px;
margin:18px 0}
table{border-collapse:collapse;margin:10px 0;font-size:14px}
th,td{padding:3px 9px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}
tr.best{background:#fff4cc;font-weight:bold}
details{margin:8px 0;border-left:3px solid #ddd;padding-left:10px}
details.best{border-color:#e6a700}summary{cursor:pointer;font-weight:bold}
.transcript{background:#fcfcfc;border:1px solid #eee;padding:8px 10px;border-radius:6px}
mark.filled_pause{background:#f6c344}mark.lexical_filler{background:#8ecae6}
.flagged{text-decoration:underline wavy #b3261e;text-underline-offset:3px}
.pause{color:#888;font-size:12px}.pause.hesitation{color:#d95f02}
.pause.thinking{color:#1b9e77}
.flag{margin:6px 0}.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;
color:#fff;background:#888}.sev.warning{background:#d98e04}.sev.problem{background:#b3261e}
.evidence{color:#555;font-size:13px}.advice{font-style:italic}
.legend span{margin-right:14px}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _card(label: str, value: str, note: str = "", cls: str = "") -> str:
    note_html = f'<div class="{cls}">{_e(note)}</div>' if note else ""
    return (f'<div class="card"><div class="label">{_e(label)}</div>'
            f'<div class="value">{_e(value)}</div>{note_html}</div>')


def _summary(report: Report) -> str:
    n_q, n_s = len(report.questions), len(report.sessions)
    cards = [_card("Takes", str(len(report.takes)), f"{n_q} questions, {n_s} sessions")]
    for c in changes(report):
        if c.first is None and c.latest is None:
            continue
        unit = "" if c.metric.fraction else f" {c.metric.unit}"
        note = f"from {c.text(c.first)}{unit} · {c.verdict}" if c.verdict else ""
        cards.append(_card(c.metric.label, c.text(c.latest) + unit, note, c.verdict))
    items = "".join(
        f"<li><b>{_e(f.message)}</b> — {_e(f.advice)} <span class='evidence'>"
        f"({_e(focus_scope(f, report))})</span></li>"
        for f in focus(report))
    advice = f"<h3>What to work on next</h3><ul>{items}</ul>" if items else ""
    return (f'<section id="summary"><h2>At a glance</h2><div class="cards">{"".join(cards)}'
            f"</div>{advice}</section>")


def _charts(charts: list[tuple[str, str]]) -> str:
    return '<div class="charts">' + "".join(
        f'<figure class="chart" data-chart="{_e(name)}" style="margin:0">{svg}</figure>'
        for name, svg in charts) + "</div>"  # fmt: skip


def _segment(s: Segment) -> str:
    text = _e(s.text)
    if s.kind in ("filled_pause", "lexical_filler"):
        text = f'<mark class="{_e(s.kind)}" title="filler">{text}</mark>'
    elif s.flagged:
        text = f'<span class="flagged" title="flagged phrase">{text}</span>'
    if s.pause_after_s is not None:
        kind = _e(s.pause_kind or "pause")
        text += (f' <span class="pause {kind}" title="{kind} pause">'
                 f"[{s.pause_after_s:.1f}s]</span>")
    return text


def transcript_html(take: TakeFigures) -> str:
    if not take.transcript:
        return '<p class="transcript"><i>No transcript.</i></p>'
    return '<p class="transcript">' + " ".join(_segment(s) for s in take.transcript) + "</p>"


def _figures_line(t: TakeFigures) -> str:
    parts = [f"{m.label}: {format_value(m, t.value(m.key))}" for m in METRICS
             if t.value(m.key) is not None]  # fmt: skip
    if t.duration_s:
        parts.insert(0, f"{t.duration_s:.0f} s")
    return " · ".join(_e(p) for p in parts)


def _flags_html(t: TakeFigures) -> str:
    rows = []
    for f in t.flags:
        ev = ", ".join(
            f"“{_e(quote(e.text))}”" + (f" at {e.start:.1f} s" if e.start is not None else "")
            for e in f.evidence[:4])
        measured = ""
        if f.value is not None and f.threshold is not None:
            measured = f" (measured {f.value:g}, threshold {f.threshold:g})"
        rows.append(
            f'<li class="flag"><span class="sev {_e(f.severity)}">{_e(f.severity)}</span> '
            f"{_e(f.message)}{_e(measured)}"
            + (f'<br><span class="evidence">Evidence: {ev}</span>' if ev else "")
            + (f'<br><span class="advice">{_e(f.advice)}</span>' if f.advice else "") + "</li>")
    return f"<h4>Flags</h4><ul>{''.join(rows)}</ul>" if rows else ""


def _rubric_html(t: TakeFigures) -> str:
    if t.rubric_coverage is None:
        return ""
    items = [f"<li>✔ {_e(p)}</li>" for p in t.rubric_covered]
    items += [f"<li>✘ {_e(p)}</li>" for p in t.rubric_missing]
    return f"<h4>Strong-answer points</h4><ul>{''.join(items)}</ul>"


def take_html(t: TakeFigures, best: bool) -> str:
    title = f"{'Best take' if best else 'Take'} — {t.started_at[:16].replace('T', ' ')} UTC"
    if t.wpm is not None:
        title += f" · {t.wpm:.0f} wpm"
    if t.fillers_per_minute is not None:
        title += f" · {t.fillers_per_minute:.1f} fillers/min"
    if not t.analysed:
        return (f"<details><summary>{_e(title)}</summary><p>Not analysed "
                f"({_e(t.status)}).</p></details>")
    follow = f"<p><b>Follow-up asked:</b> “{_e(t.follow_up)}”</p>" if t.follow_up else ""
    return (f'<details class="{"best" if best else "take"}"{" open" if best else ""} '
            f'id="take-{t.take_id}"><summary>{_e(title)}</summary>'
            f"<p>{_figures_line(t)}</p>{transcript_html(t)}{_rubric_html(t)}{follow}"
            f"{_flags_html(t)}</details>")


def _takes_table(report: Report, q: QuestionSummary) -> str:
    head = "".join(f"<th>{_e(m.heading)}</th>" for m in METRICS)
    rows = []
    for t in report.takes_of(q):
        cls = ' class="best"' if t.take_id == q.best_take_id else ""
        cells = "".join(f"<td>{_e(format_value(m, t.value(m.key)))}</td>" for m in METRICS)
        star = " ★" if t.take_id == q.best_take_id else ""
        rows.append(f"<tr{cls}><td>{_e(short_date(t.started_at))}{star}</td>{cells}</tr>")
    return f"<table><tr><th>Date</th>{head}</tr>{''.join(rows)}</table>"


def _question(report: Report, q: QuestionSummary, index: int) -> str:
    takes = report.takes_of(q)
    charts = _charts(question_charts(report, q, width=520)) if len(takes) > 1 else ""
    order = sorted(takes, key=lambda t: t.take_id != q.best_take_id)  # best first
    details = "".join(take_html(t, t.take_id == q.best_take_id) for t in order)
    n = len(takes)
    return (f'<article class="question" id="question-{index}"><h3>{_e(q.question_text)}</h3>'
            f'<p class="meta">{_e(q.question_id)} · {n} take{"s" if n != 1 else ""}</p>'
            f"{charts}{_takes_table(report, q)}{details}</article>")


def _header(report: Report) -> str:
    first, last = report.date_range
    scope = f"{first} to {last}" if first != last else first
    filters = []
    if report.filters.since:
        filters.append(f"since {report.filters.since}")
    if report.filters.session_id is not None:
        filters.append(f"session {report.filters.session_id}")
    shown = f" (filtered: {', '.join(filters)})" if filters else ""
    return (f"<header><h1>Interview practice progress</h1><p class='meta'>{_e(scope)}{_e(shown)}"
            f" · generated {_e(report.generated_at)} by Offscript</p></header>")


LEGEND = ('<p class="legend"><span><mark class="filled_pause">um</mark> filled pause</span>'
          '<span><mark class="lexical_filler">like</mark> filler word</span>'
          '<span><span class="flagged">phrase</span> flagged phrase</span>'
          '<span><span class="pause hesitation">[0.8s]</span> hesitation</span>'
          '<span><span class="pause thinking">[1.2s]</span> thinking pause</span>'
          '<span><span class="pause boundary">[0.4s]</span> pause between phrases</span>'
          "<span>★ best take: pace in band, few fillers, candid, rubric covered</span></p>")


def report_html(report: Report) -> str:
    questions = "".join(_question(report, q, i) for i, q in enumerate(report.questions, 1))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Offscript progress report</title><style>{CSS}</style></head><body>"
        f"{_header(report)}{_summary(report)}"
        f'<section id="trends"><h2>Over time</h2>{_charts(overall_charts(report))}</section>'
        f'<section id="questions"><h2>By question</h2>{LEGEND}{questions}</section>'
        "<footer><p class='meta'>Made offline by Offscript. Scores are estimates from your "
        "voice and words; read the evidence before trusting a flag.</p></footer>"
        "</body></html>\n"
    )

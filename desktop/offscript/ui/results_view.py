"""Shows one analysis: figures, transcript with fillers highlighted, and flags with evidence."""

from __future__ import annotations

import bisect
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from offscript.ui.figure_bands import figure_notes
from offscript.ui.pace_chart import BAND, PaceChart

_VALUE_STYLE = "font-size: 20px; font-weight: 600;"
_NOTE_STYLE = "color: palette(mid); font-size: 10px;"
_INSIDE = BAND.name()  # the pace chart's band green
_OUTSIDE = "#d9822b"  # an amber dark enough for text (the chart's bar amber is lighter)

_KIND_STYLE = {
    "filled_pause": "background:#f6c344;color:#000;border-radius:3px",
    "lexical_filler": "background:#8ecae6;color:#000;border-radius:3px",
}


def transcript_html(words: list[dict], pauses: list[dict]) -> str:
    """Transcript as HTML: fillers highlighted, pauses shown inline as [seconds]."""
    pause_after: dict[int, dict] = {}
    timed = [(w["end"], i) for i, w in enumerate(words) if w.get("end") is not None]
    ends = [end for end, _ in timed]  # in speaking order, so a binary search finds the word
    for p in pauses:
        k = bisect.bisect_right(ends, p["start"] - 0.35)
        if k < len(ends) and ends[k] < p["start"] + 0.35:
            pause_after[timed[k][1]] = p
    parts: list[str] = []
    for i, w in enumerate(words):
        text = html.escape(w["text"])
        style = _KIND_STYLE.get(w.get("kind", "word"))
        parts.append(f'<span style="{style}" title="{w["kind"]}">{text}</span>' if style else text)
        if i in pause_after:
            p = pause_after[i]
            secs = p["end"] - p["start"]
            parts.append(f'<span style="color:#888" title="{p["kind"]} pause">[{secs:.1f}s]</span>')
    return " ".join(parts)


def rubric_html(data: dict) -> str:
    """What a strong answer contains (covered / missing) and the interviewer's follow-up."""
    parts = []
    rubric = data.get("rubric")
    if rubric:
        covered = "".join(
            f"<li>✔ {html.escape(c['point'])} <small>(“{html.escape(c['phrase'])}”)</small></li>"
            for c in rubric["covered"]
        )
        missing = "".join(f"<li>✘ {html.escape(m)}</li>" for m in rubric["missing"])
        parts.append(
            f"<p><b>Strong-answer points: {len(rubric['covered'])} of "
            f"{len(rubric['covered']) + len(rubric['missing'])}</b></p><ul>{covered}{missing}</ul>"
        )
    if data.get("follow_up"):
        parts.append(f"<p><b>Follow-up:</b> “{html.escape(data['follow_up'])}”</p>")
    return "".join(parts)


def compare_text(data: dict, earlier: list[dict]) -> str:
    """One line comparing this take with the previous take of the same question."""
    if not earlier:
        return ""
    prev = earlier[-1]
    parts = []
    for label, now, before, better_lower in (
        ("pace", data["pace"].get("wpm"), prev["pace"].get("wpm"), None),
        ("fillers/min", data["fillers"].get("per_minute"), prev["fillers"].get("per_minute"), True),
        ("pauses", len(data["pauses"]), len(prev["pauses"]), None),
    ):
        if now is None or before is None:
            continue
        delta = now - before
        arrow = "↓" if delta < 0 else "↑" if delta > 0 else "="
        verdict = ""
        if better_lower is not None and delta:
            verdict = " (better)" if (delta < 0) == better_lower else " (worse)"
        parts.append(f"{label} {before:.0f} → {now:.0f} {arrow}{verdict}")
    n = len(earlier)
    return f"Compared with your previous take ({n} earlier): " + "; ".join(parts)


def _score(v: float | None) -> str:
    return "–" if v is None else f"{round(v * 100)}%"


def _num(v: object) -> str:
    """A measured value for reading: at most two decimals (one from 10 up), no trailing zeros."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return html.escape(str(v))
    text = f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def signals_html(data: dict) -> str:
    """Why the two scores are what they are: each signal with its value, threshold, evidence."""
    parts = []
    for key, title, legend in (
        ("candour", "Content: polished or candid?", "▲ sounds polished · ▼ sounds candid"),
        ("delivery", "Delivery: recited or thought through?", "▲ sounds recited · ▼ sounds live"),
    ):
        signals = data.get(key, {}).get("signals") or []
        if not signals:
            continue
        rows = []
        for s in signals:
            ev = ", ".join(f"“{html.escape(e['text'])}”" for e in s.get("evidence", [])[:3])
            tag = "▲" if s.get("direction") in ("polished", "rehearsed") else "▼"
            rows.append(
                f"<li>{tag} {html.escape(s['label'])}: {_num(s['value'])} "
                f"(threshold {_num(s['threshold'])})"
                f"<br><small>{html.escape(s.get('advice') or '')} {ev}</small></li>"
            )
        parts.append(f"<p><b>{title}</b> <small>{legend}</small></p><ul>{''.join(rows)}</ul>")
    return "".join(parts)


def _fmt(v: float | None, unit: str = "", digits: int = 0) -> str:
    return "–" if v is None else f"{v:.{digits}f}{unit}"


class ResultsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.figures: dict[str, QLabel] = {}
        names = [
            ("wpm", "Pace"),
            ("articulation", "Articulation"),
            ("pauses", "Pauses"),
            ("filled", "Um / uh"),
            ("lexical", "Lexical fillers"),
            ("per_minute", "Fillers / min"),
            ("rehearsed", "Sounds rehearsed"),
            ("polish", "Too polished"),
        ]
        self.notes: dict[str, QLabel] = {}  # the band each figure is judged against
        for i, (key, title) in enumerate(names):
            caption = QLabel(title)
            caption.setStyleSheet("color: palette(mid); font-size: 11px;")
            value = QLabel("–")
            value.setObjectName(f"figure_{key}")
            value.setStyleSheet(_VALUE_STYLE)
            note = QLabel()
            note.setObjectName(f"note_{key}")
            note.setStyleSheet(_NOTE_STYLE)
            note.setWordWrap(True)
            grid.addWidget(caption, 0, i)
            grid.addWidget(value, 1, i)
            grid.addWidget(note, 2, i)
            self.figures[key] = value
            self.notes[key] = note
        layout.addLayout(grid)
        self.pace_chart = PaceChart()
        layout.addWidget(self.pace_chart)
        self.comparison = QLabel()
        self.comparison.setObjectName("comparison")
        self.comparison.setWordWrap(True)
        layout.addWidget(self.comparison)
        # The transcript and the coaching (rubric, signals, flags) side by side: both stay in
        # view at once, and the candidate can drag the divider.
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("transcript")
        self.transcript.setOpenLinks(False)
        self.flags = QTextBrowser()
        self.flags.setObjectName("flags")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("feedback_split")
        split.setChildrenCollapsible(False)
        split.addWidget(self.transcript)
        split.addWidget(self.flags)
        split.setStretchFactor(0, 11)
        split.setStretchFactor(1, 9)
        layout.addWidget(split, 1)
        self.analysis: dict | None = None
        self.earlier: list[dict] = []  # analyses of earlier takes of the same question

    def show_analysis(self, data: dict) -> None:
        self.analysis = data
        pace, fillers, pauses = data["pace"], data["fillers"], data["pauses"]
        self.figures["wpm"].setText(_fmt(pace.get("wpm"), " wpm"))
        self.figures["articulation"].setText(_fmt(pace.get("articulation_wpm"), " wpm"))
        self.figures["pauses"].setText(str(len(pauses)))
        self.figures["filled"].setText(str(fillers["filled_pauses"]))
        self.figures["lexical"].setText(str(fillers["lexical"]))
        self.figures["per_minute"].setText(_fmt(fillers.get("per_minute"), "", 1))
        self.figures["rehearsed"].setText(_score(data.get("delivery", {}).get("rehearsed_score")))
        self.figures["polish"].setText(_score(data.get("candour", {}).get("polish_score")))
        for key, note in figure_notes(data).items():
            self.notes[key].setText(note.text)
            colour = {True: _INSIDE, False: _OUTSIDE}.get(note.ok)  # type: ignore[arg-type]
            self.figures[key].setStyleSheet(
                _VALUE_STYLE + (f" color: {colour};" if colour else "")
            )
            self.figures[key].setToolTip(
                "" if note.ok is None else ("inside the band" if note.ok else "outside the band")
            )
        self.pace_chart.set_timeline(pace.get("timeline") or [])
        self.comparison.setText(compare_text(data, self.earlier))
        self.transcript.setHtml(
            transcript_html(data["words"], pauses) or "<i>No words recognised.</i>"
        )
        items = []
        for f in data.get("flags", []):
            ev = ", ".join(
                f"“{html.escape(e['text'])}” at {_fmt(e.get('start'), ' s', 1)}"
                for e in f.get("evidence", [])[:5]
            )
            advice = html.escape(f.get("advice") or "")
            items.append(
                f"<p><b>{html.escape(f['message'])}</b><br>{advice}"
                + (f"<br><small>{ev}</small>" if ev else "")
                + "</p>"
            )
        self.flags.setHtml(
            rubric_html(data)
            + signals_html(data)
            + ("".join(items) or "<p>No problems found in this answer.</p>")
        )

    def clear(self) -> None:
        self.analysis = None
        self.pace_chart.set_timeline([])
        self.comparison.clear()
        for label in self.figures.values():
            label.setText("–")
            label.setStyleSheet(_VALUE_STYLE)
            label.setToolTip("")
        for note in self.notes.values():
            note.clear()
        self.transcript.clear()
        self.flags.clear()

"""The report as a PDF (fpdf2, LGPL-3.0): summary, trend charts, then each question.

Charts are the same SVG as the HTML report, drawn by fpdf2 as vectors.  Text uses DejaVu
Sans when the system has it (every script, the app's own font on Linux); otherwise the
built-in Helvetica, with characters it cannot encode replaced.  Each question shows its
trend charts, every take in a table, and the best and the latest take in full: transcript
with fillers, flagged phrases and pauses marked, rubric points, flags with evidence, advice.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from offscript.reports.model import METRICS, QuestionSummary, Report, TakeFigures
from offscript.reports.progress_summary import (
    changes,
    focus,
    focus_scope,
    format_value,
    quote,
)
from offscript.reports.report_charts import overall_charts, question_charts, short_date

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"))  # fmt: skip
STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
INK, MUTED, RULE = (34, 34, 34), (110, 110, 110), (221, 221, 221)
VERDICT = {"better": (27, 127, 59), "worse": (179, 38, 30), "same": MUTED}
FILL = {"filled_pause": (246, 195, 68), "lexical_filler": (142, 202, 230)}
SEVERITY = {"warning": (217, 142, 4), "problem": (179, 38, 30), "info": (136, 136, 136)}
PAUSE_INK = {"hesitation": (217, 95, 2), "thinking": (27, 158, 119)}


def _font_files() -> dict[str, Path] | None:
    for folder in FONT_DIRS:
        files = {style: folder / name for style, name in STYLES.items()}
        if all(p.is_file() for p in files.values()):
            return files
    return None


class _ReportPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(14, 14, 14)
        self.set_auto_page_break(True, margin=14)
        files = _font_files()
        self.unicode = files is not None
        if files:
            for style, path in files.items():
                self.add_font("DejaVu", style, str(path))
        self.family = "DejaVu" if self.unicode else "Helvetica"
        self.set_title("Offscript progress report")
        self.set_creator("Offscript")

    def t(self, text: str) -> str:
        """Text the current font can encode."""
        if self.unicode:
            return text
        text = text.replace("…", "...").replace("–", "-").replace("—", "-")
        return text.replace("“", '"').replace("”", '"').replace("’", "'").encode(
            "latin-1", "replace").decode("latin-1")

    def font(self, size: float, style: str = "", colour: tuple[int, int, int] = INK) -> None:
        self.set_font(self.family, style, size)
        self.set_text_color(*colour)

    def footer(self) -> None:
        self.set_y(-10)
        self.font(8, colour=MUTED)
        self.cell(0, 5, self.t(f"Offscript progress report · page {self.page_no()}"), align="C")

    def heading(self, text: str, size: float = 15) -> None:
        self.font(size, "B")
        self.multi_cell(0, size * 0.5, self.t(text), new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(3)

    def para(self, text: str, size: float = 9.5, style: str = "",
             colour: tuple[int, int, int] = INK) -> None:
        self.font(size, style, colour)
        self.multi_cell(0, size * 0.48, self.t(text), new_x="LMARGIN", new_y="NEXT",
                        align="L")

    def need(self, mm: float) -> None:
        """Start a new page unless ``mm`` of height is left."""
        if self.get_y() + mm > self.page_break_trigger:
            self.add_page()

    def charts(self, svgs: list[str], per_row: int, aspect: float) -> None:
        """SVG charts ``per_row`` across; ``aspect`` is their height / width."""
        gap = 4.0
        width = (self.epw - gap * (per_row - 1)) / per_row
        height = width * aspect
        for start in range(0, len(svgs), per_row):
            self.need(height + 2)
            y = self.get_y()
            for i, svg in enumerate(svgs[start : start + per_row]):
                self.image(svg.encode("utf-8"), x=self.l_margin + i * (width + gap), y=y, w=width)
            self.set_y(y + height + gap)


def _cards(pdf: _ReportPDF, report: Report) -> None:
    cards = [("Takes", str(len(report.takes)),
              f"{len(report.questions)} questions, {len(report.sessions)} sessions", "")]
    for c in changes(report):
        if c.first is None and c.latest is None:
            continue
        unit = "" if c.metric.fraction else f" {c.metric.unit}"
        note = f"from {c.text(c.first)} · {c.verdict}" if c.verdict else ""
        cards.append((c.metric.label, c.text(c.latest) + unit, note, c.verdict))
    per_row, gap, h = 4, 3.0, 17.0
    w = (pdf.epw - gap * (per_row - 1)) / per_row
    pdf.set_draw_color(*RULE)
    for i, (label, value, note, verdict) in enumerate(cards):
        if i % per_row == 0:
            pdf.need(h + gap)
            y = pdf.get_y()
        x = pdf.l_margin + (i % per_row) * (w + gap)
        pdf.rect(x, y, w, h)
        pdf.set_xy(x + 2.5, y + 1.5)
        pdf.font(8, colour=MUTED)
        pdf.cell(w - 5, 4, pdf.t(label))
        pdf.set_xy(x + 2.5, y + 5.5)
        pdf.font(13, "B")
        pdf.cell(w - 5, 6, pdf.t(value))
        pdf.set_xy(x + 2.5, y + 11.5)
        pdf.font(7.5, colour=VERDICT.get(verdict, MUTED))
        pdf.cell(w - 5, 4, pdf.t(note))
        if i % per_row == per_row - 1 or i == len(cards) - 1:
            pdf.set_xy(pdf.l_margin, y + h + gap)


def _transcript(pdf: _ReportPDF, take: TakeFigures) -> None:
    size, lh = 9.5, 5.2
    right = pdf.w - pdf.r_margin
    pdf.set_x(pdf.l_margin)
    for s in take.transcript:
        pdf.font(size)
        text = pdf.t(s.text)
        w = pdf.get_string_width(text) + 0.6
        if pdf.get_x() + w > right:
            pdf.ln(lh)
        fill = FILL.get(s.kind)
        if fill:
            pdf.set_fill_color(*fill)
        x, y = pdf.get_x(), pdf.get_y()
        pdf.cell(w, lh, text, fill=bool(fill))
        if s.flagged and not fill:
            pdf.set_draw_color(179, 38, 30)
            pdf.set_line_width(0.35)
            pdf.line(x, y + lh - 0.6, x + w, y + lh - 0.6)
            pdf.set_line_width(0.2)
        if s.pause_after_s is not None:
            pdf.font(7.5, colour=PAUSE_INK.get(s.pause_kind or "", MUTED))
            mark = f"[{s.pause_after_s:.1f}s]"
            mw = pdf.get_string_width(mark) + 1.2
            if pdf.get_x() + mw + 1.0 > right:
                pdf.ln(lh)
            else:
                pdf.set_x(pdf.get_x() + 1.0)
            pdf.cell(mw, lh, mark, align="C")
        pdf.set_x(pdf.get_x() + 1.0)
    pdf.ln(lh + 1.5)


def _take(pdf: _ReportPDF, t: TakeFigures, title: str) -> None:
    pdf.need(30)
    pdf.para(f"{title} · {t.started_at[:16].replace('T', ' ')} UTC", 10.5, "B")
    figures = [f"{m.label}: {format_value(m, t.value(m.key))}" for m in METRICS
               if t.value(m.key) is not None]  # fmt: skip
    pdf.para(" · ".join(figures), 8.5, colour=MUTED)
    pdf.ln(1)
    _transcript(pdf, t)
    if t.rubric_coverage is not None:
        points = [f"✔ {p}" for p in t.rubric_covered] + [f"✘ {p}" for p in t.rubric_missing]
        pdf.para("Strong-answer points: " + "   ".join(points), 8.5)
    if t.follow_up:
        pdf.para(f"Follow-up asked: “{t.follow_up}”", 8.5)
    for f in t.flags:
        pdf.need(12)
        pdf.font(8.5, "B", SEVERITY.get(f.severity, MUTED))
        pdf.cell(pdf.get_string_width(f.severity.upper()) + 2, 4.5, f.severity.upper())
        measured = ""
        if f.value is not None and f.threshold is not None:
            measured = f" (measured {f.value:g}, threshold {f.threshold:g})"
        pdf.font(8.5)
        pdf.multi_cell(0, 4.5, pdf.t(f.message + measured), new_x="LMARGIN", new_y="NEXT",
                       align="L")
        evidence = ", ".join(
            f"“{quote(e.text)}”" + (f" at {e.start:.1f} s" if e.start is not None else "")
            for e in f.evidence[:4])
        if evidence:
            pdf.para("Evidence: " + evidence, 8, colour=MUTED)
        if f.advice:
            pdf.para(f.advice, 8, "I")
    pdf.ln(2)


def _takes_table(pdf: _ReportPDF, report: Report, q: QuestionSummary) -> None:
    pdf.font(8)
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(255, 255, 255)  # the table starts from the current style: no highlight
    widths = (20, *(((pdf.epw - 20) / len(METRICS),) * len(METRICS)))
    best_style = FontFace(emphasis="BOLD", fill_color=(255, 244, 204))
    heads = FontFace(emphasis="BOLD", color=MUTED)
    with pdf.table(col_widths=widths, text_align="RIGHT", line_height=4.6,
                   headings_style=heads, borders_layout="HORIZONTAL_LINES") as table:
        table.row([pdf.t("Date")] + [pdf.t(m.heading) for m in METRICS])
        for t in report.takes_of(q):
            best = t.take_id == q.best_take_id
            mark = (" ★" if pdf.unicode else " *") if best else ""
            row = table.row()
            for text in [short_date(t.started_at) + mark] + [
                    format_value(m, t.value(m.key)) for m in METRICS]:  # fmt: skip
                row.cell(pdf.t(text), style=best_style if best else None)
    pdf.ln(2)


def _question(pdf: _ReportPDF, report: Report, q: QuestionSummary) -> None:
    takes = report.takes_of(q)
    pdf.need(60)
    pdf.heading(q.question_text, 12)
    n = len(takes)
    pdf.para(f"{q.question_id} · {n} take{'s' if n != 1 else ''}", 8.5, colour=MUTED)
    pdf.ln(1)
    if n > 1:
        charts = question_charts(report, q, standalone=True, width=340, height=190)
        pdf.charts([svg for _, svg in charts], per_row=3, aspect=190 / 340)
    _takes_table(pdf, report, q)
    best = next((t for t in takes if t.take_id == q.best_take_id), None)
    latest = next((t for t in reversed(takes) if t.analysed), None)
    if best is not None:
        _take(pdf, best, "Best take")
    if latest is not None and latest is not best:
        _take(pdf, latest, "Latest take")
    if best is None and latest is None:
        pdf.para("No take of this question was analysed.", 9, "I", MUTED)
    pdf.ln(3)


def report_pdf(report: Report) -> bytes:
    pdf = _ReportPDF()
    pdf.add_page()
    pdf.font(20, "B")
    pdf.cell(0, 10, pdf.t("Interview practice progress"), new_x="LMARGIN", new_y="NEXT")
    first, last = report.date_range
    scope = f"{first} to {last}" if first != last else first
    filters = [f"since {report.filters.since}"] if report.filters.since else []
    if report.filters.session_id is not None:
        filters.append(f"session {report.filters.session_id}")
    extra = f" (filtered: {', '.join(filters)})" if filters else ""
    pdf.para(f"{scope}{extra} · generated {report.generated_at} by Offscript", 9, colour=MUTED)
    pdf.ln(3)
    pdf.heading("At a glance")
    _cards(pdf, report)
    tips = focus(report)
    if tips:
        pdf.para("What to work on next", 11, "B")
        for f in tips:
            pdf.para(f"• {f.message} — {f.advice} ({focus_scope(f, report)})", 9)
        pdf.ln(2)
    pdf.heading("Over time")
    charts = overall_charts(report, standalone=True, width=460, height=210)
    pdf.charts([svg for _, svg in charts], per_row=2, aspect=210 / 460)
    pdf.add_page()
    pdf.heading("By question")
    pdf.para("Transcripts: yellow = um/uh, blue = filler word, red underline = flagged "
             "phrase, [1.2s] = pause (orange hesitation, green thinking). ★ = best take: pace "
             "in band, few fillers, candid, rubric covered.", 8, colour=MUTED)
    pdf.ln(2)
    for q in report.questions:
        _question(pdf, report, q)
    return bytes(pdf.output())

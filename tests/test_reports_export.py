"""Progress report exports: CSV/JSON against golden files, JSON round trip, HTML structure and
escaping, PDF rendered to PNG with poppler, and the ``offscript report`` command's bad input.

Goldens live in tests/data/reports/; after an intended change regenerate them with
``OFFSCRIPT_REGEN_GOLDENS=1 .venv/bin/python -m pytest tests/test_reports_export.py`` and
review the diff before committing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from offscript.cli import main
from offscript.errors import BadInputError
from offscript.reports.charts import Series, line_chart, nice_ticks
from offscript.reports.export import write_report
from offscript.reports.gather import build_report
from offscript.reports.model import Segment
from offscript.reports.report_html import report_html
from offscript.reports.report_json import dump_report, load_report
from offscript.store.takes import Store
from report_fixture import SESSIONS, WHY, analysis, fill_store

GOLDEN_DIR = Path(__file__).resolve().parent / "data" / "reports"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "report_pdf"
GENERATED_AT = "2026-02-01T12:00:00+00:00"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def store():
    s = Store.open()
    fill_store(s)
    yield s
    s.close()


@pytest.fixture
def report(store):
    return build_report(store, generated_at=GENERATED_AT)


def _golden(name: str, actual: str) -> None:
    path = GOLDEN_DIR / name
    if os.environ.get("OFFSCRIPT_REGEN_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"missing golden {path}: run with OFFSCRIPT_REGEN_GOLDENS=1"
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_exports_match_their_golden_files(report, tmp_path, fmt) -> None:
    out = write_report(report, fmt, tmp_path / f"progress.{fmt}")
    _golden(f"progress.{fmt}", out.read_bytes().decode("utf-8"))


def test_the_fixture_report_holds_what_the_goldens_show(report) -> None:
    # the golden files are only worth something if the data behind them is right
    assert len(report.takes) == 7 and len(report.sessions) == 3
    why = next(q for q in report.questions if q.question_id == WHY[0])
    assert len(why.take_ids) == 3 and why.best_take_id == why.take_ids[-1]
    first, last = (report.take(i) for i in (why.take_ids[0], why.take_ids[-1]))
    assert first.quality < last.quality
    assert first.filled_pauses == 3 and first.hesitation_pauses == 1
    assert [s.text for s in first.transcript if s.flagged] == ["team", "player"]
    assert first.transcript[0].kind == "filled_pause" and first.transcript[0].text == "um"
    unanalysed = [t for t in report.takes if not t.analysed]
    assert len(unanalysed) == 1 and unanalysed[0].wpm is None
    assert report.sessions[0].means["wpm"] == pytest.approx(
        (first.wpm + report.take(report.sessions[0].take_ids[1]).wpm) / 2, abs=1e-3)


def test_json_round_trips_to_an_equal_report(report) -> None:
    text = dump_report(report)
    assert load_report(text) == report
    changed = replace(report.takes[0], question_text="Ünïcode “quotes” & <tags>",
                      transcript=(Segment("naïve", "word", True, 1.5, "thinking"),))
    odd = replace(report, takes=(changed, *report.takes[1:]))
    assert load_report(dump_report(odd)) == odd
    assert load_report(dump_report(odd)) != report


@pytest.mark.parametrize("text", ["not json", '{"kind": "other"}', "[]",
                                  '{"kind": "offscript-progress-report", "schema_version": 99}'])
def test_loading_something_else_is_a_clear_error(text) -> None:
    with pytest.raises(BadInputError):
        load_report(text)


def test_a_damaged_report_is_a_clear_error(report) -> None:
    text = dump_report(report).replace('"wpm": 82.8', '"wpm": "fast"', 1)
    assert text != dump_report(report)
    with pytest.raises(BadInputError, match="Damaged report"):
        load_report(text)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self.ids.update(v for k, v in attrs if k == "id" and v)


def test_html_is_self_contained_with_every_section_and_chart(report) -> None:
    page = report_html(report)
    parsed = _Tags()
    parsed.feed(page)
    assert {"summary", "trends", "questions"} <= parsed.ids
    assert {f"question-{i}" for i in range(1, len(report.questions) + 1)} <= parsed.ids
    # 5 overall charts + 5 for each question with more than one take (2 of them)
    assert parsed.tags.count("svg") == 5 + 5 * 2
    assert page.count('data-chart="pace"') == 3
    for forbidden in ("script", "link", "iframe", "img", "object", "embed"):
        assert forbidden not in parsed.tags
    assert not [v for k, v in parsed.attrs if k in ("src", "href")]
    assert "http" not in page and "url(" not in page and "@import" not in page
    assert '<mark class="filled_pause" title="filler">um</mark>' in page
    assert '<mark class="lexical_filler" title="filler">like</mark>' in page
    assert '<span class="flagged" title="flagged phrase">team</span>' in page
    assert '<span class="pause hesitation" title="hesitation pause">[1.2s]</span>' in page
    assert "Replace um/uh with a short silent pause." in page  # advice
    assert "“um” at 0.5 s" in page  # evidence with its time
    assert "Describe a project that failed &amp; what you learned." in page


def test_html_escapes_script_tags_in_questions_and_transcripts(tmp_path) -> None:
    with Store.open() as s:
        hostile = analysis(f"I said {SCRIPT} and \"quotes\" & 'apostrophes'", flags=[{
            "code": "cliches", "severity": "warning", "message": f"Stock phrase {SCRIPT}",
            "evidence": [{"text": SCRIPT, "start": 1.0, "end": 1.4}], "value": 1.0,
            "threshold": 0.0, "advice": f"Advice {SCRIPT}"}],
            rubric=([SCRIPT], [f"<img src=x onerror=alert(1)>{SCRIPT}"]), follow_up=SCRIPT)
        fill_store(s, [(SESSIONS[0][0], [((f"q-{SCRIPT}", f"Why {SCRIPT}?"),
                                          "2026-01-05T09:01:00.000+00:00", hostile)])])
        report = build_report(s, generated_at=GENERATED_AT)
    out = write_report(report, "html", tmp_path / "hostile.html")
    page = out.read_text(encoding="utf-8")
    assert SCRIPT not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("&lt;script&gt;") >= 6  # question, id, transcript, flag, rubric, follow-up
    parsed = _Tags()
    parsed.feed(page)
    assert "script" not in parsed.tags and not any(k.startswith("on") for k, _ in parsed.attrs)


def _pdf_pages(pdf: Path, out_dir: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not found: install poppler-utils (make test does)")
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(out_dir / "page")],
                   check=True, capture_output=True, timeout=120)
    return sorted(out_dir.glob("page-*.png"))


def _ink(png: Path) -> float:
    from PIL import Image

    with Image.open(png) as img:
        grey = img.convert("L")
        dark = sum(grey.histogram()[:200])
        return dark / (grey.width * grey.height)


def test_pdf_renders_to_the_expected_pages_none_blank(report, tmp_path) -> None:
    pdf = write_report(report, "pdf", tmp_path / "progress.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    pages = _pdf_pages(pdf, ARTIFACTS)
    # page 1: summary and overall trends; then the questions, each starting where it fits
    assert len(pages) == 3
    inks = [_ink(p) for p in pages]
    assert all(ink > 0.005 for ink in inks), inks
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for q in report.questions:
        assert q.question_text in text
    assert "Squid Game reached 142 million" in text  # the best take's transcript
    assert "At a glance" in text and "Over time" in text and "By question" in text


def test_pdf_page_count_grows_with_the_history(store, tmp_path) -> None:
    more = [(f"2026-01-{day:02d}T10:00:00.000+00:00", [
        ((f"q{k}", f"Question number {k}?"), f"2026-01-{day:02d}T10:0{k}:00.000+00:00",
         analysis("so um I led the migration of forty services and it took a year " * 4,
                  pauses_after={5: (0.8, "hesitation")}, rubric=(["Scope"], ["Cost"])))
        for k in range(4)]) for day in range(20, 28)]
    fill_store(store, more)
    report = build_report(store, generated_at=GENERATED_AT)
    pages = _pdf_pages(write_report(report, "pdf", tmp_path / "long.pdf"),
                       ARTIFACTS.parent / "report_pdf_long")
    assert len(pages) >= 5
    assert all(_ink(p) > 0.005 for p in pages)


def test_filters_pick_takes_by_date_and_session(store) -> None:
    since = build_report(store, since="2026-01-12")
    assert {t.date for t in since.takes} == {"2026-01-12", "2026-01-19"}
    one = build_report(store, session_id=2)
    assert {t.session_id for t in one.takes} == {2} and len(one.takes) == 2
    assert one.filters.session_id == 2


def _run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    return code, capsys.readouterr().err


def test_cli_writes_each_format(store, tmp_path, capsys) -> None:
    for fmt in ("pdf", "html", "csv", "json"):
        out = tmp_path / f"r.{fmt}"
        code, err = _run(["report", "--since", "2026-01-12", "--format", fmt,
                          "--out", str(out)], capsys)
        assert code == 0 and out.stat().st_size > 0, err
        assert re.search(r"wrote .* \(4 takes", err)


@pytest.mark.parametrize("args, message", [
    (["--since", "2026-13-40"], "is not a date"),
    (["--since", "last week"], "is not a date"),
    (["--session", "999"], "no session 999"),
    (["--session", "two"], "invalid int value"),
    (["--since", "2030-01-01"], "No takes since 2030-01-01"),
])  # fmt: skip
def test_cli_bad_filters_exit_2_with_one_line(store, tmp_path, capsys, args, message) -> None:
    out = tmp_path / "r.csv"
    code, err = _run(["report", *args, "--format", "csv", "--out", str(out)], capsys)
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_cli_unwritable_paths_and_empty_history_exit_2(tmp_path, capsys) -> None:
    code, err = _run(["report", "--format", "csv", "--out", str(tmp_path)], capsys)
    assert code == 2 and "No takes" in err  # empty history is checked first
    with Store.open() as s:
        fill_store(s)
    for target, message in ((tmp_path / "missing" / "r.pdf", "does not exist"),
                            (tmp_path, "is a folder")):
        code, err = _run(["report", "--format", "pdf", "--out", str(target)], capsys)
        assert code == 2 and message in err and "Traceback" not in err
    code, err = _run(["report", "--format", "docx", "--out", "x.docx"], capsys)
    assert code == 2 and "invalid choice" in err


def test_a_failed_export_leaves_the_old_file_untouched(report, tmp_path, monkeypatch) -> None:
    import errno

    from offscript.store import atomic

    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "progress.html"
    target.write_text("previous report")

    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    with pytest.raises(BadInputError, match="disk is full"):
        write_report(report, "html", target)
    assert target.read_text() == "previous report"
    assert [p.name for p in folder.iterdir()] == ["progress.html"]  # no temp file left


def test_chart_ticks_gaps_and_labels() -> None:
    assert nice_ticks(0, 10) == [0, 2.5, 5, 7.5, 10]
    assert nice_ticks(83, 123)[0] <= 83 and nice_ticks(83, 123)[-1] >= 123
    svg = line_chart("A <b> title", ["1 Jan", "2 Jan", "3 Jan", "4 Jan"],
                     [Series("x", [100.0, None, 120.0, 130.0])], band=(110, 170))
    assert "A &lt;b&gt; title" in svg and "<b>" not in svg
    assert svg.count("<polyline") == 1  # the gap splits the line; a lone point has no line
    assert svg.count("<circle") == 3
    empty = line_chart("Nothing", ["1 Jan"], [Series("x", [None])])
    assert "not measured" in empty

"""The Progress page: trend charts overall and per question, best takes, and Export… running
on a worker thread; reachable from the main window's Progress menu."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from offscript.reports.gather import build_report
from offscript.reports.model import Segment
from offscript.store.takes import Store
from offscript.ui.progress_page import ProgressPage, segments_html
from offscript.ui.services import AppServices
from offscript.ui.workers import JobRunner
from report_fixture import WHY, fill_store
from ui_support import save_screenshot


def _services(store: Store) -> AppServices:
    return AppServices(store=store, questions=[], voice=None, transcriber=None,  # type: ignore[arg-type]
                       speaker=None, open_microphone=None, warm_up=lambda: None)  # type: ignore[arg-type]  # fmt: skip


def _page(qtbot, store: Store) -> tuple[ProgressPage, JobRunner]:
    jobs = JobRunner()
    page = ProgressPage(_services(store), jobs)
    qtbot.addWidget(page)
    page.resize(1150, 900)
    page.show()
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    return page, jobs


def test_progress_shows_trends_best_takes_and_each_question(qtbot):
    store = Store.open()
    fill_store(store)
    page, jobs = _page(qtbot, store)
    report = page.report
    assert page.scope_box.count() == 1 + len(report.questions)
    assert len(page.charts) == 5 and all(c.renderer().isValid() for c in page.charts)
    assert {c.objectName() for c in page.charts} >= {"chart-pace", "chart-fillers",
                                                    "chart-pauses", "chart-scores"}
    assert "7 takes" in page.status.text()
    save_screenshot(page, "progress_overall")

    page.show_question(WHY[0])
    why = next(q for q in report.questions if q.question_id == WHY[0])
    assert page.scope_box.currentData() == WHY[0]
    assert len(page.charts) == 5 and all(c.renderer().isValid() for c in page.charts)
    texts = " ".join(w.text() for w in page.scroll.widget().findChildren(type(page.status)))
    best = report.take(why.best_take_id)
    assert "Best take" in texts and "Squid Game" in texts and best.date[:4] in texts
    save_screenshot(page, "progress_question")

    page.show_question("failure")  # one take: no trend to draw
    assert page.charts == []
    jobs.wait()
    store.close()


def test_export_runs_in_the_background_and_reports_failures(qtbot, tmp_path: Path):
    store = Store.open()
    fill_store(store)
    page, jobs = _page(qtbot, store)
    target = tmp_path / "progress.pdf"
    with qtbot.waitSignal(page.export_finished, timeout=30_000) as done:
        page.export_to(target, "pdf")
        assert not page.export_btn.isEnabled()  # busy while the worker writes
    assert done.args == [str(target)]
    assert target.read_bytes()[:5] == b"%PDF-"
    assert "Exported to" in page.status.text() and page.export_btn.isEnabled()

    with qtbot.waitSignal(page.export_failed, timeout=30_000) as failed:
        page.export_to(tmp_path / "no-such-folder" / "r.html", "html")
    assert "does not exist" in failed.args[0]
    assert "Export failed" in page.status.text()
    jobs.wait()
    store.close()


def test_empty_history_says_what_to_do_and_cannot_export(qtbot):
    store = Store.open()
    page, jobs = _page(qtbot, store)
    assert not page.export_btn.isEnabled() and page.charts == []
    texts = " ".join(w.text() for w in page.scroll.widget().findChildren(type(page.status)))
    assert "No takes yet" in texts
    jobs.wait()
    store.close()


def test_transcript_rich_text_escapes_and_highlights():
    store = Store.open()
    fill_store(store)
    report = build_report(store)
    store.close()
    first = report.takes[0]
    html = segments_html(first)
    assert 'background:#f6c344;color:#000">um</span>' in html
    assert 'underline">team</span>' in html and "[1.2s]" in html
    hostile = replace(first, transcript=(Segment("<script>alert(1)</script>"),))
    assert segments_html(hostile) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_the_main_window_menu_opens_progress(qtbot, speech_dir):
    import soundfile as sf

    from offscript.ui.main_window import MainWindow
    from ui_support import fake_services

    clip = "mfamono_cold_corpus"
    samples, sr = sf.read(speech_dir / "audio" / f"{clip}.wav", dtype="float32")
    services, _ = fake_services(samples, speech_dir / "words" / f"{clip}.json", sr)
    fill_store(services.store)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    menu = win.progress_nav.menu
    assert menu.title() == "&Progress"
    action = next(a for a in menu.actions() if "Progress charts" in a.text())
    action.trigger()
    page = win.progress_nav.page
    assert win.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.report is not None and len(page.charts) == 5, timeout=10_000)
    save_screenshot(win, "progress_window")
    page.back_requested.emit()
    assert win.stack.currentWidget() is win.home
    win.jobs.wait()
    win.close()
    services.store.close()


def test_export_dialog_adds_the_chosen_formats_extension(qtbot, tmp_path: Path, monkeypatch):
    from offscript.ui import progress_page

    store = Store.open()
    fill_store(store)
    page, jobs = _page(qtbot, store)
    chosen = str(tmp_path / "my progress")  # no extension typed: the filter decides
    monkeypatch.setattr(progress_page.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (chosen, progress_page.EXPORT_FILTERS["csv"]))
    with qtbot.waitSignal(page.export_finished, timeout=30_000) as done:
        page.choose_export()
    assert done.args == [chosen + ".csv"]
    assert Path(chosen + ".csv").read_text(encoding="utf-8").startswith("take_id,session_id,")
    jobs.wait()
    store.close()

"""The History page: filters, delete with confirmation, re-analyse, and 10,000 takes fast."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import soundfile as sf

from offscript.ui.history_page import PAGE, HistoryPage
from offscript.ui.workers import JobRunner
from test_history_store import record_take, scored
from ui_support import fake_services, save_screenshot

CLIP = "mfamono_acoustic_corpus"
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "history_10k.py"


def _services(speech_dir):
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    services, _ = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    return services, samples


def _page(qtbot, services):
    jobs = JobRunner()
    page = HistoryPage(services, jobs)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    return page, jobs


def test_history_filters_and_deletes_takes_and_sessions_with_their_files(qtbot, speech_dir):
    services, _ = _services(speech_dir)
    store = services.store
    a = record_take(store, "why-us", scored(110), text="Why do you want to work here?")
    b = record_take(store, "conflict", scored(185, fillers=8.0), text="Tell me about a conflict.")
    c = record_take(store, "conflict", scored(140), session=b.session_id)
    page, jobs = _page(qtbot, services)
    assert page.model.rowCount() == 3 and page.count_label.text() == "3 takes"
    save_screenshot(page, "history")
    page.text_edit.setText("conflict")
    page.apply_filter()
    assert {r.take_id for r in page.model.rows} == {b.id, c.id}
    page.score_box.setCurrentIndex(page.score_box.findData("wpm"))
    page.min_edit.setText("150")
    page.apply_filter()
    assert [r.take_id for r in page.model.rows] == [b.id]
    page.text_edit.clear()
    page.min_edit.clear()
    page.apply_filter()

    asked: list[str] = []
    page.confirm = lambda title, text: asked.append(text) is not None and False  # "No"
    assert page.select_take(a.id)
    assert not page.delete_selected_take()
    assert store.get_take(a.id) is not None and asked
    page.confirm = lambda title, text: True
    a_file = store.audio_file(a)
    assert page.delete_selected_take()
    assert store.get_take(a.id) is None and not a_file.exists()
    assert page.model.total == 2
    files = [store.audio_file(store.get_take(t.id)) for t in (b, c)]
    assert page.select_take(b.id) and page.delete_selected_session()
    assert page.model.total == 0 and not any(f.exists() for f in files)
    jobs.wait()
    store.close()


def test_reanalyse_a_take_with_another_model_in_the_background(qtbot, speech_dir):
    services, samples = _services(speech_dir)
    made: list[str] = []

    def make_transcriber(name):
        made.append(name)
        return services.transcriber

    services.make_transcriber = make_transcriber
    take = record_take(services.store, "why-us", scored(100), samples=samples)
    page, jobs = _page(qtbot, services)
    page.select_take(take.id)
    page.model_box.setCurrentText("accurate")
    page.reanalyse_selected()
    qtbot.waitUntil(lambda: page.buttons["reanalyse"].isEnabled(), timeout=20000)
    assert made == ["accurate"]
    latest = services.store.latest_analysis(take.id)
    assert "acoustic" in latest["transcript"] and latest["pace"]["wpm"] > 0
    assert page.model.rows[0].model == "reference"
    assert page.status_label.text() == "Re-analysed."
    jobs.wait()
    services.store.close()


def test_history_of_10000_takes_opens_under_a_second(qtbot, speech_dir):
    spec = importlib.util.spec_from_file_location("history_10k", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    services, _ = _services(speech_dir)
    bench.fill_history(services.store, 10_000)
    jobs = JobRunner()
    seconds, page = bench.time_open(services, jobs)
    qtbot.addWidget(page)
    print(f"history with 10,000 takes opened in {seconds * 1000:.0f} ms")
    assert page.model.total == 10_000 and page.model.rowCount() == PAGE
    assert seconds < 1.0
    assert page.model.canFetchMore()
    page.table.scrollToBottom()  # the view asks for the next pages itself
    page.model.fetchMore()
    assert 2 * PAGE <= page.model.rowCount() < 10_000
    save_screenshot(page, "history_10k")
    services.store.close()

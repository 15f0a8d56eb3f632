"""Compare takes of one question, and the Review menu's way through history → take → compare."""

from __future__ import annotations

import json

import soundfile as sf

from offscript.analysis.answer import analyse_answer
from offscript.analysis.words import Word
from offscript.ui.compare_view import improvements
from offscript.ui.main_window import MainWindow
from test_history_store import record_take
from ui_support import fake_services, save_screenshot

CLIP = "mfamono_acoustic_corpus"


def _analysis(speech_dir, drop_fillers: bool = False) -> tuple:
    samples, sr = sf.read(speech_dir / "audio" / f"{CLIP}.wav", dtype="float32")
    ref = json.loads((speech_dir / "words" / f"{CLIP}.json").read_text())
    words = [Word(w["word"], w["start"], w["end"]) for w in ref
             if not (drop_fillers and w["word"] in ("um", "uh"))]  # fmt: skip
    data = analyse_answer(words, source=CLIP, duration_s=len(samples) / sr, audio=samples, sr=sr)
    return samples, sr, data.to_json()


def test_improvements_say_what_got_better_and_worse() -> None:
    before = {"pace": {"wpm": 190}, "fillers": {"filled_pauses": 5, "per_minute": 9.0}}
    after = {"pace": {"wpm": 150}, "fillers": {"filled_pauses": 7, "per_minute": 3.0}}
    lines = improvements(before, after)
    assert "✔ pace closer to 110–170 wpm" in lines
    assert "✘ um/uh: 5 → 7 (worse)" in lines
    assert "✔ Fillers / min: 9.0 → 3.0 (better)" in lines
    assert improvements(before, before) == ["No measurable change."]


def test_review_menu_history_take_and_compare(qtbot, speech_dir) -> None:
    samples, sr, first = _analysis(speech_dir)
    _, _, second = _analysis(speech_dir, drop_fillers=True)
    services, _ = fake_services(samples, speech_dir / "words" / f"{CLIP}.json", sr)
    t1 = record_take(services.store, "why-us", first, samples=samples)
    t2 = record_take(services.store, "why-us", second, samples=samples)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    nav = win.review_nav
    assert next(a.text() for a in nav.menu.actions()) == "&History…"
    nav.show_history()
    assert win.stack.currentWidget() is nav.history and nav.history.model.total == 2
    assert nav.history.select_take(t1.id)
    nav.history.buttons["review"].click()
    assert win.stack.currentWidget() is nav.review
    assert nav.review.player.duration_s > 20 and len(nav.review.words) > 50
    nav.review.back_requested.emit()
    nav.history.buttons["compare"].click()
    page = nav.compare
    assert win.stack.currentWidget() is page
    assert page.left.picker.currentData() == t1.id and page.right.picker.currentData() == t2.id
    assert page.left.values["um/uh"].text() == str(first["fillers"]["filled_pauses"])
    assert page.right.values["um/uh"].text() == "0"
    assert "um/uh" in page.verdict.text() and "better" in page.verdict.text()
    assert "acoustic" in page.left.transcript.toPlainText()
    win.resize(1200, 800)
    save_screenshot(win, "review_compare")
    win.close()
    services.store.close()

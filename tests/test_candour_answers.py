"""Candour on the labelled answers: accuracy, invariances, evidence, JSON shape, speed, weights."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from offscript.analysis import candour
from offscript.analysis.candour import analyse_candour
from offscript.analysis.fillers import tag_words
from offscript.analysis.words import Word
from offscript.content.fields import KNOWN_FIELDS
from offscript.evaluation.candour_eval import (
    DEFAULT_SETS,
    UNSEEN,
    evaluate_candour,
    fit_weights,
    format_candour_report,
    half_of,
    in_fit,
    load_rows,
    roc_auc,
    split_of,
)

DATA = Path(__file__).parent / "data" / "candour"
ANSWERS = DATA / "answers.jsonl"
OTHER = DATA / "other_author.jsonl"
ROWS = load_rows(ANSWERS)
POLISHED = [r for r in ROWS if r["label"] == "polished"]
FLAG_CODES = {"too_polished", "vague_we", "no_mistake_admitted", "success_spin", "cliches",
              "humble_brag", "absolute_claims", "no_specifics"}


def test_the_labelled_set_is_balanced_and_big_enough() -> None:
    assert len(ROWS) >= 80 and len({r["id"] for r in ROWS}) == len(ROWS)
    assert sum(r["label"] == "candid" for r in ROWS) == len(POLISHED)
    held = [r for r in ROWS if split_of(r) == "held_out"]
    assert 0.35 <= len(held) / len(ROWS) <= 0.45
    other = load_rows(OTHER)
    assert len(other) >= 20 and {split_of(r) for r in other} == {"other_author"}
    assert len({r["author"] for r in other}) >= 3


def test_both_classes_have_fillers_at_similar_rates() -> None:
    def rate(rows: list[dict]) -> float:
        words = [w for r in rows for w in tag_words([Word(t) for t in r["text"].split()])]
        return sum(w.kind != "word" for w in words) / len(words)
    candid = [r for r in ROWS if r["label"] == "candid"]
    assert rate(candid) > 0.005 and rate(POLISHED) > 0.005
    assert 0.5 < rate(candid) / rate(POLISHED) < 2.0


def test_held_out_accuracy() -> None:
    report = evaluate_candour(ANSWERS)
    held = report["splits"]["held_out"]
    assert held["n"] >= 32
    assert held["accuracy"] >= 0.9
    assert held["auc"] >= 0.9
    assert report["splits"]["train"]["accuracy"] >= 0.9


def test_other_author_set_is_reported_separately() -> None:
    report = evaluate_candour(DATA)
    assert set(report["splits"]) == {"train", "held_out", "other_author", "blind_after_freeze"}
    assert report["splits"]["other_author"]["accuracy"] >= 0.8
    assert report["splits"]["blind_after_freeze"]["accuracy"] >= 0.75
    text = format_candour_report(report)
    assert "held_out" in text and "other_author" in text and "AUC" in text


EXTERNAL = load_rows(DATA.parent / "candour_blind")


def test_external_set_is_reported_whole_and_by_half() -> None:
    report = evaluate_candour(DEFAULT_SETS)
    splits = report["splits"]
    assert splits["external_blind"]["n"] == 48
    assert splits["external_blind odd (fit)"]["n"] == splits["external_blind even"]["n"] == 24
    # the even half never informed a feature or a weight: it is the honest figure
    assert splits["external_blind even"]["accuracy"] >= 0.85
    assert splits["external_blind"]["accuracy"] >= 0.9
    assert "external_blind even" in format_candour_report(report)


# Each written blind by another author and scored once, with the features and weights already
# final: the third 43 of 48 (0.896, AUC 0.984), the fourth (written after the third was scored,
# model unchanged) 47 of 48 (0.979, AUC 1.000).  Bounds: those figures less one or two answers.
@pytest.mark.parametrize(("split", "min_accuracy", "min_auc"),
                         [("holdout_blind", 0.87, 0.95), ("fourth_blind", 0.93, 0.97)])
def test_later_authors_blind_sets_only_measure(split: str, min_accuracy: float,
                                               min_auc: float) -> None:
    final = evaluate_candour(DEFAULT_SETS)["splits"][split]
    assert final["n"] == 48
    assert final["accuracy"] >= min_accuracy and final["auc"] >= min_auc
    rows = [r for r in load_rows(DEFAULT_SETS) if r.get("split") == split]
    assert len(rows) == 48 and not any(in_fit(r) for r in rows)
    assert sum(r["label"] == "polished" for r in rows) == 24


def test_all_blind_answers_never_fitted_are_reported_together() -> None:
    # 24 (second author, even half) + 48 (third) + 48 (fourth): 111 of 120 right (0.925)
    report = evaluate_candour(DEFAULT_SETS)
    unseen = report["splits"][UNSEEN]
    assert unseen["n"] == 24 + 48 + 48
    assert unseen["accuracy"] >= 0.9
    assert UNSEEN in format_candour_report(report)


def test_only_the_dev_authors_odd_answers_are_fitted_on() -> None:
    row = {"id": "x001", "label": "candid", "text": "t", "split": "external_blind"}
    assert half_of({**row, "author": "blind-helper-2026-11-25"}) == "odd (fit)"
    assert in_fit({**row, "author": "blind-helper-2026-11-25"})
    assert half_of({**row, "author": "someone else"}) is None
    assert not in_fit({**row, "author": "someone else"})
    assert not in_fit({**row, "id": "x002", "author": "blind-helper-2026-11-25"})


@pytest.mark.parametrize("row", EXTERNAL, ids=[r["id"] for r in EXTERNAL])
def test_fillers_and_repetition_do_not_move_answers_by_another_author(row: dict) -> None:
    # filled pauses only: a "like," after "I" is a verb to the filler tagger ("I like, assumed")
    words = row["text"].split()
    ums = " ".join(w + (" um," if i % 4 == 3 else " uh," if i % 7 == 6 else "")
                   for i, w in enumerate(words))
    before = analyse_candour(None, row["text"]).polish_score
    assert abs(analyse_candour(None, ums).polish_score - before) < 0.05
    twice = analyse_candour(None, row["text"] + " " + row["text"]).polish_score
    assert abs(twice - before) <= 0.1


def test_roc_auc() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert roc_auc([1, 0], [0.5, 0.5]) == 0.5
    assert roc_auc([1, 1], [0.2, 0.3]) is None


def test_stored_weights_are_the_fit_on_train_and_the_odd_external_half() -> None:
    rows = load_rows(DEFAULT_SETS)
    fitted = [r for r in rows if in_fit(r)]
    assert len(fitted) == 75
    assert {split_of(r) for r in fitted} == {"train", "external_blind"}
    assert all(int(r["id"][1:]) % 2 == 1 for r in fitted if split_of(r) == "external_blind")
    weights, bias = fit_weights(DEFAULT_SETS)
    assert bias == pytest.approx(candour.BIAS, abs=0.002)
    for name, value in weights.items():
        assert value == pytest.approx(candour.WEIGHTS[name], abs=0.002), name


def _with_fillers(text: str) -> str:
    words = text.split()
    out = []
    for i, w in enumerate(words):
        out.append(w)
        if i % 4 == 3:
            out.append(("um,", "uh,", "like,", "you know,")[i % 3])
    return " ".join(out)


@pytest.mark.parametrize("row", POLISHED, ids=[r["id"] for r in POLISHED])
def test_adding_fillers_does_not_make_a_polished_answer_candid(row: dict) -> None:
    before = analyse_candour(None, row["text"]).polish_score
    after = analyse_candour(None, _with_fillers(row["text"])).polish_score
    assert after >= 0.5
    assert abs(after - before) < 0.05


def test_removing_fillers_does_not_make_candid_answers_polished() -> None:
    for row in ROWS:
        if row["label"] != "candid":
            continue
        clean = re.sub(r"\b(?:um|uh),?\s", "", row["text"], flags=re.IGNORECASE)
        assert analyse_candour(None, clean).polish_score < 0.5, row["id"]


def test_doubling_an_answer_does_not_change_its_score() -> None:
    for row in ROWS:
        once = analyse_candour(None, row["text"]).polish_score
        twice = analyse_candour(None, row["text"] + " " + row["text"]).polish_score
        assert abs(twice - once) <= 0.1, row["id"]


def _said(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_signal_and_flag_shows_evidence_from_the_answer(row: dict) -> None:
    result = analyse_candour(None, row["text"])
    said = _said(row["text"])
    for item in [*result.signals, *result.flags]:
        assert item.evidence, item.code
        for e in item.evidence:
            assert e.text and e.text.lower() in said, (item.code, e.text)
            assert e.start is None and e.end is None
    for s in result.signals:
        assert s.advice.endswith(".") and s.advice.count(". ") == 0, s.advice
    assert {f.code for f in result.flags} <= FLAG_CODES


def test_json_shape() -> None:
    data = analyse_candour(None, POLISHED[0]["text"]).to_json()
    json.dumps(data, allow_nan=False)
    assert 0.0 <= data["polish_score"] <= 1.0
    assert data["signals"]
    for s in data["signals"]:
        assert set(s) == {"code", "label", "value", "threshold", "direction", "evidence",
                          "advice"}
        assert s["direction"] in ("honest", "polished")
        assert all(set(e) == {"text", "start", "end"} for e in s["evidence"])
    expected = {"bool": bool, "number": (int, float), "count": int}
    for path, ftype in KNOWN_FIELDS.items():
        name = path.removeprefix("candour.")
        if path.startswith("candour.") and name not in ("polish_score", "signals"):
            assert isinstance(data[name], expected[ftype]), path


def _timed_words(n_words: int, seconds: float) -> list[Word]:
    text = " ".join(r["text"] for r in ROWS[:8]).split()[:n_words]
    step = seconds / n_words
    return [Word(w, start=i * step, end=i * step + step * 0.8) for i, w in enumerate(text)]


def test_a_two_minute_answer_takes_under_300_ms() -> None:
    words = tag_words(_timed_words(300, 120.0))
    text = " ".join(w.text for w in words)
    analyse_candour(words, text)  # compiled patterns are module-level; warm the caches
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = analyse_candour(words, text)
        runs.append(time.perf_counter() - t0)
    assert sorted(runs)[2] < 0.3
    timed = [e for s in result.signals for e in s.evidence]
    assert timed and all(e.start is not None and e.end >= e.start for e in timed)

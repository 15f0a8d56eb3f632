"""Filled pauses and lexical fillers: spelling variants, context rules, real transcripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from offscript.analysis.fillers import count_fillers, tag_words
from offscript.analysis.words import Word
from offscript.evaluation.lexical_eval import evaluate_lexical, load_labelled

DATA = Path(__file__).parent / "data"


def words_of(text: str, timed: bool = False) -> list[Word]:
    pieces = text.split()
    if not timed:
        return [Word(p) for p in pieces]
    return [Word(p, i * 0.4, i * 0.4 + 0.3) for i, p in enumerate(pieces)]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(w.text, w.kind) for w in tag_words(words_of(text)) if w.kind != "word"]


@pytest.mark.parametrize("raw", ["Um,", "uh-", "hmm...", "umm", "uhh", "erm", "hm", "mm",
                                 "mhm", "Uhm.", "ER", "ah", "-um", "“Um”"])
def test_filled_pause_spellings_are_recognised(raw: str) -> None:
    assert tag_words([Word(raw)])[0].kind == "filled_pause"


@pytest.mark.parametrize("raw", ["her", "are", "'er", "’er", "hum", "um-brella", "me", "a",
                                 "err-", "oh"])
def test_words_that_only_look_like_filled_pauses(raw: str) -> None:
    expected = "filled_pause" if raw == "err-" else "word"
    assert tag_words([Word(raw)])[0].kind == expected


def test_canonical_breakdown_merges_spelling_variants() -> None:
    counts = count_fillers(tag_words(words_of("Um, umm uhm uh uhh hmm hm")))
    assert counts.breakdown == {"um": 3, "uh": 2, "hmm": 2}
    assert counts.filled_pauses == 7 and counts.lexical == 0


@pytest.mark.parametrize(("text", "fillers"), [
    ("I like Spark.", []),
    ("I would like to join.", []),
    ("It looks like a cache.", []),
    ("It was, like, slow.", ["like,"]),
    ("You know the answer.", []),
    ("We were, you know, late.", ["you", "know,"]),
    ("What I mean by latency is this.", []),
    ("I mean, it worked.", ["I", "mean,"]),
    ("A kind of cache.", []),
    ("It was kind of slow.", ["kind", "of"]),
    ("we're just yknow there's some speech errors", ["yknow"]),
])
def test_context_decides_whether_a_word_is_a_filler(text: str, fillers: list[str]) -> None:
    assert [t for t, _ in kinds(text)] == fillers


def test_multi_word_filler_is_tagged_per_word_but_counted_once() -> None:
    tagged = tag_words(words_of("We had to, you know, rethink it. You know, it was late."))
    assert sum(w.kind == "lexical_filler" for w in tagged) == 4
    counts = count_fillers(tagged)
    assert counts.lexical == 2 and counts.breakdown == {"you know": 2}


def test_a_silence_after_like_is_filler_evidence_when_timed() -> None:
    words = [Word("it", 0.0, 0.2), Word("was", 0.2, 0.4), Word("like", 0.4, 0.6),
             Word("slow", 1.2, 1.5)]
    assert tag_words(words)[2].kind == "lexical_filler"
    words[3] = Word("slow", 0.62, 0.9)
    assert tag_words(words)[2].kind == "word"  # no gap, no comma: "was like slow" unclear


def test_rates_need_timings() -> None:
    text = "um so I was like really into it you know"
    untimed = count_fillers(tag_words(words_of(text)))
    assert untimed.per_minute is None and untimed.per_100_words > 0
    timed = count_fillers(tag_words(words_of(text, timed=True)))
    assert timed.per_minute is not None and timed.per_minute > 0


def test_tagging_keeps_every_word_in_order() -> None:
    words = words_of("Um, so, you know, the answer is, uh, kind of complicated, right?")
    tagged = tag_words(words)
    assert [w.text for w in tagged] == [w.text for w in words]


def test_filled_pause_counts_match_every_verbatim_transcript(speech_manifest: dict) -> None:
    wrong = {}
    for clip_id, row in speech_manifest.items():
        counts = count_fillers(tag_words(words_of(row["transcript"])))
        if counts.filled_pauses != int(row["n_filled_pauses"]):
            wrong[clip_id] = (counts.filled_pauses, int(row["n_filled_pauses"]))
    exact = len(speech_manifest) - len(wrong)
    print(f"\nfilled pauses: {exact}/{len(speech_manifest)} clips exact")
    assert not wrong, f"(found, expected) per clip: {wrong}"


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_lexical_filler_precision_and_recall_on_labelled_sentences(split: str) -> None:
    """Targets of issue 3 (P >= 0.90, R >= 0.85) on each part of the labelled set: ``dev`` was
    used to write the rules, ``heldout`` was written before they were run on it."""
    result = evaluate_lexical(DATA / "lexical_fillers.csv")
    assert result["sentences"] >= 150
    part = result["splits"][split]
    labels = [i.label for i in load_labelled(DATA / "lexical_fillers.csv") if i.split == split]
    assert part["sentences"] >= 70 and 0.4 <= sum(labels) / len(labels) <= 0.6  # balanced
    print(f"\nlexical fillers ({split}): P {part['precision']:.3f} R {part['recall']:.3f}; "
          f"wrong: {part['wrong']}")
    assert part["precision"] >= 0.90 and part["recall"] >= 0.85, part["wrong"]


def test_every_filler_phrase_is_labelled_both_ways() -> None:
    items = load_labelled(DATA / "lexical_fillers.csv")
    for phrase in ("like", "you know", "i mean", "kind of", "sort of", "basically", "actually",
                   "so", "right"):
        labels = {i.label for i in items if i.phrase == phrase}
        assert labels == {0, 1}, phrase

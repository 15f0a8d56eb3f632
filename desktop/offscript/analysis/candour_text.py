"""An answer prepared for the candour rules: fillers removed, words normalised, spans → evidence.

Candour is about *what* was said, so filled pauses ("um") and lexical fillers ("like" as a
filler, "you know") are dropped before any phrase is matched or any rate is computed: a
disfluent answer must not look more honest, nor a fluent one more polished, for that alone.
Every match keeps the positions of the words it came from, so evidence carries the words as
said and, for recognised speech, their times.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from offscript.analysis.fillers import tag_words
from offscript.analysis.tokens import normalise
from offscript.analysis.words import Evidence, TaggedWord, Word

_SENTENCE_END = re.compile(r"[.?!…]['\")\]]*$")
_EDGE = re.compile(r"^[^\w'%$€£]+|[^\w'%]+$")


@dataclass(frozen=True)
class CandourText:
    """Content words of an answer (fillers dropped) and how to find them in what was said."""

    words: tuple[TaggedWord, ...]  # every word as given, fillers included
    index: tuple[int, ...]  # content position -> index in ``words``
    norms: tuple[str, ...]  # normalised content words ("70%" -> "70 percent")
    sentence_start: tuple[bool, ...]  # does content word i start a sentence?
    joined: str  # norms joined by single spaces, the string phrases are matched against
    offsets: tuple[int, ...]  # where each norm starts in ``joined``

    @property
    def n_words(self) -> int:
        return len(self.norms)

    def find(self, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        """Content-word spans ``(first, last)`` (inclusive) where ``pattern`` matches."""
        spans = []
        for m in pattern.finditer(self.joined):
            first = bisect_right(self.offsets, m.start()) - 1
            last = bisect_right(self.offsets, m.end() - 1) - 1
            spans.append((first, last))
        return spans

    def evidence(self, span: tuple[int, int]) -> Evidence:
        """The words said from content word ``first`` to ``last`` (fillers between included)."""
        lo, hi = self.index[span[0]], self.index[span[1]]
        said = self.words[lo:hi + 1]
        text = " ".join(w.text for w in said)
        text = _EDGE.sub("", text) or text
        return Evidence(text=text, start=said[0].start, end=said[-1].end)

    def sentence_spans(self) -> list[tuple[int, int]]:
        """Content-word spans of sentences (punctuation-based; 20-word chunks when unpunctuated)."""
        starts = [i for i, s in enumerate(self.sentence_start) if s]
        if len(starts) <= 1 and self.n_words > 30:
            starts = list(range(0, self.n_words, 20))
        bounds = [*starts, self.n_words]
        return [(a, b - 1) for a, b in itertools.pairwise(bounds) if b > a]


def _words_from_text(text: str) -> list[Word]:
    words: list[Word] = []
    for piece in text.split():
        if not any(c.isalnum() for c in piece) and words:
            words[-1] = Word(words[-1].text + piece)  # stray "-" or "…" belongs to the word before
        else:
            words.append(Word(piece))
    return words


def _norm(raw: str) -> str:
    core = normalise(raw)
    if "%" in raw and core and core[-1].isdigit():
        return core + " percent"
    return core


def prepare(tagged_words: Sequence[TaggedWord] | None, text: str) -> CandourText:
    """Content words from recognised words when given (times kept), else from ``text``."""
    words = list(tagged_words) if tagged_words else tag_words(_words_from_text(text or ""))
    index: list[int] = []
    norms: list[str] = []
    starts: list[bool] = []
    new_sentence = True
    for i, w in enumerate(words):
        if w.kind == "word":
            norm = _norm(w.text)
            if norm and any(c.isalnum() for c in norm):
                index.append(i)
                norms.append(norm)
                starts.append(new_sentence)
                new_sentence = False
        if _SENTENCE_END.search(w.text.strip()):
            new_sentence = True
    offsets: list[int] = []
    pos = 0
    for n in norms:
        offsets.append(pos)
        pos += len(n) + 1
    return CandourText(words=tuple(words), index=tuple(index), norms=tuple(norms),
                       sentence_start=tuple(starts), joined=" ".join(norms),
                       offsets=tuple(offsets))


def capitalised(ct: CandourText, i: int) -> bool:
    """Was content word i said with a capital (or internal capital/digit, like ``p99``, ``S3``)?"""
    raw = re.sub(r"^[^\w]+", "", ct.words[ct.index[i]].text)
    if not raw:
        return False
    has_inner = any(c.isupper() for c in raw[1:]) or (
        any(c.isdigit() for c in raw) and any(c.isalpha() for c in raw))
    return raw[0].isupper() or has_inner

"""``offscript eval lexical [CSV]``: lexical-filler rules scored on labelled sentences.

The CSV has ``sentence,label[,split]``: the sentence marks one target with brackets
("It was, [like], really hard.") and ``label`` is 1 when the target works as a filler there, 0
when it carries meaning.  ``split`` names the part: ``dev`` sentences were used to write the
rules in ``analysis/fillers.py``, ``heldout`` ones were written before the rules were run on
them.  A target counts as predicted when every one of its words is tagged ``lexical_filler``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from offscript.analysis.fillers import tag_words
from offscript.analysis.words import Word
from offscript.errors import BadInputError
from offscript.evaluation.metrics import Scores, total

DEFAULT_CSV = Path(__file__).resolve().parents[3] / "tests" / "data" / "lexical_fillers.csv"


@dataclass(frozen=True)
class LabelledTarget:
    sentence: str
    index: int  # first target word
    size: int  # words in the target
    label: int
    split: str
    phrase: str

    def predicted(self) -> bool:
        tagged = tag_words([Word(t) for t in self.sentence.split()])
        return all(w.kind == "lexical_filler" for w in tagged[self.index:self.index + self.size])


def load_labelled(path: Path = DEFAULT_CSV) -> list[LabelledTarget]:
    """The labelled targets of ``path`` (BadInputError naming the line when one is malformed)."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: cannot read it ({exc}).") from exc
    items = []
    for line, row in enumerate(rows, start=2):
        marked, label = row.get("sentence") or "", (row.get("label") or "").strip()
        target = re.search(r"\[(.+?)\]", marked)
        if target is None or label not in ("0", "1"):
            raise BadInputError(f"{path}:{line}: needs a [bracketed] target and label 0 or 1.")
        before = marked[:target.start()]
        items.append(LabelledTarget(
            sentence=marked.replace("[", "").replace("]", ""), index=len(before.split()),
            size=len(target.group(1).split()), label=int(label),
            split=(row.get("split") or "all").strip() or "all",
            phrase=target.group(1).lower().strip(",.?!")))
    return items


def _scores(items: list[LabelledTarget]) -> tuple[Scores, list[dict]]:
    tp = n_hyp = n_ref = 0
    wrong = []
    for item in items:
        hit = item.predicted()
        tp += hit and item.label == 1
        n_hyp += hit
        n_ref += item.label == 1
        if hit != bool(item.label):
            wrong.append({"sentence": item.sentence, "target": item.phrase, "label": item.label})
    return Scores(tp, n_hyp, n_ref), wrong


def evaluate_lexical(path: Path = DEFAULT_CSV) -> dict:
    """Precision/recall per split, per filler phrase and overall, with the wrong sentences."""
    items = load_labelled(path)
    splits: dict[str, dict] = {}
    for name in sorted({i.split for i in items}):
        part = [i for i in items if i.split == name]
        scores, wrong = _scores(part)
        splits[name] = {"sentences": len(part), **scores.to_json(), "wrong": wrong}
    phrases = {}
    for phrase in sorted({i.phrase for i in items}):
        scores, _ = _scores([i for i in items if i.phrase == phrase])
        phrases[phrase] = scores.to_json()
    overall = total(_scores([i for i in items if i.split == s])[0] for s in splits)
    return {"file": str(path), "sentences": len(items), "splits": splits, "phrases": phrases,
            "overall": overall.to_json()}


def _fmt(x: float | None) -> str:
    return "   -" if x is None else f"{x:.2f}"


def format_lexical_report(result: dict) -> str:
    """A readable table: P/R/F1 per split, overall and per phrase, then every wrong sentence."""
    def row(name: str, s: dict, n: int | None = None) -> str:
        count = f"{n:4d}" if n is not None else "    "
        fmt = _fmt
        return (f"{name:12} {count}  {fmt(s['precision'])}  {fmt(s['recall'])}  "
                f"{fmt(s['f1'])}  (tp {s['tp']}, predicted {s['hyp']}, fillers {s['ref']})")
    lines = [f"lexical fillers on {result['file']}", "part         sent  P     R     F1"]
    for name, s in result["splits"].items():
        lines.append(row(name, s, s["sentences"]))
    lines.append(row("overall", result["overall"], result["sentences"]))
    lines.append("by phrase:")
    lines += [row("  " + name, s) for name, s in result["phrases"].items()]
    for name, s in result["splits"].items():
        for w in s["wrong"]:
            kind = "missed filler" if w["label"] else "false filler"
            lines.append(f"  [{name}] {kind}: {w['sentence']} ({w['target']})")
    return "\n".join(lines)

"""How well ``candour.polish_score`` separates candid from polished answers on a labelled set.

A set is JSON lines: ``{"id", "question", "label": "candid"|"polished", "text", "author"}``
and optionally ``"split"``. Without a split, the id decides, fixed once and for all: ids whose
number is 0 or 3 modulo 5 are ``held_out`` (40%), the rest ``train``.

The weights (``fit_weights``) are fitted on ``train`` plus the odd-numbered half of the
``external_blind`` set (answers written blind by another author, ``tests/data/candour_blind``);
that half was also the only external text looked at while the features were changed. The even
half, ``held_out``, the ``other_author`` voices and ``blind_after_freeze`` only measure, and
the report shows the two external halves apart. A folder means every ``*.jsonl`` file in it.
Polished is the positive class.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from offscript.analysis.candour import POLISHED_FROM, analyse_candour
from offscript.analysis.candour_features import FEATURES, features, find_matches
from offscript.analysis.candour_text import prepare
from offscript.errors import BadInputError

LABELS = ("candid", "polished")
_DATA = Path(__file__).resolve().parents[3] / "tests" / "data"
# What ``offscript eval candour`` reads without a path, and what the weights are fitted on.
# ``candour_blind2`` (split ``holdout_blind``, a third author) was written blind and scored once,
# after the features and weights were final: it only ever measures.  So does ``candour_blind3``
# (split ``fourth_blind``, a fourth author, written and scored once in session 3 with the
# features and weights of session 2 unchanged).
DEFAULT_SETS = (_DATA / "candour", _DATA / "candour_blind", _DATA / "candour_blind2",
                _DATA / "candour_blind3")
# The external set used for development: odd ids are fitted on, even ids only measure. Keyed on
# its author too, so another set that reuses the split name is never shown as "fit".
DEV_SPLIT, DEV_AUTHOR = "external_blind", "blind-helper-2026-11-25"


UNSEEN = "blind, never fitted"


def is_blind(row: dict) -> bool:
    """Written by a helper who never read the rules or the data (see tests/data/candour_blind*)."""
    return str(row.get("author", "")).startswith("blind-helper")


def _id_number(row: dict) -> int | None:
    digits = "".join(c for c in str(row["id"]) if c.isdigit())
    return int(digits) if digits else None


def half_of(row: dict) -> str | None:
    """``odd (fit)`` or ``even`` for rows of ``DEV_SPLIT``; None for every other row."""
    if split_of(row) != DEV_SPLIT or row.get("author") != DEV_AUTHOR or _id_number(row) is None:
        return None
    return "odd (fit)" if _id_number(row) % 2 else "even"


def in_fit(row: dict) -> bool:
    """Is this row one the weights are fitted on (``train`` or the odd external half)?"""
    return split_of(row) == "train" or half_of(row) == "odd (fit)"


def split_of(row: dict) -> str:
    if row.get("split"):
        return str(row["split"])
    number = _id_number(row)
    return "held_out" if number is not None and number % 5 in (0, 3) else "train"


def load_rows(path: Path | Sequence[Path]) -> list[dict]:
    """Rows of JSONL files, or of every ``*.jsonl`` in folders; bad rows name file and line."""
    if not isinstance(path, Path | str):
        return [row for p in path for row in load_rows(Path(p))]
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise BadInputError(f"{path}: no labelled answers (.jsonl) found")
    rows: list[dict] = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise BadInputError(f"{f}:{n}: not JSON ({e.msg})") from None
            if (not isinstance(row, dict) or row.get("label") not in LABELS
                    or not isinstance(row.get("text"), str) or "id" not in row):
                raise BadInputError(f"{f}:{n}: needs id, text and label candid|polished")
            rows.append(row)
    return rows


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos = [s for y, s in zip(labels, scores, strict=True) if y]
    neg = [s for y, s in zip(labels, scores, strict=True) if not y]
    if not pos or not neg:
        return None
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def _metrics(labels: list[int], scores: list[float]) -> dict:
    pred = [s >= POLISHED_FROM for s in scores]
    tp = sum(1 for y, p in zip(labels, pred, strict=True) if y and p)
    tn = sum(1 for y, p in zip(labels, pred, strict=True) if not y and not p)
    fp = sum(1 for y, p in zip(labels, pred, strict=True) if not y and p)
    fn = len(labels) - tp - tn - fp
    auc = roc_auc(labels, scores)
    return {"n": len(labels), "accuracy": round((tp + tn) / len(labels), 4) if labels else None,
            "auc": None if auc is None else round(auc, 4),
            "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn}}


def evaluate_candour(path: Path | Sequence[Path] = DEFAULT_SETS) -> dict:
    """Accuracy, ROC AUC and confusion overall and per split, the misses, and time per answer."""
    rows = load_rows(path)
    scored = []
    times = []
    for row in rows:
        t0 = time.perf_counter()
        score = analyse_candour(None, row["text"]).polish_score
        times.append(time.perf_counter() - t0)
        scored.append((split_of(row), int(row["label"] == "polished"), score, row))
    splits: dict[str, dict] = {}
    for name in dict.fromkeys(s for s, *_ in scored):
        part = [(y, sc) for s, y, sc, _ in scored if s == name]
        splits[name] = _metrics([y for y, _ in part], [sc for _, sc in part])
        for half in ("odd (fit)", "even"):
            part = [(y, sc) for s, y, sc, r in scored if s == name and half_of(r) == half]
            if part:
                splits[f"{name} {half}"] = _metrics([y for y, _ in part], [sc for _, sc in part])
    # The figure the issue asks for: answers other authors wrote blind that no feature or weight
    # was ever fitted on, all such sets together.
    unseen = [(y, sc) for _, y, sc, r in scored if is_blind(r) and not in_fit(r)]
    if unseen:
        splits[UNSEEN] = _metrics([y for y, _ in unseen], [sc for _, sc in unseen])
    misses = [{"id": r["id"], "split": s, "label": r["label"], "score": round(sc, 3)}
              for s, y, sc, r in scored if (sc >= POLISHED_FROM) != bool(y)]
    where = str(path) if isinstance(path, Path | str) else ", ".join(map(str, path))
    return {"path": where, "threshold": POLISHED_FROM,
            "overall": _metrics([y for _, y, _, _ in scored], [sc for _, _, sc, _ in scored]),
            "splits": splits, "misses": misses,
            "ms_per_answer": {"mean": round(1000 * float(np.mean(times)), 2) if times else None,
                              "max": round(1000 * max(times), 2) if times else None}}


def format_candour_report(d: dict) -> str:
    """A few lines for the terminal: one per split, then the misses."""
    def line(name: str, m: dict) -> str:
        c = m["confusion"]
        acc = "-" if m["accuracy"] is None else f"{m['accuracy']:.3f}"
        auc = "-" if m["auc"] is None else f"{m['auc']:.3f}"
        return (f"  {name:<24} n={m['n']:<4} accuracy {acc}  AUC {auc}  "
                f"(polished right {c['tp']}, candid right {c['tn']}, "
                f"candid called polished {c['fp']}, polished missed {c['fn']})")
    out = [f"Candour on {d['path']} (polished when score >= {d['threshold']}):",
           line("all", d["overall"])]
    out += [line(name, m) for name, m in d["splits"].items()]
    if d["misses"]:
        out.append("  misses: " + ", ".join(
            f"{m['id']} ({m['split']}, {m['label']}, {m['score']:.2f})" for m in d["misses"]))
    t = d["ms_per_answer"]
    if t["mean"] is not None:
        out.append(f"  time per answer: {t['mean']:.1f} ms mean, {t['max']:.1f} ms max")
    return "\n".join(out)


def feature_matrix(rows: Sequence[dict]) -> np.ndarray:
    out = []
    for row in rows:
        f = features(find_matches(prepare(None, row["text"])))
        out.append([f[name] for name in FEATURES])
    return np.array(out, dtype=float).reshape(len(rows), len(FEATURES))


def fit_weights(path: Path | Sequence[Path] = DEFAULT_SETS, c: float = 0.1,
                iterations: int = 50) -> tuple[dict[str, float], float]:
    """L2 logistic regression on the rows ``in_fit`` (Newton steps), in raw feature units.

    Features are standardised for the fit so the penalty treats them alike, as scikit-learn's
    ``LogisticRegression(C=c)`` would; the intercept is not penalised. Used offline to set
    ``candour.WEIGHTS`` and by a test that checks those constants still match the data.
    """
    rows = [r for r in load_rows(path) if in_fit(r)]
    x = feature_matrix(rows)
    y = np.array([r["label"] == "polished" for r in rows], dtype=float)
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((len(rows), 1)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) / c
    penalty[0, 0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    raw = w[1:] / sd
    bias = float(w[0] - (w[1:] * mu / sd).sum())
    return {name: float(v) for name, v in zip(FEATURES, raw, strict=True)}, bias

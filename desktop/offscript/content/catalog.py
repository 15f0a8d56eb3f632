"""All banks and loops the app can use: shipped ones plus the user's imported banks."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from offscript.content.loader import BankError, load_bank, load_loop_file
from offscript.content.model import Bank, Loop, Question, Stage
from offscript.errors import BadInputError
from offscript.paths import content_dir, data_dir

STARTER_TAG = "starter"


def user_banks_dir(base: Path | None = None) -> Path:
    """Where imported banks live: ``<data dir>/banks``."""
    return (base if base is not None else data_dir()) / "banks"


def _toml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # dot files are temp files of an interrupted atomic write, or editor backups
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))


@dataclass
class Catalog:
    banks: list[Bank] = field(default_factory=list)
    all_loops: list[Loop] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files or loops that were skipped

    def bank(self, bank_id: str) -> Bank | None:
        return next((b for b in self.banks if b.id == bank_id), None)

    def questions(self, stage: str | None = None, tags: Iterable[str] | None = None,
                  banks: Iterable[str] | None = None) -> list[Question]:
        """Questions in bank order; ``tags`` keeps questions with any of the given tags."""
        wanted_tags = set(tags or ())
        wanted_banks = set(banks or ())
        return [q for b in self.banks if not wanted_banks or b.id in wanted_banks
                for q in b.questions
                if (stage is None or q.stage == stage)
                and (not wanted_tags or wanted_tags.intersection(q.tags))]

    def question(self, question_id: str) -> Question | None:
        return next((q for b in self.banks for q in b.questions if q.id == question_id), None)

    def stages(self) -> dict[str, Stage]:
        """Every stage id with its name (the first bank that declares it wins)."""
        out: dict[str, Stage] = {}
        for b in self.banks:
            for s in b.stages:
                out.setdefault(s.id, s)
        return out

    def loops(self) -> list[Loop]:
        return list(self.all_loops)

    def loop(self, loop_id: str) -> Loop:
        found = next((lp for lp in self.all_loops if lp.id == loop_id), None)
        if found is None:
            known = ", ".join(lp.id for lp in self.all_loops) or "none"
            raise BadInputError(f'No interview loop "{loop_id}" (known loops: {known}).')
        return found

    def step_candidates(self, loop: Loop, index: int) -> list[Question]:
        step = loop.steps[index]
        banks = step.banks or [b.id for b in self.banks
                               if not loop.company or b.company == loop.company]
        return self.questions(stage=step.stage, tags=step.tags or None, banks=banks)

    def add_bank(self, bank: Bank) -> None:
        """Add a bank unless its id or any question or loop id is already taken."""
        clash = bank_clash(self, bank)
        if clash:
            self.problems.append(f"{_name(bank)}: skipped: {clash}")
            return
        self.banks.append(bank)
        self.all_loops.extend(bank.loops)

    def add_loops(self, loops: Iterable[Loop], name: str) -> None:
        for loop in loops:
            if any(lp.id == loop.id for lp in self.all_loops):
                self.problems.append(f'{name}: loop "{loop.id}" skipped: the id is already used')
            else:
                self.all_loops.append(loop)

    def check_loops(self) -> None:
        """Drop loops that name unknown banks or stages; note loops short of questions."""
        kept = []
        for loop in self.all_loops:
            problem = self._loop_problem(loop)
            if problem and "only" not in problem:
                self.problems.append(f'loop "{loop.id}" ({loop.source}) skipped: {problem}')
                continue
            if problem:
                self.problems.append(f'loop "{loop.id}" ({loop.source}): {problem}')
            kept.append(loop)
        self.all_loops = kept

    def _loop_problem(self, loop: Loop) -> str:
        stages = self.stages()
        for i, step in enumerate(loop.steps):
            unknown = [b for b in step.banks if self.bank(b) is None]
            if unknown:
                return f'step {i + 1} names unknown bank "{unknown[0]}"'
            if step.stage not in stages:
                return f'step {i + 1} names unknown stage "{step.stage}"'
            have = len(self.step_candidates(loop, i))
            if have < step.count:
                return f"step {i + 1} asks for {step.count} questions, only {have} match"
        return ""


def _name(bank: Bank) -> str:
    return bank.path.name if bank.path else bank.id


def bank_clash(catalog: Catalog, bank: Bank) -> str:
    """Why ``bank`` cannot join the catalog (id clashes), or "" when it can."""
    if catalog.bank(bank.id) is not None:
        return f'bank id "{bank.id}" is already used by {_name(catalog.bank(bank.id))}'
    taken = {q.id: b for b in catalog.banks for q in b.questions}
    for q in bank.questions:
        if q.id in taken:
            return f'question id "{q.id}" is already used by bank "{taken[q.id].id}"'
    for loop in bank.loops:
        if any(lp.id == loop.id for lp in catalog.all_loops):
            return f'loop id "{loop.id}" is already used'
    return ""


def _load_folder(catalog: Catalog, folder: Path, *, user: bool) -> None:
    bank_folder = folder / "banks" if (folder / "banks").is_dir() and not user else folder
    for path in _toml_files(bank_folder):
        try:
            catalog.add_bank(load_bank(path, user=user))
        except BankError as exc:
            catalog.problems.extend(exc.problems)
    for path in _toml_files(folder / "loops"):
        try:
            catalog.add_loops(load_loop_file(path).loops, path.name)
        except BankError as exc:
            catalog.problems.extend(exc.problems)


def load_all_banks(dirs: Sequence[Path] | None = None) -> Catalog:
    """Shipped banks (``content_dir()``) then the user's (``data_dir()/banks``).

    Explicit ``dirs`` are read in order; a folder with a ``banks/`` sub-folder is laid out
    like ``content/`` (banks/ and loops/), any other folder holds bank files directly.
    Invalid files and clashing ids are skipped and listed in ``Catalog.problems``; they
    never stop the others from loading.
    """
    catalog = Catalog()
    folders = [(content_dir(), False), (user_banks_dir(), True)] if dirs is None else \
        [(Path(d), not (Path(d) / "banks").is_dir()) for d in dirs]
    for folder, user in folders:
        _load_folder(catalog, folder, user=user)
    catalog.check_loops()
    return catalog


def load_shipped_banks() -> Catalog:
    return load_all_banks([content_dir()])


def pick_questions(catalog: Catalog, loop_id: str, rng: random.Random) -> list[Question]:
    """Questions for one run of a loop: step by step, drawn at random, never repeated."""
    loop = catalog.loop(loop_id)
    picked: list[Question] = []
    used: set[str] = set()
    for i, step in enumerate(loop.steps):
        pool = [q for q in catalog.step_candidates(loop, i) if q.id not in used]
        chosen = rng.sample(pool, min(step.count, len(pool)))
        picked.extend(chosen)
        used.update(q.id for q in chosen)
    return picked


def default_practice_questions(n: int) -> list[Question]:
    """A fixed starter list from the shipped banks: ``starter``-tagged questions first,
    then one question per stage in turn, so the minimal app works without any choice."""
    if n <= 0:
        return []
    catalog = load_shipped_banks()
    chosen = catalog.questions(tags=[STARTER_TAG])[:n]
    used = {q.id for q in chosen}
    by_stage: dict[str, list[Question]] = {}
    for q in catalog.questions():
        if q.id not in used:
            by_stage.setdefault(q.stage, []).append(q)
    while len(chosen) < n and any(by_stage.values()):
        for queue in by_stage.values():
            if queue and len(chosen) < n:
                chosen.append(queue.pop(0))
    return chosen

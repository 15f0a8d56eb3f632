"""Importing a user's bank file: validate, check ids against what exists, then copy atomically."""

from __future__ import annotations

from pathlib import Path

from offscript.content.catalog import load_all_banks, user_banks_dir
from offscript.content.loader import BankError, read_bank
from offscript.content.model import Bank
from offscript.errors import StoreError
from offscript.paths import content_dir
from offscript.store.atomic import atomic_write_bytes


def _clash_with_others(bank: Bank, others: list[Bank], where: str) -> str:
    questions = {q.id: b.id for b in others for q in b.questions}
    loops = {lp.id: b.id for b in others for lp in b.loops}
    for q in bank.questions:
        if q.id in questions:
            return f'question id "{q.id}" is already used by {where} bank "{questions[q.id]}"'
    for lp in bank.loops:
        if lp.id in loops:
            return f'loop id "{lp.id}" is already used by {where} bank "{loops[lp.id]}"'
    return ""


def import_bank(path: Path | str, data_dir: Path) -> Path:
    """Validate a bank file and copy it into ``data_dir/banks`` as ``<bank id>.toml``.

    Re-importing a bank with the same id replaces the earlier import (a new version).
    Raises BankError when the file is invalid or its ids clash with a shipped bank or
    another imported bank; nothing on disk changes in that case.
    """
    source = Path(path)
    bank, text = read_bank(source, user=True)  # what we validate is exactly what we copy
    name = source.name
    shipped = load_all_banks([content_dir()])
    if shipped.bank(bank.id) is not None:
        raise BankError([f'{name}: bank id "{bank.id}" is a shipped bank; give your bank '
                         "its own id under [bank]"])
    clash = _clash_with_others(bank, shipped.banks, "shipped")
    shipped_loops = {lp.id for lp in shipped.loops()}
    clash = clash or next((f'loop id "{lp.id}" is already used by a shipped loop'
                           for lp in bank.loops if lp.id in shipped_loops), "")
    target_dir = user_banks_dir(data_dir)
    imported = load_all_banks([target_dir]) if target_dir.is_dir() else None
    if not clash and imported is not None:
        others = [b for b in imported.banks if b.id != bank.id]
        clash = _clash_with_others(bank, others, "imported")
    if clash:
        raise BankError([f"{name}: {clash}; rename it and import again"])
    target = target_dir / f"{bank.id}.toml"
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, text.encode("utf-8"))
    except OSError as exc:
        raise StoreError(f"Cannot save the bank into {target_dir}: {exc.strerror or exc}. "
                         "Check that the data folder is writable.") from exc
    return target

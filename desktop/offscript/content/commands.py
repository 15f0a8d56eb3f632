"""``offscript content validate|list|import``: called by offscript.cli with the remaining args."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from offscript.content.catalog import Catalog, load_all_banks
from offscript.content.importing import import_bank
from offscript.content.loader import BankError, validate_bank_file
from offscript.errors import UserFacingError
from offscript.paths import data_dir

EXIT_OK, EXIT_BAD_INPUT = 0, 2

USAGE = """usage: offscript content validate FILE...
       offscript content list [--stage STAGE] [--bank BANK]
       offscript content import FILE"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no traceback
        print(USAGE, file=sys.stderr)
        print(f"offscript content: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="offscript content", description="Question banks: validate, list, "
                     "import.", usage=USAGE.removeprefix("usage: "))
    sub = parser.add_subparsers(dest="action")
    p = sub.add_parser("validate", help="check bank or loop files and report every problem")
    p.add_argument("files", nargs="+", type=Path)
    p = sub.add_parser("list", help="banks, loops and question counts per stage")
    p.add_argument("--stage", help="show only this stage (lists its questions)")
    p.add_argument("--bank", help="show only this bank (lists its questions)")
    p = sub.add_parser("import", help="validate a bank and add it to your banks")
    p.add_argument("file", type=Path)
    return parser


def cli_content(argv: list[str]) -> int:
    """Run ``offscript content ...``; returns the exit code (0 ok, 2 invalid input)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help or a usage error; argparse already printed
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        if args.action == "validate":
            return _validate(args.files)
        if args.action == "list":
            return _list(load_all_banks(), stage=args.stage, bank=args.bank)
        if args.action == "import":
            target = import_bank(args.file, data_dir())
            print(f"Imported {args.file} as {target}")
            return EXIT_OK
    except BankError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except UserFacingError as exc:
        print(f"offscript content: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(USAGE, file=sys.stderr)
    return EXIT_BAD_INPUT


def _validate(files: list[Path]) -> int:
    worst = EXIT_OK
    for path in files:
        problems = validate_bank_file(path)
        if problems:
            worst = EXIT_BAD_INPUT
            for line in problems:
                print(line)
        else:
            print(f"{path.name}: OK")
    return worst


def _list(catalog: Catalog, *, stage: str | None, bank: str | None) -> int:
    stages = catalog.stages()
    if bank is not None and catalog.bank(bank) is None:
        known = ", ".join(b.id for b in catalog.banks)
        print(f'offscript content: no bank "{bank}" (banks: {known})', file=sys.stderr)
        return EXIT_BAD_INPUT
    if stage is not None and stage not in stages:
        print(f'offscript content: no stage "{stage}" (stages: {", ".join(stages)})',
              file=sys.stderr)
        return EXIT_BAD_INPUT
    print("Banks:")
    for b in catalog.banks:
        if bank is not None and b.id != bank:
            continue
        counts = Counter(q.stage for q in b.questions if stage is None or q.stage == stage)
        origin = "imported" if b.user else "shipped"
        print(f"  {b.id}  {b.title}  [{b.company}, {b.role_family}, v{b.version}, {origin}]"
              f"  {sum(counts.values())} questions")
        for sid, count in counts.items():
            print(f"      {count:3d}  {stages[sid].name} ({sid})")
    if stage is not None or bank is not None:
        print("Questions:")
        for q in catalog.questions(stage=stage, banks=[bank] if bank else None):
            text = q.display_text if len(q.display_text) <= 90 else q.display_text[:87] + "..."
            print(f"  {q.id}  [{q.stage}]  {text}")
    else:
        print("Loops:")
        for loop in catalog.loops():
            minutes = f", {loop.minutes} min" if loop.minutes else ""
            print(f"  {loop.id}  {loop.title}  ({loop.question_count} questions{minutes})")
    for problem in catalog.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return EXIT_OK

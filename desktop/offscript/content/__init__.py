"""Question banks, interview loops and follow-up rules (no Qt).

The public API lives here; content/SCHEMA.md describes the bank file format.
"""

from offscript.content.catalog import (
    Catalog,
    default_practice_questions,
    load_all_banks,
    pick_questions,
)
from offscript.content.followups import choose_follow_up
from offscript.content.importing import import_bank
from offscript.content.loader import BankError, load_bank, validate_bank_file
from offscript.content.model import Bank, FollowUp, Loop, Question, RubricPoint, Stage
from offscript.content.rubric import RubricCoverage, red_flag_hits, rubric_coverage

__all__ = [
    "Bank",
    "BankError",
    "Catalog",
    "FollowUp",
    "Loop",
    "Question",
    "RubricCoverage",
    "RubricPoint",
    "Stage",
    "choose_follow_up",
    "default_practice_questions",
    "import_bank",
    "load_all_banks",
    "load_bank",
    "pick_questions",
    "red_flag_hits",
    "rubric_coverage",
    "validate_bank_file",
]

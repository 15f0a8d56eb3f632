"""The analysis fields that follow-up rules may test, and the flag codes they may name.

Follow-up rules in question banks refer to the per-answer analysis JSON by dotted path
(``candour.we_ratio``).  This registry is the contract between banks and analysis: a bank
that names a field not listed here is rejected, so a typo cannot silently disable a rule.
When analysis grows a field or a flag code, add it here.
"""

from __future__ import annotations

from typing import Literal

FieldType = Literal["number", "bool", "str", "count"]
"""``count`` is a number or a list (its length is used), e.g. ``pauses`` or ``fillers.lexical``."""

KNOWN_FIELDS: dict[str, FieldType] = {
    "source": "str",
    "duration_s": "number",
    "words": "count",
    "pace.wpm": "number",
    "pace.articulation_wpm": "number",
    "pace.word_count": "count",
    "pace.speaking_time_s": "number",
    "pauses": "count",
    "fillers.filled_pauses": "count",
    "fillers.lexical": "count",
    "fillers.per_minute": "number",
    "fillers.per_100_words": "number",
    "fillers.filled_per_minute": "number",
    "fillers.lexical_per_minute": "number",
    "latency.leading_s": "number",
    "latency.trailing_s": "number",
    "delivery.rehearsed_score": "number",
    "candour.polish_score": "number",
    "candour.signals": "count",
    "candour.we_ratio": "number",
    "candour.admits_mistake": "bool",
    "candour.specificity": "number",
    "candour.has_numbers": "bool",
    "candour.mentions_lesson": "bool",
    "candour.names_cost": "bool",
    "candour.trade_off": "bool",
    "candour.humble_brag": "bool",
    "candour.cliches": "count",
    "candour.i_count": "count",
    "candour.we_count": "count",
    "candour.word_count": "count",
    "flags": "count",
    "rubric.coverage": "number",
}

KNOWN_FLAG_CODES: frozenset[str] = frozenset({
    # raised today by offscript.analysis.flags
    "pace_fast",
    "pace_slow",
    "filled_pauses_high",
    "lexical_fillers_high",
    "repeated_filler",
    "long_pause",
    "hesitations_many",
    # raised by offscript.analysis.delivery
    "sounds_recited",
    "monotone",
    "no_thinking_pauses",
    "no_fillers",
    "even_pace",
    # raised by offscript.analysis.candour
    "too_polished",
    "vague_we",
    "no_mistake_admitted",
    "success_spin",
    "cliches",
    "humble_brag",
    "absolute_claims",
    "no_specifics",
    # planned (rules naming them stay silent until an analysis raises them)
    "rehearsed",
    "too_short",
    "too_long",
    "no_numbers",
    "no_ownership",
    "no_lesson",
})

OPERATORS_BY_TYPE: dict[FieldType, tuple[str, ...]] = {
    "number": ("<", "<=", ">", ">=", "==", "!="),
    "count": ("<", "<=", ">", ">=", "==", "!="),
    "bool": ("==", "!="),
    "str": ("==", "!="),
}


def field_type(path: str) -> FieldType | None:
    """The type of a known analysis field, or None when the path is unknown."""
    return KNOWN_FIELDS.get(path)

"""A readable plain-text summary of one analysis (the CLI's default output)."""

from __future__ import annotations


def _fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{unit}"


def format_summary(data: dict) -> str:
    """Render an analysis JSON dict (schema_version 1) as a few readable lines."""
    pace = data.get("pace", {})
    fillers = data.get("fillers", {})
    pauses = data.get("pauses", [])
    lines = [f"== {data.get('source', '?')}"]
    if data.get("duration_s") is not None:
        lines.append(f"Duration      {_fmt(data['duration_s'], ' s', 1)}")
    lines.append(
        f"Pace          {_fmt(pace.get('wpm'), ' wpm')} "
        f"(articulation {_fmt(pace.get('articulation_wpm'), ' wpm')})"
    )
    kinds: dict[str, int] = {}
    for p in pauses:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    lines.append(f"Pauses        {len(pauses)} ({detail})")
    lines.append(
        f"Fillers       {fillers.get('filled_pauses', 0)} filled pauses (um/uh), "
        f"{fillers.get('lexical', 0)} lexical; {_fmt(fillers.get('per_minute'), '/min', 1)}, "
        f"{_fmt(fillers.get('per_100_words'), ' per 100 words', 1)}"
    )
    for key, label in (("delivery", "rehearsed_score"), ("candour", "polish_score")):
        score = data.get(key, {}).get(label)
        if score is not None:
            lines.append(f"{label.replace('_', ' ').capitalize():13} {score:.2f}")
    transcript = data.get("transcript", "")
    lines.append(
        "Transcript    " + (transcript if len(transcript) < 400 else transcript[:397] + "...")
    )
    for flag in data.get("flags", []):
        lines.append(f"[{flag['severity']}] {flag['message']}")
    return "\n".join(lines)

"""Question banks, interview loops and follow-up rules (no Qt)."""

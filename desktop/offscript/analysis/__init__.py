"""Pure analysis over audio arrays, word timings and text (no Qt, no I/O)."""

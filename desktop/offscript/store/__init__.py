"""SQLite store and audio files (no Qt)."""

"""Exports of analyses and progress (no Qt)."""

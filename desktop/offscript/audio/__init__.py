"""Microphone capture, playback, devices and level metering (no Qt)."""

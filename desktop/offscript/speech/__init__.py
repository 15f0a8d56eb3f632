"""Speech synthesis (Piper), recognition (faster-whisper) and model resolution (no Qt)."""

"""Offscript: practise job interviews out loud, offline."""

import os as _os

__version__ = "0.1.0"

# Offline by design: faster-whisper pulls in huggingface_hub, which may phone home (telemetry,
# model look-ups) unless told not to.  Set before any model library is imported; a value the
# user set explicitly is kept.
for _name in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "TRANSFORMERS_OFFLINE",
              "DO_NOT_TRACK"):
    _os.environ.setdefault(_name, "1")
del _name

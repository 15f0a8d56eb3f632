"""SQLite store and audio files (no Qt).

``Store`` (takes.py) is the entry point; ``RecordingWriter`` (recordings.py) records a take
incrementally; atomic.py, database.py and migrations.py are the durable foundations.
"""

from offscript.store.recordings import (
    EmptyRecordingError,
    RecordingWriter,
    RecoveredRecording,
    recover_unfinished,
)
from offscript.store.records import SessionRecord, TakeRecord
from offscript.store.takes import Store

__all__ = [
    "EmptyRecordingError",
    "RecordingWriter",
    "RecoveredRecording",
    "SessionRecord",
    "Store",
    "TakeRecord",
    "recover_unfinished",
]

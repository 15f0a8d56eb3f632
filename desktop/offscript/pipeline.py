"""From a file or a recording to an analysis: load → check → transcribe → analyse.

Used by the CLI and by the app's background workers; no Qt here.  Progress is reported in
seconds of audio transcribed, ``(done, total)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from offscript.analysis.answer import AnswerAnalysis, analyse_answer, analyse_text
from offscript.analysis.words import Word
from offscript.errors import BadInputError
from offscript.speech.asr import SAMPLE_RATE, Transcriber
from offscript.tasks import CancelToken, Progress, no_progress

TEXT_SUFFIXES = {".txt", ".md"}


def has_speech(samples: np.ndarray) -> bool:
    """False for empty or silent 16 kHz audio: nothing worth transcribing."""
    from offscript.audio.audio_files import is_silence

    return len(samples) > 0 and not is_silence(samples, SAMPLE_RATE)


def analyse_transcribed(words: Sequence[Word], samples: np.ndarray, source: str) -> AnswerAnalysis:
    """The analysis of 16 kHz audio whose words are already known."""
    return analyse_answer(words, source=source, duration_s=len(samples) / SAMPLE_RATE,
                          audio=samples, sr=SAMPLE_RATE)


def analyse_samples(
    samples: np.ndarray,
    transcriber: Transcriber,
    *,
    source: str,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> AnswerAnalysis:
    """Transcribe and analyse 16 kHz mono float32 audio."""
    if len(samples) == 0:
        raise BadInputError(f"{source}: the audio is empty (0 seconds).")
    if not has_speech(samples):
        raise BadInputError(
            f"{source}: contains no speech (silence only); check the microphone level."
        )
    transcript = transcriber.transcribe(samples, progress=progress, cancel=cancel)
    return analyse_transcribed(transcript.words, samples, source)


def read_text_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            f"{path}: not a UTF-8 text file; save the transcript as UTF-8."
        ) from exc
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read it ({exc.strerror}).") from exc
    if not text.strip():
        raise BadInputError(f"{path}: the transcript is empty.")
    return text


def analyse_path(
    path: Path,
    transcriber_factory,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> AnswerAnalysis:
    """Analyse an audio file (wav/flac/ogg/mp3) or a .txt transcript.

    ``transcriber_factory()`` is only called for audio, so text analysis never loads a model.
    """
    from offscript.audio.audio_files import load_audio

    if not path.exists():
        raise BadInputError(f"{path}: no such file.")
    if path.is_dir():
        raise BadInputError(f"{path}: is a folder; give an audio file or a .txt transcript.")
    if path.suffix.lower() in TEXT_SUFFIXES:
        return analyse_text(read_text_file(path), source=str(path))
    loaded = load_audio(path, target_sr=SAMPLE_RATE)
    return analyse_samples(
        loaded.samples, transcriber_factory(), source=str(path), progress=progress, cancel=cancel
    )


def add_question_context(data: dict, question) -> dict:
    """Add what the question's bank says about this answer to an analysis JSON dict:
    ``question`` (id, text), ``rubric`` (points covered with the phrase heard, points missing),
    ``red_flags`` heard, and the interviewer's ``follow_up`` chosen by the bank's rules."""
    from offscript.content import choose_follow_up, red_flag_hits, rubric_coverage

    data["question"] = {"id": question.id, "bank_id": question.bank_id, "text": question.text}
    data["rubric"] = rubric_coverage(question, data.get("transcript", "")).to_json()
    data["red_flags"] = [
        {"label": h.label, "phrase": h.phrase}
        for h in red_flag_hits(question, data.get("transcript", ""))
    ]
    follow_up = choose_follow_up(question, data)
    data["follow_up"] = None if follow_up is None else follow_up.say
    return data


def add_take_history(data: dict, store, question_id: str, take_id: int | None = None) -> list:
    """Compare an answer with the earlier takes of its question and the user's pasted script
    (``across_takes`` in the JSON, flags added).  Returns the earlier analyses, oldest first."""
    from offscript.analysis.repetition import compare_across_takes

    earlier = [
        t.analysis for t in store.takes_for_question(question_id) if t.id != take_id and t.analysis
    ]
    base_id = question_id.split("#", 1)[0]
    across = compare_across_takes(data, earlier, store.script_for(base_id))
    data["across_takes"] = {k: v for k, v in across.items() if k != "flags"}
    data.setdefault("flags", []).extend(across["flags"])
    return earlier

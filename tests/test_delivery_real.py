"""Rehearsed-delivery score on real speech: read clips should rank above spontaneous ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from offscript.evaluation.rehearsed_eval import evaluate_rehearsed, format_rehearsed_report


@pytest.mark.models
def test_read_ranks_above_spontaneous_on_real_speech(speech_dir: Path,
                                                     request: pytest.FixtureRequest) -> None:
    # Whisper "fast" timings for the read and spontaneous clips (16 clips, ~20 s of ASR);
    # the words are cached in pytest's cache folder so reruns take a second.
    cache = request.config.cache.mkdir("rehearsed_asr_fast")
    d = evaluate_rehearsed(speech_dir, cache_dir=cache, styles={"read", "spontaneous"})
    print(format_rehearsed_report(d))
    assert d["n"]["read"] >= 10 and d["n"]["spontaneous"] >= 3
    assert d["auc_read_vs_spontaneous"] >= 0.85
    for clip in d["clips"]:
        assert clip["score"] is not None and 0.0 <= clip["score"] <= 1.0

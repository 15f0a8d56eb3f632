"""`offscript eval` end to end with the real `fast` model on a subset of ../shared/speech."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from offscript.evaluation.commands import cli_eval

SUBSET = ("mfamono_acoustic_corpus", "mfamono_cold_corpus", "mfamono_cold_corpus3",
          "mfafill_um", "psphinx_cards001")


def build_subset(speech_dir: Path, speech_manifest: dict[str, dict], dest: Path) -> Path:
    (dest / "audio").mkdir(parents=True)
    (dest / "words").mkdir()
    rows = [speech_manifest[clip_id] for clip_id in SUBSET]
    for row in rows:
        shutil.copy(speech_dir / row["file"], dest / row["file"])
        words = speech_dir / "words" / f"{row['id']}.json"
        if words.exists():
            shutil.copy(words, dest / "words" / words.name)
    with open(dest / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return dest


@pytest.mark.models
def test_fast_model_finds_the_filled_pauses_of_a_small_set(
        speech_dir: Path, speech_manifest: dict[str, dict], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = build_subset(speech_dir, speech_manifest, tmp_path / "subset")

    assert cli_eval([str(folder), "--model", "fast", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)

    assert report["model"] == "fast"
    assert set(report) >= {"model", "sets", "overall", "clips"}
    assert set(report["sets"]) == {"mfamono", "mfafill", "psphinx"}
    assert [c["id"] for c in report["clips"]] == list(SUBSET)
    overall = report["overall"]
    assert overall["clips"] == 5 and overall["clips_with_timings"] == 3 and overall["errors"] == 0
    count, events = overall["filled_pauses"]["count"], overall["filled_pauses"]["events"]
    assert count["ref"] == 15 + int(speech_manifest["mfafill_um"]["n_filled_pauses"])
    assert events["ref"] == 15  # the three monologues' word timings
    assert overall["pauses"]["ref"] > 0 and overall["wpm"]["clips"] == 3
    assert 0 < overall["rtf"] < 1
    print(f"\nfast on {len(SUBSET)} clips: filled pauses per clip R/P/F1 "
          f"{count['recall']}/{count['precision']}/{count['f1']}, time-matched "
          f"{events['recall']}/{events['precision']}/{events['f1']}; pauses F1 "
          f"{overall['pauses']['f1']}; |WPM error| {overall['wpm']['mean_abs_error_pct']} %; "
          f"RTF {overall['rtf']}")
    assert count["recall"] >= 0.8

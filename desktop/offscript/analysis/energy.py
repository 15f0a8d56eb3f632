"""Where the signal is silent: short-frame RMS energy against an adaptive noise floor.

Recogniser word boundaries are off by 50-300 ms and Whisper in particular stretches words over
the silence next to them, so pauses measured from word timings alone are too short or missed.
This module only answers "which stretches of this audio are silent?"; ``pauses.py`` decides
what a silence means.

Method (cheap, no librosa): pre-emphasis (removes mains hum and low-frequency room rumble that
otherwise sits 10 dB above the true floor), 30 ms frames every 10 ms, energy in dB. The noise
floor is the 10th percentile of frame energy in a 4 s window around each frame (interpolated
from a 0.5 s grid), so it follows a floor that drifts (fan switching on, gain riding); a frame is
silent when it is less than ``margin_db`` above that floor, where the margin scales with the
recording's dynamic range (quiet, noisy recordings get a smaller margin).

Two silent stretches separated by a short stretch that stays within ``BRIDGE_DB`` of the
threshold in every band (noise flicker, a faint breath or lip noise; speech is 15-40 dB above the
floor) are one silence: without this, one pause in a noisy recording is reported as two short
ones, or as none. Measured on ../shared/speech (dev clips, see ``pauses.py``), bridging at 3 dB
found two more reference pauses and added no false one; 2 dB found none more, 5 dB added false
pauses at quiet word edges.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

HOP_S = 0.010
FRAME_S = 0.030
# Voiced speech energy sits mostly in 300-2000 Hz, fricatives (s, sh, f) in 2-8 kHz; below
# 300 Hz is mostly hum, rumble and breath noise. A frame is silent only when *every* band is near
# its own floor, so quiet voiced speech and voiceless fricatives both count as speech.
BANDS_HZ = ((300.0, 2000.0), (2000.0, 8000.0))
FLOOR_WINDOW_S = 4.0
FLOOR_GRID_S = 0.5
FLOOR_PERCENTILE = 10.0
# Margin above the floor: a fifth of the floor-to-speech range, kept between 3 and 9 dB.
# 3 dB keeps very noisy clips usable; 9 dB stops loud clean clips calling soft consonants silence.
MARGIN_FRACTION = 0.2
MARGIN_MIN_DB = 3.0
MARGIN_MAX_DB = 9.0
# Speech blips shorter than this inside silence are clicks or lip noise, not speech.
MAX_BLIP_S = 0.04
# Hangover: speech edges (decaying vowels, final stops, weak onsets like "h") fall under the
# threshold, so each silence is trimmed by this much on both sides (standard VAD practice).
# 20 ms: with 30 ms, spliced 300 ms silences (benchmarks/spliced_speech.py) measured under 250 ms;
# with 0-10 ms, stop closures and reduced words ("a") became false pauses on the dev clips.
HANGOVER_S = 0.02
BRIDGE_DB = 3.0
MAX_BRIDGE_S = 0.3


def frame_energy_db(audio: np.ndarray, sr: int) -> np.ndarray:
    """Band energies in dB, shape (bands, frames); 30 ms frames, frame k centred at k * HOP_S."""
    x = np.asarray(audio).reshape(-1)
    if x.size == 0 or sr <= 0:
        return np.zeros((0, 0))
    hop = max(1, round(HOP_S * sr))
    frame = max(hop, round(FRAME_S * sr))
    n = int(np.ceil(x.size / hop))
    n_fft = 1 << (frame - 1).bit_length()
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    masks = [(freqs >= lo) & (freqs < hi) for lo, hi in BANDS_HZ]
    masks = [m for m in masks if m.any()] or [np.ones_like(freqs, dtype=bool)]
    out = np.empty((len(masks), n))
    window = np.hanning(frame)
    finite = bool(np.isfinite(x).all())  # checked once: most recordings need no cleaning
    # Chunks of 2048 frames, each framed from its own zero-padded stretch of float64 samples:
    # memory stays flat on long recordings (a 30-minute answer as one float64 copy, padded,
    # was 460 MB).  The windowed frames go straight into one zero-padded FFT buffer (the same
    # numbers as letting rfft pad, without two temporary copies per chunk).
    padded = np.zeros((min(n, 2048), n_fft))
    for i in range(0, n, 2048):
        count = min(2048, n - i)
        start = i * hop - frame // 2
        seg = np.zeros((count - 1) * hop + frame)
        lo, hi = max(0, start), min(x.size, start + seg.size)
        if hi > lo:
            seg[lo - start : hi - start] = x[lo:hi]
        if not finite:
            seg = np.nan_to_num(seg, nan=0.0, posinf=0.0, neginf=0.0)
        frames = sliding_window_view(seg, frame)[::hop][:count]
        buf = padded[:count]
        np.multiply(frames, window, out=buf[:, :frame])
        power = np.abs(np.fft.rfft(buf, axis=1)) ** 2
        for b, mask in enumerate(masks):
            out[b, i : i + count] = power[:, mask].sum(axis=1)
    return 10.0 * np.log10(out / n_fft + 1e-12)


def silence_threshold_db(db: np.ndarray) -> np.ndarray:
    """Per-frame threshold: local noise floor plus a margin scaled to the dynamic range."""
    if db.size == 0:
        return db
    speech = float(np.percentile(db, 90))
    step = max(1, round(FLOOR_GRID_S / HOP_S))
    half = max(1, round(FLOOR_WINDOW_S / HOP_S / 2))
    centres = np.arange(0, db.size, step)
    floors = np.empty(centres.size)
    # Centres whose whole window lies inside the recording: one vectorised percentile over
    # their windows (row by row the same numbers as one call each, ~10x faster on long
    # answers); the few near either end get their truncated windows one by one.
    full = (centres >= half) & (centres + half + 1 <= db.size)
    if full.any():
        windows = sliding_window_view(db, 2 * half + 1)
        floors[full] = np.percentile(windows[centres[full] - half], FLOOR_PERCENTILE, axis=1)
    for i in np.flatnonzero(~full):
        c = centres[i]
        floors[i] = np.percentile(db[max(0, c - half):c + half + 1], FLOOR_PERCENTILE)
    floor = np.interp(np.arange(db.size), centres, floors)
    margin = np.clip(MARGIN_FRACTION * (speech - floor), MARGIN_MIN_DB, MARGIN_MAX_DB)
    return floor + margin


def silent_runs(audio: np.ndarray, sr: int, min_len_s: float) -> list[tuple[float, float]]:
    """(start, end) in seconds of silent stretches at least ``min_len_s`` long."""
    db = frame_energy_db(audio, sr)
    if db.size == 0:
        return []
    above = np.array([band - silence_threshold_db(band) for band in db]).max(axis=0)
    silent = above < 0.0
    faint = above < BRIDGE_DB
    # merge silences separated by a click shorter than MAX_BLIP_S or a faint stretch
    merged: list[list[int]] = []
    max_blip, max_bridge = round(MAX_BLIP_S / HOP_S), round(MAX_BRIDGE_S / HOP_S)
    for s, e in _runs(silent):
        if merged and (s - merged[-1][1] <= max_blip
                       or (s - merged[-1][1] <= max_bridge and faint[merged[-1][1]:s].all())):
            merged[-1][1] = e
        else:
            merged.append([s, e])
    duration = len(np.asarray(audio).reshape(-1)) / sr
    out = []
    for s, e in merged:
        start = max(0.0, (s - 0.5) * HOP_S + (HANGOVER_S if s > 0 else 0.0))
        end = min(duration, (e - 0.5) * HOP_S - (HANGOVER_S if e < silent.size else 0.0))
        if end - start >= min_len_s:
            out.append((start, end))
    return out


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open index ranges where ``mask`` is True."""
    if mask.size == 0:
        return []
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))

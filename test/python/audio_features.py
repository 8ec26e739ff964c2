"""librosa 0.11's log-mel and MFCC of WAV files, for test/unit/data-audio.test.ts.

Reads a JSON list of cases from argv[1], each
{"wav": path, "kind": "mfcc"|"log_mel", "sr": target rate or null, "n_mfcc", "n_mels", "frame_ms",
 "hop_ms", "fmin", "fmax" (or null), "pre_emphasis" (or null), "duration" (or null)},
and prints one JSON line: a list of [frames][channels] arrays (time first, as Sequence Lab's features).
Sizes follow Sequence Lab's convention: win_length = sr * frame_ms / 1000 rounded half up, hop_length likewise,
n_fft = the next power of two at or above win_length.
"""
import json
import math
import sys

import librosa
import numpy as np

out = []
for case in json.load(open(sys.argv[1])):
    y, sr = librosa.load(case["wav"], sr=case["sr"], mono=True, res_type="polyphase")
    if case["duration"] is not None:
        y = librosa.util.fix_length(y, size=math.floor(case["duration"] * sr + 0.5))
    if case["pre_emphasis"]:
        y = librosa.effects.preemphasis(y, coef=case["pre_emphasis"])
    # Rounded half up (Sequence Lab's convention; Python's round() would round half to even).
    win = max(2, math.floor(sr * case["frame_ms"] / 1000 + 0.5))
    hop = max(1, math.floor(sr * case["hop_ms"] / 1000 + 0.5))
    n_fft = 2 ** math.ceil(math.log2(max(win, 4)))
    common = dict(sr=sr, n_fft=n_fft, hop_length=hop, win_length=win, n_mels=case["n_mels"], fmin=case["fmin"], fmax=case["fmax"])
    if case["kind"] == "mfcc":
        features = librosa.feature.mfcc(y=y, n_mfcc=case["n_mfcc"], **common)
    else:
        features = librosa.power_to_db(librosa.feature.melspectrogram(y=y, **common))
    out.append(np.asarray(features, dtype=np.float64).T.tolist())
print(json.dumps(out))

/**
 * Python functions an exported Keras script uses to read numeric sequences and audio exactly as
 * Sequence Lab does (each mirrors a module of `src/data/sequences` or `src/data/audio`, named in its
 * docstring): the same readers, splits, seeded augmentation, missing-value filling, train-only
 * normalisation and padding; librosa computes the audio features (its conventions are the ones
 * `src/data/audio/features.ts` follows; a test holds the two equal). A sequence is a dict
 * `{"values": float32 [steps, channels], "label", "group", "fields", "file", "line"}`.
 */

/** The shape of pythonHelpers.ts' PythonHelper, written out so that neither file imports the other's. */
export const PYTHON_SEQUENCE_HELPERS: Record<string, { needs: string[]; imports: string[]; source: string }> = {
  derive_seed: {
    needs: ['mulberry32'],
    imports: [],
    source: `def derive_seed(seed, *path):
    """src/data/random.ts deriveSeed: FNV-1a over the path, finished with mulberry32's mixer."""
    value = (0x811C9DC5 ^ (seed & 0xFFFFFFFF)) & 0xFFFFFFFF
    for char in "\\u0000".join(str(part) for part in path):
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return int(mulberry32(value)() * 4294967296)`,
  },
  read_ts: {
    needs: ['read_text'],
    imports: ['import numpy as np', 'import re'],
    source: `def read_ts(path):
    """A UEA/UCR .ts file (src/data/sequences/tsFormat.ts): one sequence per line after @data,
    dimensions split by ":", values by ",", "?" missing, the label (or target) last."""
    sequences, labelled, in_data = [], False, False
    for number, raw in enumerate(re.split(r"\\r?\\n", read_text(path)), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            words = line.split()
            tag = words[0].lower()
            if tag in ("@classlabel", "@targetlabel") and len(words) > 1 and words[1].lower() == "true":
                labelled = True
            in_data = tag == "@data"
            continue
        fields = line.split(":")
        label = fields.pop().strip() if labelled else None
        columns = [[np.nan if cell.strip().lower() in ("", "?", "na", "n/a", "nan", "null", "none") else float(cell) for cell in field.split(",")] for field in fields]
        sequences.append({"values": np.array(columns, dtype=np.float32).T.copy(), "label": label, "group": None, "fields": {}, "file": path, "line": number})
    return sequences`,
  },
  read_long_table: {
    needs: ['read_table'],
    imports: ['import numpy as np', 'import datetime'],
    source: `def sequence_cell(text):
    text = (text or "").strip()
    return np.nan if text.lower() in ("", "?", "na", "n/a", "nan", "null", "none") else float(text)


def time_of(text):
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def read_long_table(path, sequence, value, label=None, time=None, group=None):
    """A long CSV/TSV (src/data/sequences/longTable.ts): rows grouped by the sequence column in order
    of first appearance, steps in file order or sorted by the time column."""
    by_id = {}
    for number, row in enumerate(read_table(path), start=2):
        by_id.setdefault(row[sequence].strip(), []).append((number, row))
    sequences = []
    for rows in by_id.values():
        if time is not None:
            rows = sorted(rows, key=lambda item: (time_of(item[1][time]), item[0]))
        first = rows[0][1]
        sequences.append({
            "values": np.array([[sequence_cell(row[name]) for name in value] for _, row in rows], dtype=np.float32),
            "label": first[label].strip() if label else None,
            "group": first[group].strip() if group else None,
            "fields": {}, "file": path, "line": rows[0][0],
        })
    return sequences`,
  },
  cut_recording: {
    needs: ['read_table', 'read_long_table'],
    imports: ['import numpy as np'],
    source: `def cut_recording(path, value, label, lookback, stride, rule, time=None):
    """One labelled recording cut into windows (src/data/sequences/longTable.ts cutRecording): a
    window's label is its last step's, or the most frequent (a tie: the latest step's among them)."""
    rows = list(enumerate(read_table(path), start=2))
    if time is not None:
        rows = sorted(rows, key=lambda item: (time_of(item[1][time]), item[0]))
    values = np.array([[sequence_cell(row[name]) for name in value] for _, row in rows], dtype=np.float32)
    labels = [row[label].strip() for _, row in rows]
    sequences = []
    for start in range(0, len(rows) - lookback + 1, stride):
        window = labels[start:start + lookback]
        if rule == "last":
            chosen = window[-1]
        else:
            counts = {}
            for t, name in enumerate(window):
                counts[name] = (counts.get(name, (0, t))[0] + 1, t)
            chosen = max(counts.items(), key=lambda item: (item[1][0], item[1][1]))[0]
        sequences.append({"values": values[start:start + lookback].copy(), "label": chosen, "group": None, "fields": {}, "file": path, "line": rows[start][0]})
    return sequences`,
  },
  read_jsonl_sequences: {
    needs: ['read_text'],
    imports: ['import json', 'import numpy as np', 'import re'],
    source: `def read_jsonl_sequences(path, value="x", label=None, group=None):
    """JSON Lines (src/data/sequences/jsonlSequences.ts): {"x": [[...], ...], "label": ...} per line."""
    def text(item):
        return ("1" if item else "0") if isinstance(item, bool) else str(item).strip() if isinstance(item, str) else repr(item) if isinstance(item, float) and not item.is_integer() else str(int(item)) if isinstance(item, float) else str(item)
    sequences = []
    for number, line in enumerate(re.split(r"\\r?\\n", read_text(path)), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        steps = [step if isinstance(step, list) else [step] for step in record[value]]
        values = np.array([[np.nan if cell is None else cell for cell in step] for step in steps], dtype=np.float32)
        sequences.append({"values": values, "label": text(record[label]) if label else None, "group": text(record[group]) if group else None, "fields": {}, "file": path, "line": number})
    return sequences`,
  },
  read_numpy_sequences: {
    needs: [],
    imports: ['import numpy as np', 'import os'],
    source: `def read_numpy_sequences(path, value="X", label=None):
    """X [n, t, c] (or [n, t]) and y [n] from an .npz archive, or a .npy X with the labels in
    another .npy beside it (src/data/sequences/numpyArrays.ts)."""
    if path.lower().endswith(".npz"):
        arrays = np.load(path, allow_pickle=False)
        x = arrays[value] if value in arrays else arrays["x"]
        y = arrays[label or "y"] if (label or "y") in arrays else None
    else:
        x = np.load(path, allow_pickle=False)
        y = np.load(os.path.join(os.path.dirname(path), label), allow_pickle=False) if label else None
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x[:, :, None]
    labels = None if y is None else [str(item) for item in np.asarray(y).reshape(-1).tolist()]
    return [{"values": x[i].astype(np.float32), "label": None if labels is None else labels[i], "group": None, "fields": {}, "file": path, "line": i + 1} for i in range(len(x))]`,
  },
  list_example_files: {
    needs: [],
    imports: ['import os', 'import re'],
    source: `def list_example_files(root, extension, pattern=None):
    """A folder of example files (src/data/sequences/fileCollection.ts): (path, label, fields),
    labelled by their class folder or by a {label}_{speaker}_{index} file-name pattern, sorted."""
    found = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [os.path.join(folder, name) for name in files if not name.startswith(".") and name.lower().endswith(extension)]
    found.sort()
    if pattern is None:
        return [(path, os.path.relpath(path, root).split(os.sep)[0], {"label": os.path.relpath(path, root).split(os.sep)[0]}) for path in found]
    names = re.findall(r"\\{([A-Za-z_][A-Za-z0-9_]*)\\}", pattern)
    regex = re.compile("^" + "([^/]+?)".join(re.escape(part) for part in re.split(r"\\{[A-Za-z_][A-Za-z0-9_]*\\}", pattern)) + "$")
    examples = []
    for path in found:
        fields = dict(zip(names, regex.match(os.path.relpath(path, root).replace(os.sep, "/")).groups()))
        examples.append((path, fields["label"], fields))
    return examples`,
  },
  audio_features: {
    needs: ['round_half_up'],
    imports: ['import math', 'import numpy as np', 'import librosa'],
    source: `def load_audio(path, sample_rate):
    """A WAV file as Sequence Lab reads it (src/data/audio/wav.ts): mono (the channels' mean),
    resampled by polyphase filtering to \`sample_rate\`."""
    samples, _ = librosa.load(path, sr=sample_rate, mono=True, res_type="polyphase")
    return samples


def audio_features(samples, audio):
    """Log-mel or MFCC frames [frames, channels] with librosa (src/data/audio/features.ts states the
    convention): fix_length to the duration, pre-emphasis, centred STFT with zero padding, a
    periodic Hann window of frame_ms in an FFT of the next power of two, Slaney mel filters,
    power_to_db(ref=1, amin=1e-10, top_db=80), the orthonormal DCT-II."""
    sr = audio["sample_rate"]
    if audio.get("duration") is not None:
        samples = librosa.util.fix_length(samples, size=round_half_up(audio["duration"] * sr))
    if audio.get("pre_emphasis"):
        samples = librosa.effects.preemphasis(samples, coef=audio["pre_emphasis"])
    win = max(2, round_half_up(sr * audio["frame_ms"] / 1000))
    hop = max(1, round_half_up(sr * audio["hop_ms"] / 1000))
    n_fft = 2 ** math.ceil(math.log2(max(win, 4)))
    common = dict(sr=sr, n_fft=n_fft, hop_length=hop, win_length=win, n_mels=audio["n_mels"], fmin=audio["fmin"], fmax=audio.get("fmax"))
    if audio["kind"] == "mfcc":
        features = librosa.feature.mfcc(y=samples, n_mfcc=audio["n_mfcc"], **common)
    else:
        features = librosa.power_to_db(librosa.feature.melspectrogram(y=samples, **common))
    return features.T.astype(np.float32)`,
  },
  split_sequences: {
    needs: ['mulberry32', 'shuffled', 'round_half_up', 'derive_seed'],
    imports: ['import re'],
    source: `def field_matches(value, values):
    if isinstance(values, str):
        bounds = re.fullmatch(r"\\s*(-?\\d+)\\s*-\\s*(-?\\d+)\\s*", values)
        if bounds:
            return re.fullmatch(r"-?\\d+", value) is not None and int(bounds.group(1)) <= int(value) <= int(bounds.group(2))
        return value == values
    return value in [str(item) for item in values]


def split_sequences(sequences, rule, seed):
    """src/data/sequences/sequenceSplit.ts: by a fraction of a seeded shuffle, by a field of the
    file names, or whole groups until the fraction validates."""
    if "field" in rule:
        chosen = [field_matches(s["fields"][rule["field"]], rule["values"]) for s in sequences]
        return [s for s, c in zip(sequences, chosen) if not c], [s for s, c in zip(sequences, chosen) if c]
    random = mulberry32(derive_seed(seed, "split"))
    if "group" in rule:
        group_of = lambda s: s["group"] if s["group"] is not None else s["fields"][rule["group"]]
        sizes = {}
        for s in sequences:
            sizes[group_of(s)] = sizes.get(group_of(s), 0) + 1
        chosen, taken, target = set(), 0, rule["fraction"] * len(sequences)
        for group in shuffled(sorted(sizes), random):
            if taken >= target or len(chosen) == len(sizes) - 1:
                break
            chosen.add(group)
            taken += sizes[group]
        return [s for s in sequences if group_of(s) not in chosen], [s for s in sequences if group_of(s) in chosen]
    order = shuffled(sequences, random)
    count = round_half_up(len(order) * rule["fraction"])
    return order[count:], order[:count]`,
  },
  augment_sequences: {
    needs: ['mulberry32', 'gaussian', 'derive_seed', 'round_half_up'],
    imports: ['import numpy as np'],
    source: `def time_shift(values, max_shift, random):
    """src/data/sequences/augment.ts timeShift: whole steps in [-max, max], silence moved in."""
    shift = round_half_up((random() * 2 - 1) * max_shift)
    out = np.zeros_like(values)
    steps = len(values)
    for t in range(steps):
        if 0 <= t - shift < steps:
            out[t] = values[t - shift]
    return out


def add_noise(values, snr_db, random):
    """src/data/sequences/augment.ts addNoise: Gaussian noise per channel at snr_db below its power."""
    out = values.astype(np.float32).copy()
    for c in range(values.shape[1]):
        column = values[:, c].astype(np.float64)
        sigma = float(np.sqrt(np.sum(column * column) / len(column) / 10 ** (snr_db / 10)))
        noise = np.array([gaussian(random) for _ in range(len(column))])
        out[:, c] = (column + sigma * noise).astype(np.float32)
    return out


def augment_sequences(train, augment, seed, audio=None):
    """Seeded copies of the training sequences (src/data/sequences/sequencePipeline.ts): audio
    clips are shifted (milliseconds) and noised as samples, then turned into features again."""
    out = []
    for copy in range(augment["copies"]):
        for index, sequence in enumerate(train):
            random = mulberry32(derive_seed(seed, "augment", copy, index))
            values = sequence["clip"][:, None] if audio else sequence["values"]
            shift = 0 if augment.get("time_shift") is None else round_half_up(augment["time_shift"] * audio["sample_rate"] / 1000) if audio else augment["time_shift"]
            if shift > 0:
                values = time_shift(values, shift, random)
            if augment.get("noise_snr_db") is not None:
                values = add_noise(values, augment["noise_snr_db"], random)
            made = dict(sequence)
            made["values"] = audio_features(values[:, 0], audio) if audio else values
            out.append(made)
    return out`,
  },
  sequence_arrays: {
    needs: [],
    imports: ['import numpy as np'],
    source: `def fill_missing(values, policy):
    """NaN along each channel: interpolate between known neighbours or repeat the last (a gap at the
    start takes the first known value), as src/data/series.ts fillMissing."""
    values = values.astype(np.float64).copy()
    for c in range(values.shape[1]):
        column = values[:, c]
        known = np.flatnonzero(~np.isnan(column))
        for t in np.flatnonzero(np.isnan(column)):
            before, after = known[known < t], known[known > t]
            if len(before) == 0:
                column[t] = column[after[0]]
            elif len(after) == 0 or policy == "ffill":
                column[t] = column[before[-1]]
            else:
                b, a = before[-1], after[0]
                column[t] = column[b] + (column[a] - column[b]) * (t - b) / (a - b)
    return values.astype(np.float32)


def sequence_arrays(train, validation, timesteps, padding, truncating, mask_value, normalize, missing):
    """src/data/sequences/sequenceArrays.ts: fill, fit per-channel statistics on the training
    sequences only, pad or truncate to \`timesteps\` with mask_value. Returns x_train, x_val, stats."""
    fill = lambda seqs: [s["values"] if missing == "error" else fill_missing(s["values"], missing) for s in seqs]
    train_values, validation_values = fill(train), fill(validation)
    stats = None
    if normalize != "none":
        stacked = np.concatenate(train_values).astype(np.float64)
        if normalize == "zscore":
            offset = np.nanmean(stacked, axis=0)
            scale = np.sqrt(np.nanmean((stacked - offset) ** 2, axis=0))
        else:
            offset = np.nanmin(stacked, axis=0)
            scale = np.nanmax(stacked, axis=0) - offset
        stats = (offset, np.where(scale == 0, 1.0, scale))

    def to_array(values_list):
        channels = train_values[0].shape[1]
        x = np.full((len(values_list), timesteps, channels), mask_value, dtype=np.float32)
        for i, values in enumerate(values_list):
            kept = min(len(values), timesteps)
            chosen = values[len(values) - kept:] if truncating == "pre" else values[:kept]
            if stats is not None:
                chosen = (chosen.astype(np.float64) - stats[0]) / stats[1]
            start = timesteps - kept if padding == "pre" else 0
            x[i, start:start + kept] = chosen
        return x

    return to_array(train_values), to_array(validation_values), stats`,
  },
};

"""Driver for test/unit/keras-export-sequences.test.ts: prepares numeric sequences with the Python
helpers an exported Keras script embeds (their sources are prepended to this file by the test) and
prints the arrays as one JSON line per case. argv[1]: a JSON list of cases."""
import json
import sys


def read_case(case, path):
    reader = case["reader"]
    if reader == "ts":
        return read_ts(path)
    if reader == "long":
        return read_long_table(path, **case["columns"])
    if reader == "recording":
        return cut_recording(path, **case["columns"], **case["window"])
    if reader == "jsonl":
        return read_jsonl_sequences(path, **case["columns"])
    if reader == "numpy":
        return read_numpy_sequences(path, **case["columns"])
    audio = case["audio"]
    sequences = []
    for file, label, fields in list_example_files(path, ".wav", case.get("pattern")):
        clip = load_audio(file, audio["sample_rate"])
        group = fields.get(case.get("group")) if case.get("group") else None
        sequences.append({"values": audio_features(clip, audio), "clip": clip, "label": label, "group": group, "fields": fields, "file": file, "line": None})
    return sequences


for case in json.load(open(sys.argv[1])):
    sequences = read_case(case, case["source"])
    if case.get("validation_source"):
        train, validation = sequences, read_case(case, case["validation_source"])
    else:
        train, validation = split_sequences(sequences, case["split"], case["seed"])
    if case.get("augment"):
        train = train + augment_sequences(train, case["augment"], case["seed"], case.get("audio"))
    y_train, y_val = encode_labels([s["label"] for s in train], [s["label"] for s in validation], case["task"])
    timesteps = case.get("max_len") or max(len(s["values"]) for s in train + validation)
    x_train, x_val, _ = sequence_arrays(train, validation, timesteps, case["padding"], case["truncating"], case["mask_value"], case["normalize"], case["missing"])
    print(json.dumps({"x_train": x_train.astype(float).tolist(), "y_train": y_train.reshape(-1).astype(float).tolist(),
                      "x_val": x_val.astype(float).tolist(), "y_val": y_val.reshape(-1).astype(float).tolist()}))

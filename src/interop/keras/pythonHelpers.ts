/**
 * Python functions an exported script defines to prepare its data exactly as Sequence Lab does
 * (each mirrors a module of `src/data`, named in its docstring). A script includes only the ones
 * its spec needs, after their dependencies.
 */

import { HTML_TAG } from '../../data/html';
import { PYTHON_SEQUENCE_HELPERS } from './pythonSequenceHelpers';

export interface PythonHelper {
  /** Other helpers this one calls. */
  needs: string[];
  /** Modules it imports (`import csv`). */
  imports: string[];
  source: string;
}

export const PYTHON_HELPERS: Record<string, PythonHelper> = {
  mulberry32: {
    needs: [],
    imports: [],
    source: `def mulberry32(seed):
    """Sequence Lab's seeded random numbers (mulberry32, src/data/random.ts): the same draws, so
    the same shuffles, splits and generated data."""
    state = seed & 0xFFFFFFFF

    def next_float():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = ((state ^ (state >> 15)) * (state | 1)) & 0xFFFFFFFF
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return next_float`,
  },
  shuffled: {
    needs: [],
    imports: [],
    source: `def shuffled(items, random):
    """Fisher-Yates with \`random\`, in Sequence Lab's order of draws."""
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        j = int(random() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items`,
  },
  round_half_up: {
    needs: [],
    imports: ['import math'],
    source: `def round_half_up(x):
    """JavaScript's Math.round (Python's round() rounds halves to even)."""
    return math.floor(x + 0.5)`,
  },
  gaussian: {
    needs: [],
    imports: ['import math'],
    source: `def gaussian(random):
    """A standard normal draw (Box-Muller), as src/data/random.ts draws it."""
    u = 1 - random()
    v = random()
    return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v)`,
  },
  read_text: {
    needs: [],
    imports: ['import gzip'],
    source: `def read_text(path):
    """A data file's text: gunzipped when it ends in .gz, UTF-8, without a byte-order mark."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as file:
        return file.read().lstrip("\\ufeff")`,
  },
  read_table: {
    needs: ['read_text'],
    imports: ['import csv', 'import io', 'import json', 'import re'],
    source: `def read_table(path, keep_blank_lines=False):
    """Rows of a .csv, .tsv or .jsonl file as dicts (column name -> text), as src/data/records.ts
    reads them. \`keep_blank_lines\` (series): a blank line of a .csv/.tsv is a row of missing values."""
    text = read_text(path)
    name = str(path).lower().removesuffix(".gz")
    if name.endswith(".jsonl"):
        rows = [json.loads(line) for line in re.split(r"\\r?\\n", text) if line.strip()]
        return [{key: value if isinstance(value, str) else json.dumps(value) for key, value in row.items()} for row in rows]
    records = list(csv.reader(io.StringIO(text), delimiter="\\t" if name.endswith(".tsv") else ","))
    blank = [not record or (len(record) == 1 and not record[0].strip()) for record in records]
    while records and blank[-1]:  # the file's end, not a gap
        records, blank = records[:-1], blank[:-1]
    header = [column.strip() for column in records[0]]
    return [{} if is_blank else dict(zip(header, record)) for record, is_blank in zip(records[1:], blank[1:]) if keep_blank_lines or not is_blank]`,
  },
  read_examples: {
    needs: ['read_text', 'read_table'],
    imports: ['import re'],
    source: `def read_examples(path, text_column, label_column):
    """(text, label) pairs: \`label<TAB>text\` lines of a plain text file, or two columns of a table."""
    name = str(path).lower().removesuffix(".gz")
    if not name.endswith((".csv", ".tsv", ".jsonl")):
        lines = [line for line in re.split(r"\\r?\\n", read_text(path)) if line.strip()]
        return [(line.split("\\t", 1)[1], line.split("\\t", 1)[0]) for line in lines]
    return [(row[text_column], row[label_column]) for row in read_table(path)]`,
  },
  select_examples: {
    needs: ['mulberry32', 'shuffled', 'round_half_up'],
    imports: [],
    source: `def select_examples(examples, validation_examples, fraction, seed, limit=None):
    """src/data/selection.ts: shuffle with the seed; without a separate validation set the first
    \`fraction\` of the shuffled examples validates. \`limit\` caps the training examples."""
    random = mulberry32(seed)
    train = shuffled(examples, random)
    if validation_examples is not None:
        validation = shuffled(validation_examples, random)
    else:
        count = round_half_up(len(train) * fraction)
        validation, train = train[:count], train[count:]
    return train[:limit], validation`,
  },
  encode_labels: {
    needs: [],
    imports: ['import numpy as np'],
    source: `def sort_labels(labels):
    """Numeric labels in numeric order ("2" before "10"), others in code-point order."""
    def is_number(label):
        try:
            float(label)
            return label != ""
        except ValueError:
            return False
    return sorted(labels, key=float) if all(is_number(label) for label in labels) else sorted(labels)


def encode_labels(train_labels, validation_labels, task):
    """Labels -> targets as src/data/labels.ts assigns them (ids from the training labels only):
    binary 0/1 as they are (two other names in sorted order), multiclass integer ids as they are
    (names in sorted order), regression numbers."""
    train_labels = [label.strip() for label in train_labels]
    validation_labels = [label.strip() for label in validation_labels]
    if task == "regression":
        return (np.array(train_labels, dtype="float32").reshape(-1, 1), np.array(validation_labels, dtype="float32").reshape(-1, 1))
    distinct = list(dict.fromkeys(train_labels))
    if task == "binary":
        names = ["0", "1"] if all(label in ("0", "1") for label in distinct) else sort_labels(distinct)
        ids = {name: index for index, name in enumerate(names)}
        return (np.array([ids[label] for label in train_labels], dtype="float32").reshape(-1, 1),
                np.array([ids[label] for label in validation_labels], dtype="float32").reshape(-1, 1))
    if all(label.isascii() and label.isdigit() for label in distinct):
        return np.array(train_labels, dtype="int32"), np.array(validation_labels, dtype="int32")
    ids = {name: index for index, name in enumerate(sort_labels(distinct))}
    return (np.array([ids[label] for label in train_labels], dtype="int32"),
            np.array([ids[label] for label in validation_labels], dtype="int32"))`,
  },
  load_imdb: {
    needs: ['read_table'],
    imports: ['import os', 'import tarfile'],
    source: `IMDB_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"


def load_imdb(local_copy=None):
    """The Large Movie Review dataset as (train, test) lists of (text, label), label "1" = positive,
    negatives first, by review id (src/data/imdb.ts). \`local_copy\`: an extracted aclImdb/ folder,
    or a folder with imdb_train.csv.gz and imdb_test.csv.gz; otherwise the archive is downloaded."""
    if local_copy and os.path.exists(os.path.join(local_copy, "imdb_train.csv.gz")):
        return tuple([(row["text"], row["label"]) for row in read_table(os.path.join(local_copy, f"imdb_{split}.csv.gz"))] for split in ("train", "test"))
    if local_copy:
        root = local_copy if os.path.isdir(os.path.join(local_copy, "train")) else os.path.join(local_copy, "aclImdb")
    else:
        archive = keras.utils.get_file("aclImdb_v1.tar.gz", IMDB_URL)
        root = os.path.join(os.path.dirname(archive), "aclImdb")
        if not os.path.isdir(root):
            with tarfile.open(archive) as tar:
                tar.extractall(os.path.dirname(archive), **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))

    def split(name):
        reviews = []
        for label, polarity in (("0", "neg"), ("1", "pos")):
            folder = os.path.join(root, name, polarity)
            files = {int(entry.split("_")[0]): entry for entry in os.listdir(folder) if entry.endswith(".txt")}
            for review_id in sorted(files):
                with open(os.path.join(folder, files[review_id]), encoding="utf-8") as file:
                    reviews.append((file.read(), label))
        return reviews

    return split("train"), split("test")`,
  },
  strip_html: {
    needs: [],
    imports: ['import re'],
    source: `# Real HTML tags only (src/data/html.ts): \`if x < 3 then y > 2\` keeps every character.
HTML_TAG = re.compile(${JSON.stringify(HTML_TAG.source)}, re.IGNORECASE)


def strip_html(text):
    """Each HTML tag becomes a space (data.tokenizer.strip_html), before Keras' Tokenizer splits words."""
    return HTML_TAG.sub(" ", text)`,
  },
  read_series: {
    needs: ['read_text', 'read_table'],
    imports: ['import re'],
    source: `MISSING_MARKERS = {"", "na", "n/a", "nan", "null", "none", "?"}


def read_series(path, columns):
    """A series as rows of numbers, one per step, one value per column (src/data/series.ts): one
    per line of a plain text file, or the named columns of a table. A blank line or NA is a
    missing value (NaN) at its own step, so no later value moves to another step."""
    def number(cell):
        return float("nan") if cell is None or cell.strip().lower() in MISSING_MARKERS else float(cell)
    name = str(path).lower().removesuffix(".gz")
    if not name.endswith((".csv", ".tsv", ".jsonl")):
        lines = re.split(r"\\r?\\n", read_text(path))
        while lines and not lines[-1].strip():
            lines.pop()
        return [[number(line)] for line in lines]
    return [[number(row.get(column)) for column in columns] for row in read_table(path, keep_blank_lines=True)]`,
  },
  fill_missing: {
    needs: [],
    imports: ['import math'],
    source: `def fill_missing(rows, policy):
    """data.missing (src/data/series.ts): "interpolate" draws a straight line between the known
    neighbours, "ffill" repeats the last known value; gaps before the first value take that value."""
    if not any(math.isnan(value) for row in rows for value in row):
        return rows
    if policy == "error":
        raise ValueError("The series has missing values (blank or NA): set data.missing to interpolate or ffill.")
    rows = [list(row) for row in rows]
    for feature in range(len(rows[0])):
        previous = -1
        for step in range(len(rows) + 1):
            if step < len(rows) and math.isnan(rows[step][feature]):
                continue
            for gap in range(previous + 1, step):
                before = None if previous == -1 else rows[previous][feature]
                after = None if step == len(rows) else rows[step][feature]
                fraction = (gap - previous) / (step - previous)
                rows[gap][feature] = after if before is None else before if after is None or policy == "ffill" else before + (after - before) * fraction
            previous = step
    return rows`,
  },
  fit_normalization: {
    needs: [],
    imports: ['import math'],
    source: `def fit_normalization(values, kind):
    """(offset, scale) of one column, fitted on the training part only: z-score (population std)
    or min-max; summed in order, as src/data/forecast.ts does."""
    if kind == "none" or not values:
        return 0.0, 1.0
    if kind == "minmax":
        return min(values), (max(values) - min(values)) or 1.0
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((value - mean) ** 2 for value in values) / len(values)) or 1.0`,
  },
  forecast_windows: {
    needs: ['round_half_up', 'fit_normalization'],
    imports: ['import numpy as np'],
    source: `def split_series_in_time(rows, fraction, lookback, horizon):
    """src/data/forecast.ts: the last \`fraction\` of the steps is predicted by validation windows,
    whose inputs may reach back into the training part."""
    cut = round_half_up(len(rows) * (1 - fraction))
    return rows[:cut], rows[cut - lookback - horizon + 1:]


def normalized(rows, statistics):
    """Rows [steps][features] -> float32 [steps, features], column by column (value - offset) / scale."""
    return np.array([[(value - offset) / scale for value, (offset, scale) in zip(row, statistics)] for row in rows], dtype="float32").reshape(len(rows), len(statistics))


def sliding_windows(series, lookback, horizon):
    """Windows of \`lookback\` steps -> the next \`horizon\` values of the first column:
    x [n, lookback, features], y [n, horizon]."""
    count = max(0, len(series) - lookback - horizon + 1)
    x = np.array([series[i:i + lookback] for i in range(count)], dtype="float32").reshape(count, lookback, series.shape[1])
    y = np.array([series[i + lookback:i + lookback + horizon, 0] for i in range(count)], dtype="float32").reshape(count, horizon)
    return x, y`,
  },
  next_token_chunks: {
    needs: [],
    imports: ['import numpy as np'],
    source: `def next_token_chunks(ids, length):
    """src/data/nextToken.ts: consecutive chunks of \`length\` ids -> the same chunks shifted by one."""
    count = max(0, (len(ids) - 1) // length)
    x = np.array([ids[i * length:(i + 1) * length] for i in range(count)], dtype="int32").reshape(count, length)
    y = np.array([ids[i * length + 1:(i + 1) * length + 1] for i in range(count)], dtype="int32").reshape(count, length)
    return x, y`,
  },
  ...PYTHON_SEQUENCE_HELPERS,
};

/** The helpers `names` need, dependencies first, each once. */
export function helpersFor(names: readonly string[]): { imports: string[]; sources: string[] } {
  const ordered: string[] = [];
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    const helper = PYTHON_HELPERS[name];
    if (!helper) throw new Error(`no Python helper named ${name}`);
    helper.needs.forEach(visit);
    ordered.push(name);
  };
  names.forEach(visit);
  const imports = [...new Set(ordered.flatMap((name) => PYTHON_HELPERS[name]!.imports))];
  return { imports, sources: ordered.map((name) => PYTHON_HELPERS[name]!.source) };
}

/**
 * `seqlab export-keras`: every example's script compiles (Debian's python3 -m py_compile) and, run
 * against a recording stand-in for TensorFlow (test/fixtures/keras-stub: Keras' Tokenizer and
 * pad_sequences ported, Keras' parameter formulas), builds the layer table of the checker's
 * summary, trains on exactly the arrays Sequence Lab's data pipeline prepares, and with the
 * spec's training settings. Data for every source kind is made here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareData } from '../../src/data/prepare';
import type { Split } from '../../src/data/types';
import { exportKerasScript } from '../../src/interop/keras/exportScript';
import { classWeights } from '../../src/training/classWeights';
import { checkSpec } from '../../src/language/check';
import type { ModelSpec, ModelSummary } from '../../src/language/types';
import { madeDataEnv } from '../fixtures/exampleData';

const PYTHON = '/usr/bin/python3';
const STUB = resolve(__dirname, '../fixtures/keras-stub');
const EXAMPLES = resolve(__dirname, '../../examples');
const dir = mkdtempSync(join(tmpdir(), 'seqlab-keras-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface RecordedLayer {
  class: string;
  name: string;
  params: number;
  output_shape: (number | null)[];
  settings: Record<string, unknown>;
}

interface Recording {
  name: string;
  seed: number;
  input_shape: (number | null)[];
  layers: RecordedLayer[];
  compile: { optimizer: { class: string; kwargs: Record<string, unknown> }; loss: string; metrics: (string | { class: string; kwargs: { name?: string } })[] };
  fit: { batch_size: number; epochs: number; shuffle: boolean; class_weight?: Record<string, number>; callbacks?: { class: string; kwargs: Record<string, unknown> }[] };
  x_train: unknown[];
  y_train: unknown[];
  x_val: unknown[] | null;
  y_val: unknown[] | null;
}

interface Exported {
  spec: ModelSpec;
  summary: ModelSummary;
  script: string;
  recording: Recording;
}

/** Checks the spec, exports it beside itself, compiles the script and runs it on the stand-in. */
function exportAndRun(specPath: string, env: NodeJS.ProcessEnv = {}): Exported {
  const checked = checkSpec(readFileSync(specPath, 'utf8'), { specPath });
  const errors = checked.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  assert.deepEqual(errors, [], `${specPath} has errors`);
  const spec = checked.spec!;
  const summary = checked.summary!;
  const scriptPath = join(dir, `${spec.name}-${Math.random().toString(36).slice(2)}.py`);
  const script = exportKerasScript(spec, summary, { specPath, scriptPath });
  writeFileSync(scriptPath, script);
  const compiled = spawnSync(PYTHON, ['-m', 'py_compile', scriptPath], { encoding: 'utf8' });
  assert.equal(compiled.status, 0, `py_compile ${scriptPath}:\n${compiled.stderr}`);
  const recordPath = `${scriptPath}.json`;
  const run = spawnSync(PYTHON, [scriptPath], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, PYTHONPATH: STUB, PYTHONDONTWRITEBYTECODE: '1', KERAS_STUB_RECORD: recordPath, ...env },
    timeout: 120_000,
  });
  assert.equal(run.status, 0, `python ${scriptPath}:\n${run.stdout}\n${run.stderr}`);
  assert.doesNotMatch(run.stdout, /^Note: /m, 'the script reports a parameter count that differs from the summary');
  return { spec, summary, script, recording: JSON.parse(readFileSync(recordPath, 'utf8')) as Recording };
}

/** The layer table Keras would print (stand-in formulas) is the checker's summary, row by row. */
function assertSameLayerTable(recording: Recording, summary: ModelSummary): void {
  assert.deepEqual(
    recording.layers.map((layer) => ({ name: layer.name, outputShape: layer.output_shape, params: layer.params })),
    summary.layers.map((layer) => ({ name: layer.name, outputShape: layer.outputShape, params: layer.params })),
  );
  assert.deepEqual(recording.input_shape, summary.inputShape);
}

/**
 * The checker's summary with an embedding that has no `input_dim` sized as training sizes it: the
 * vocabulary the data gives (every character, for a character tokenizer without `vocab_size`).
 */
async function sizedSummary(exported: Exported, specPath: string): Promise<ModelSummary> {
  const first = exported.spec.model[0];
  if (first?.type !== 'embedding' || first.input_dim !== undefined) return exported.summary;
  const prepared = await prepareData(exported.spec, { specDir: resolve(specPath, '..') });
  const layers = exported.summary.layers.map((layer, index) => (index === 0 ? { ...layer, params: prepared.vocabulary!.tokens.length * first.output_dim } : layer));
  return { ...exported.summary, layers };
}

/**
 * Nested Python lists equal a row-major typed array of `shape`, value for value: even generated
 * sines agree to the bit once rounded to float32.
 */
function assertSameArray(actual: unknown, expected: ArrayLike<number>, shape: number[], what: string): void {
  const flat: number[] = [];
  const dims: number[] = [];
  const walk = (value: unknown, depth: number) => {
    if (Array.isArray(value)) {
      dims[depth] = value.length;
      for (const item of value) walk(item, depth + 1);
    } else flat.push(value as number);
  };
  walk(actual, 0);
  assert.deepEqual(dims.slice(0, shape.length), shape, `${what}: shape`);
  assert.equal(flat.length, expected.length, `${what}: size`);
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] !== expected[i]) assert.fail(`${what}[${i}] is ${flat[i]} in Keras, ${expected[i]} in Sequence Lab`);
  }
}

async function assertSameData(exported: Exported, specPath: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const prepared = await prepareData(exported.spec, { specDir: resolve(specPath, '..'), env });
  assertSameClassWeights(exported, prepared);
  if (exported.spec.data.imdb_preprocessing === 'keras') return assertSameExamples(exported.recording, prepared);
  const compare = (actual: unknown, split: Split, key: 'x' | 'y', what: string) =>
    assertSameArray(actual, split[key], key === 'x' ? split.xShape : split.yShape, what);
  compare(exported.recording.x_train, prepared.train, 'x', 'x_train');
  compare(exported.recording.y_train, prepared.train, 'y', 'y_train');
  if (prepared.validation.count > 0) {
    compare(exported.recording.x_val, prepared.validation, 'x', 'x_val');
    compare(exported.recording.y_val, prepared.validation, 'y', 'y_val');
  } else {
    assert.equal(exported.recording.x_val, null, 'no validation_data when nothing validates');
  }
}

/** `fit(class_weight=...)` is the trainer's weight per class id (src/training/classWeights.ts). */
function assertSameClassWeights(exported: Exported, prepared: Awaited<ReturnType<typeof prepareData>>): void {
  const expected = classWeights(exported.spec.train.class_weight, exported.spec.data.task, prepared);
  if (!expected) return assert.equal(exported.recording.fit.class_weight, undefined);
  const recorded = exported.recording.fit.class_weight;
  assert.ok(recorded, 'fit(class_weight=...) for train.class_weight');
  expected.forEach((weight, id) => assert.ok(Math.abs((recorded[String(id)] ?? 1) - weight) < 1e-5, `class ${id} weighs ${recorded[String(id)]} in Keras, ${weight} in Sequence Lab`));
}

/**
 * Keras' IMDB arrays come in Keras' own order: the same examples as Sequence Lab's seeded shuffle,
 * compared as sets of (ids, label) rows.
 */
function assertSameExamples(recording: Recording, prepared: Awaited<ReturnType<typeof prepareData>>): void {
  const rows = (x: unknown, y: unknown) => (x as number[][]).map((ids, i) => `${ids.join(' ')} -> ${String((y as number[][])[i])}`).sort();
  const expected = (split: Split) =>
    Array.from({ length: split.count }, (_, i) => `${[...split.x.subarray(i * split.xShape[1]!, (i + 1) * split.xShape[1]!)].join(' ')} -> ${split.y[i]}`).sort();
  assert.deepEqual(rows(recording.x_train, recording.y_train), expected(prepared.train));
  assert.deepEqual(rows(recording.x_val, recording.y_val), expected(prepared.validation));
}

function assertSameTraining(recording: Recording, spec: ModelSpec): void {
  const { train } = spec;
  assert.equal(recording.seed, spec.data.seed);
  assert.equal(recording.compile.optimizer.class, { adam: 'Adam', rmsprop: 'RMSprop', sgd: 'SGD' }[train.optimizer.name]);
  assert.equal(recording.compile.optimizer.kwargs.learning_rate, train.learning_rate);
  assert.equal(recording.compile.optimizer.kwargs.clipnorm, train.clipnorm);
  assert.equal(recording.compile.loss, train.loss);
  // Keras logs each metric under its string name or the `name` of its metric object.
  const logged = recording.compile.metrics.map((metric) => (typeof metric === 'string' ? metric : metric.kwargs.name));
  // Keras' F1Score needs one-hot targets: multiclass F1 is left out (the script says so).
  const computable = train.metrics.filter((metric) => metric !== 'f1_score' || spec.data.task === 'binary');
  assert.deepEqual(logged.slice(0, computable.length), computable);
  assert.equal(recording.fit.batch_size, train.batch_size);
  assert.equal(recording.fit.epochs, train.epochs);
  assert.equal(recording.fit.shuffle, train.shuffle);
  const earlyStopping = recording.fit.callbacks?.find((callback) => callback.class === 'EarlyStopping');
  if (train.early_stopping) {
    assert.ok(earlyStopping, 'EarlyStopping callback');
    const monitor = String(earlyStopping.kwargs.monitor);
    // Keras can only watch the loss or a metric it logs (with `val_` on validation data).
    assert.ok(['loss', ...logged].includes(monitor.replace(/^val_/, '')), `EarlyStopping watches ${monitor}, which Keras never logs (metrics ${logged.join(', ')})`);
    // Sequence Lab's monitor itself unless Keras does not log it (data units, multiclass F1): then the script says what it watches instead.
    const mapped = !['loss', ...logged].includes(train.early_stopping.monitor.replace(/^val_/, ''));
    if (!mapped) assert.equal(monitor, train.early_stopping.monitor);
    assert.equal(earlyStopping.kwargs.patience, train.early_stopping.patience);
    assert.equal(earlyStopping.kwargs.restore_best_weights ?? false, train.early_stopping.restore_best_weights);
    if (!mapped) assert.equal(earlyStopping.kwargs.min_delta ?? 0, train.early_stopping.min_delta);
  } else {
    assert.equal(earlyStopping, undefined);
  }
}

/** A small IMDB copy in the aclImdb layout ({train,test}/{pos,neg}/<id>_<rating>.txt). */
function fakeImdb(): string {
  const root = join(dir, 'aclImdb');
  const words = ['great', 'awful', 'plot', 'acting', 'boring', 'superb', 'film', 'story'];
  for (const split of ['train', 'test']) {
    for (const polarity of ['pos', 'neg']) {
      mkdirSync(join(root, split, polarity), { recursive: true });
      for (let id = 0; id < 12; id++) {
        const text = `Review ${id}: the ${words[id % 8]} ${words[(id * 3) % 8]}<br /><br />was ${polarity === 'pos' ? 'great' : 'awful'}, ${'really '.repeat(id % 4)}${words[(id + 5) % 8]}.`;
        writeFileSync(join(root, split, polarity, `${id * 7 + (polarity === 'pos' ? 1 : 0)}_${polarity === 'pos' ? 8 : 2}.txt`), text);
      }
    }
  }
  return root;
}

const canRunPython = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

const imdbCopy = fakeImdb();
/** The data-file examples' data (`${env:SEQLAB_SMS_SPAM}`, ...), made in each dataset's format. */
const exampleData = madeDataEnv(join(dir, 'example-data'));

describe('export-keras on the examples', { skip: canRunPython ? false : `${PYTHON} with NumPy is not installed (Debian: apt-get install python3-numpy)` }, () => {
  const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith('.seqlab.yaml'));

  for (const example of examples) {
    it(`${example}: compiles, builds the checker's layer table, prepares the same arrays, trains with the same settings`, async () => {
      const specPath = join(EXAMPLES, example);
      const env = { ...exampleData, SEQLAB_IMDB: imdbCopy };
      const exported = exportAndRun(specPath, env);
      assertSameLayerTable(exported.recording, exported.summary);
      assertSameTraining(exported.recording, exported.spec);
      await assertSameData(exported, specPath, env);
    });
  }
});

/** Writes `files` and a spec into a fresh folder of `dir`; returns the spec's path. */
function project(name: string, spec: string, files: Record<string, string>): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  const specPath = join(folder, `${name}.seqlab.yaml`);
  writeFileSync(specPath, spec);
  return specPath;
}

const REVIEW_WORDS = ['good', 'bad', 'plot', 'great', 'dull', 'Actor', 'scene', 'ending', 'music', 'FUN'];

function reviews(count: number, label: (i: number) => string): { text: string; label: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    text: `${REVIEW_WORDS[i % 10]} ${REVIEW_WORDS[(i * 7) % 10]}, the ${REVIEW_WORDS[(i * 3) % 10]}!${i % 4 === 0 ? '<br />' : ' '}It's "${REVIEW_WORDS[(i + 2) % 10]}"${' so'.repeat(i % 5)}.`,
    label: label(i),
  }));
}

function csv(rows: { text: string; label: string }[]): string {
  return ['text,label', ...rows.map((row) => `"${row.text.replace(/"/g, '""')}",${row.label}`)].join('\n');
}

describe('export-keras on data the test makes', { skip: canRunPython ? false : `${PYTHON} with NumPy is not installed` }, () => {
  const cases: { name: string; spec: string; files: Record<string, string> }[] = [
    {
      name: 'csv-binary-names',
      files: { 'reviews.csv': csv(reviews(60, (i) => (i % 3 === 0 ? 'pos' : 'neg'))) },
      spec: `data:
  source: reviews.csv
  tokenizer: {vocab_size: 12}
  padding: post
  validation: 0.25
model:
  - {type: embedding, output_dim: 8, mask_zero: true}
  - type: bidirectional
    layer: {type: lstm, units: 6, return_sequences: true, dropout: 0.1}
    merge_mode: sum
  - {type: gru, units: 5}
  - {type: dropout, rate: 0.3}
  - {type: dense, units: 1, activation: sigmoid}
train:
  optimizer: {name: rmsprop, rho: 0.8}
  learning_rate: 0.002
  clipnorm: 0.5
  batch_size: 8
  epochs: 2
  early_stopping: {monitor: val_accuracy, patience: 1}
`,
    },
    {
      name: 'imdb-tokenizer',
      files: {},
      spec: `data:
  source: imdb
  imdb_path: ../aclImdb
  tokenizer: {vocab_size: 20, oov_token: "[UNK]"}
  validation: 0.25
model:
  - {type: embedding, output_dim: 4}
  - {type: lstm, units: 3}
  - {type: dense, units: 1, activation: sigmoid}
`,
    },
    {
      name: 'tsv-multiclass',
      files: {
        'train.tsv': ['text\tlabel', ...reviews(40, (i) => ['sports', 'arts', 'news'][i % 3]!).map((row) => `${row.text.replace(/"/g, '')}\t${row.label}`)].join('\n'),
        'valid.tsv': ['text\tlabel', ...reviews(9, (i) => ['news', 'sports', 'arts'][i % 3]!).map((row) => `${row.text.replace(/"/g, '')}\t${row.label}`)].join('\n'),
      },
      spec: `data:
  source: train.tsv
  task: multiclass
  num_classes: 3
  tokenizer: {level: char, vocab_size: 20, lowercase: false, strip_html: false}
  max_len: 30
  truncating: post
  validation: {source: valid.tsv}
  limit: 30
model:
  - {type: embedding, output_dim: 4}
  - {type: simple_rnn, units: 7, activation: relu, go_backwards: true}
  - {type: dense, units: 3, activation: softmax}
train:
  optimizer: {name: sgd, momentum: 0.5}
  loss: sparse_categorical_crossentropy
  shuffle: false
  batch_size: 4
  epochs: 1
`,
    },
    {
      name: 'jsonl-regression',
      files: { 'scores.jsonl': reviews(30, (i) => String((i % 7) / 2)).map((row, i) => JSON.stringify({ review: row.text, score: i % 2 ? Number(row.label) : row.label })).join('\n') },
      spec: `data:
  source: scores.jsonl
  task: regression
  columns: {text: review, label: score}
  validation: 0.2
model:
  - {type: embedding, output_dim: 4}
  - {type: lstm, units: 3, unit_forget_bias: false, recurrent_activation: hard_sigmoid}
  - {type: dense, units: 1}
train:
  loss: mae
  metrics: [mse]
  batch_size: 4
  epochs: 1
`,
    },
    {
      name: 'txt-labels',
      files: { 'sms.txt': reviews(25, (i) => (i % 4 === 0 ? 'spam' : 'ham')).map((row) => `${row.label}\t${row.text}`).join('\n') },
      spec: `data:
  source: sms.txt
  validation: 0.2
model:
  - {type: embedding, output_dim: 4}
  - {type: gru, units: 4}
  - {type: dense, units: 1, activation: sigmoid}
`,
    },
    {
      name: 'series-forecast',
      files: {
        'passengers.csv': ['month,passengers', ...Array.from({ length: 80 }, (_, i) => `m${i},${100 + ((i * 37) % 23) + i}`)].join('\n'),
        'later.csv': ['month,passengers', ...Array.from({ length: 20 }, (_, i) => `n${i},${180 + ((i * 11) % 7)}`)].join('\n'),
      },
      spec: `data:
  source: passengers.csv
  task: forecast
  columns: {value: passengers}
  window: {lookback: 6, horizon: 2, normalize: minmax}
  validation: {source: later.csv}
  limit: 50
model:
  - {type: lstm, units: 4, return_sequences: true}
  - {type: time_distributed, layer: {type: dense, units: 3, activation: tanh}}
  - {type: simple_rnn, units: 3}
  - {type: dense, units: 2}
train:
  loss: mse
  epochs: 1
`,
    },
    {
      name: 'series-columns-gaps',
      files: {
        'weather.csv': ['day,temp,rain,wind', ...Array.from({ length: 70 }, (_, i) => (i === 12 ? '' : `d${i},${i % 9 === 4 ? 'NA' : 10 + ((i * 13) % 17) / 3},${(i * 7) % 5},${i === 0 ? '' : (i * 3) % 11}`)), '', ''].join('\n'),
      },
      spec: `data:
  source: weather.csv
  task: forecast
  columns: {value: [temp, wind]}
  missing: interpolate
  window: {lookback: 5, horizon: 1}
  validation: 0.3
model:
  - {type: gru, units: 4}
  - {type: dense, units: 1}
train:
  loss: mse
  epochs: 1
`,
    },
    {
      name: 'series-text-ffill',
      files: { 'counts.txt': Array.from({ length: 50 }, (_, i) => (i % 11 === 3 ? 'NA' : i % 13 === 7 ? '' : String((i * 17) % 23))).join('\n') },
      spec: `data:
  source: counts.txt
  task: forecast
  missing: ffill
  window: {lookback: 4, horizon: 3, normalize: none}
model:
  - {type: simple_rnn, units: 3}
  - {type: dense, units: 3}
train:
  loss: mae
  epochs: 1
`,
    },
    {
      name: 'class-weight-balanced-precision-recall',
      files: { 'sms.csv': csv(reviews(50, (i) => (i % 5 === 0 ? 'spam' : 'ham'))) },
      spec: `data:
  source: sms.csv
  task: binary
  tokenizer: {vocab_size: 20}
  max_len: 6
model:
  - {type: embedding, output_dim: 4}
  - {type: lstm, units: 3}
  - {type: dense, units: 1, activation: sigmoid}
train:
  metrics: [accuracy, precision, recall, auc, f1_score]
  class_weight: balanced
  early_stopping: {monitor: val_recall, patience: 2, min_delta: 0.01, restore_best_weights: true}
  epochs: 1
`,
    },
    {
      name: 'class-weight-by-label-name',
      files: { 'reviews.csv': csv(reviews(40, (i) => ['pos', 'neg', 'meh'][i % 3]!)) },
      spec: `data:
  source: reviews.csv
  task: multiclass
  tokenizer: {vocab_size: 12}
model:
  - {type: embedding, output_dim: 4}
  - {type: gru, units: 3}
  - {type: dense, units: 3, activation: softmax}
train:
  loss: sparse_categorical_crossentropy
  metrics: [accuracy, f1_score]
  class_weight: {pos: 3, meh: 0.5}
  early_stopping: {monitor: val_f1_score, patience: 1}
  epochs: 1
`,
    },
    {
      name: 'regression-scaled-targets-monitor-data-units',
      files: { 'prices.csv': csv(reviews(40, (i) => String(100000 + ((i * 7919) % 5000) * 37))) },
      spec: `data:
  source: prices.csv
  task: regression
  normalize_target: zscore
model:
  - {type: embedding, output_dim: 4}
  - {type: lstm, units: 3}
  - {type: dense, units: 1}
train:
  loss: mse
  metrics: [mae]
  early_stopping: {monitor: val_data_mae, patience: 2, min_delta: 50, restore_best_weights: true}
  epochs: 1
`,
    },
    {
      name: 'forecast-monitor-data-rmse',
      files: { 'counts.txt': Array.from({ length: 40 }, (_, i) => String(100 + ((i * 37) % 23) * 5)).join('\n') },
      spec: `data:
  source: counts.txt
  task: forecast
  window: {lookback: 4, horizon: 1, normalize: minmax}
model:
  - {type: lstm, units: 3}
  - {type: dense, units: 1}
train:
  loss: mse
  early_stopping: {monitor: data_rmse, patience: 2, min_delta: 0.5}
  epochs: 1
`,
    },
    {
      name: 'corpus-words',
      files: { 'corpus.txt': reviews(40, () => '').map((row) => row.text).join('\n') },
      spec: `data:
  source: corpus.txt
  task: next-token
  tokenizer: {vocab_size: 9}
  max_len: 5
  validation: 0.3
model:
  - {type: embedding, output_dim: 4}
  - {type: gru, units: 6, return_sequences: true}
  - {type: time_distributed, layer: {type: dense, units: 9, activation: softmax}}
train:
  loss: sparse_categorical_crossentropy
  epochs: 1
`,
    },
    {
      name: 'corpus-chars-sized-by-data',
      files: { 'story.txt': reviews(30, () => '').map((row) => row.text).join(' ') },
      spec: `data:
  source: story.txt
  task: next-token
  tokenizer: {level: char}
  max_len: 8
model:
  - {type: embedding, output_dim: 3}
  - {type: simple_rnn, units: 5, return_sequences: true}
  - {type: time_distributed, layer: {type: dense, units: 37, activation: softmax}}
train:
  loss: sparse_categorical_crossentropy
  epochs: 1
`,
    },
    {
      name: 'corpus-table',
      files: { 'lines.csv': csv(reviews(20, () => 'x')) },
      spec: `data:
  source: lines.csv
  task: next-token
  tokenizer: {level: char, vocab_size: 30}
  max_len: 12
model:
  - {type: embedding, output_dim: 4}
  - {type: lstm, units: 6, return_sequences: true}
  - {type: time_distributed, layer: {type: dense, units: 30, activation: softmax}}
train:
  loss: sparse_categorical_crossentropy
  epochs: 1
`,
    },
  ];

  for (const { name, spec, files } of cases) {
    it(`${name}: the script prepares Sequence Lab's arrays and builds its layer table`, async () => {
      const specPath = project(name, spec, files);
      const exported = exportAndRun(specPath);
      assertSameLayerTable(exported.recording, await sizedSummary(exported, specPath));
      assertSameTraining(exported.recording, exported.spec);
      await assertSameData(exported, specPath);
    });
  }

  it("Keras' IMDB arrays with a validation fraction and a limit: load_data's train arrays, cut and capped", () => {
    const specPath = project('imdb-keras-split', `data:
  source: imdb
  imdb_path: ../aclImdb
  imdb_preprocessing: keras
  tokenizer: {vocab_size: 30}
  validation: 0.25
  limit: 10
model:
  - {type: embedding, output_dim: 4}
  - {type: gru, units: 3}
  - {type: dense, units: 1, activation: sigmoid}
`, {});
    // load_data reads Keras' own copy of the data; the stand-in's reads the test's, as SEQLAB_IMDB says.
    const { recording, summary } = exportAndRun(specPath, { SEQLAB_IMDB: imdbCopy });
    assertSameLayerTable(recording, summary);
    assert.deepEqual([(recording.x_train as unknown[]).length, (recording.x_val as unknown[]).length], [10, 6]);
    const longest = Math.max(...(recording.x_train as number[][]).map((row) => row.length));
    assert.ok((recording.x_train as number[][]).every((row) => row.length === longest && row.filter((id) => id === 1).length === 1), 'padded rows with one start token');
  });

  it('writes a GRU as reset_after=False and says why, and lists only settings that differ from Keras defaults', () => {
    const specPath = project('styles', cases[0]!.spec, cases[0]!.files);
    const { script } = exportAndRun(specPath);
    assert.match(script, /layers\.GRU\(5, reset_after=False, name="gru"\)/);
    assert.match(script, /# reset_after=False: Sequence Lab's GRU/);
    const flat = script.replace(/\s+/g, ' ');
    assert.ok(flat.includes('layers.Bidirectional( layers.LSTM(6, return_sequences=True, dropout=0.1, name="lstm"), merge_mode="sum", name="bidirectional", )'), flat);
    assert.match(script, /keras\.optimizers\.RMSprop\(learning_rate=0\.002, rho=0\.8, clipnorm=0\.5\)/);
    assert.match(script, /layers\.Embedding\(12, 8, mask_zero=True, name="embedding"\)/);
  });
});

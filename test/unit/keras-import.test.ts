/**
 * `seqlab import`: the course's three models, as Keras 2 and Keras 3 `model.to_json()` files and
 * as learners' Python, become specs whose summary is Keras' `model.summary()`; what cannot be
 * carried over is reported where it sits in the Keras file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { importKerasModel, KerasImportError, type KerasImportResult } from '../../src/interop/keras/importModel';
import { checkSpec } from '../../src/language/check';
import { buildModel } from '../../src/model/build';
import type { ImportIssue } from '../../src/interop/keras/kerasModel';

const FIXTURES = resolve(__dirname, '../fixtures/keras');
const EXAMPLES = resolve(__dirname, '../../examples');

function importFixture(name: string): KerasImportResult {
  return importKerasModel(readFileSync(join(FIXTURES, name), 'utf8'), name);
}

/** A row of Keras' `model.summary()`: name, output shape, parameters. */
type KerasRow = [string, (number | null)[], number];

/** What Keras prints for the course's models (formulas in src/language/summary.ts; GRU with Keras' reset_after=True). */
const KERAS_SUMMARIES: Record<string, { rows: KerasRow[]; total: number }> = {
  'simple-rnn': {
    rows: [
      ['embedding', [null, 500, 64], 320_000],
      ['simple_rnn', [null, 128], 24_704],
      ['dense', [null, 1], 129],
    ],
    total: 344_833,
  },
  'imdb-lstm': {
    rows: [
      ['embedding', [null, 200, 128], 1_280_000],
      ['lstm', [null, 64], 49_408],
      ['dense', [null, 1], 65],
    ],
    total: 1_329_473,
  },
  gru: {
    rows: [
      ['embedding', [null, 200, 128], 1_280_000],
      ['gru', [null, 64], 37_248],
      ['dense', [null, 1], 65],
    ],
    total: 1_317_313,
  },
};

function kerasRows(result: KerasImportResult): KerasRow[] {
  assert.ok(result.summary, 'the imported spec has a summary');
  return result.summary.layers.map((layer) => [layer.name, layer.outputShape, layer.kerasParams ?? NaN]);
}

function errors(result: KerasImportResult): ImportIssue[] {
  return result.issues.filter((issue) => issue.severity === 'error');
}

describe('import round trips of the course models: Keras JSON -> spec -> the summary Keras prints', () => {
  for (const model of ['simple-rnn', 'imdb-lstm', 'gru']) {
    for (const format of ['keras2', 'keras3']) {
      it(`${model}.${format}.json`, () => {
        const result = importFixture(`${model}.${format}.json`);
        assert.equal(result.format, format === 'keras2' ? 'Keras 2 JSON' : 'Keras 3 JSON');
        assert.deepEqual(kerasRows(result), KERAS_SUMMARIES[model]!.rows);
        assert.equal(result.summary!.kerasTotalParams, KERAS_SUMMARIES[model]!.total);
        const parsed = parse(result.specText) as { model: Record<string, unknown>[] };
        assert.deepEqual(parsed.model.map((layer) => layer.type), ['embedding', model === 'simple-rnn' ? 'simple_rnn' : model === 'imdb-lstm' ? 'lstm' : 'gru', 'dense']);
        // The only thing the spec still needs is where its data is: every other check passes.
        const specErrors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
        assert.deepEqual(specErrors.map((diagnostic) => /`source`/.test(diagnostic.message)), [true]);
      });
    }
  }

  it('carries over LSTM dropout and recurrent_dropout, and the Embedding sizes and input length', () => {
    for (const format of ['keras2', 'keras3']) {
      const parsed = parse(importFixture(`imdb-lstm.${format}.json`).specText) as { data: Record<string, unknown>; model: Record<string, unknown>[] };
      assert.deepEqual(parsed.model[0], { type: 'embedding', input_dim: 10000, output_dim: 128 });
      assert.deepEqual(parsed.model[1], { type: 'lstm', units: 64, dropout: 0.2, recurrent_dropout: 0.2 });
      assert.deepEqual(parsed.model[2], { type: 'dense', units: 1, activation: 'sigmoid' });
      assert.equal(parsed.data.max_len, 200);
      assert.deepEqual(parsed.data.tokenizer, { vocab_size: 10000 });
      assert.equal(parsed.data.task, 'binary');
    }
  });

  it("reads Keras 3's compile_config into train, a float32 learning rate as the person wrote it", () => {
    const parsed = parse(importFixture('imdb-lstm.keras3.json').specText) as { train: Record<string, unknown> };
    assert.deepEqual(parsed.train, { optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    // Keras 3 stores learning_rate=0.002 as float32, written out as 0.0020000000949949026.
    const text = readFileSync(join(FIXTURES, 'imdb-lstm.keras3.json'), 'utf8').replace('"learning_rate": 0.0010000000474974513', '"learning_rate": 0.0020000000949949026');
    const changed = parse(importKerasModel(text, 'model.json').specText) as { train: Record<string, unknown> };
    assert.equal(changed.train.learning_rate, 0.002);
  });

  it("reports a GRU's reset_after=True with both parameter counts, at the setting's line, rather than changing the model", () => {
    const result = importFixture('gru.keras2.json');
    const [issue, ...others] = errors(result);
    assert.equal(others.length, 0);
    const text = readFileSync(join(FIXTURES, 'gru.keras2.json'), 'utf8').split('\n');
    assert.equal(issue!.origin.line, text.findIndex((line) => line.includes('"reset_after"')) + 1);
    assert.equal(issue!.origin.where, 'config.layers[2].config.reset_after');
    assert.match(issue!.message, /reset_after.*192 fewer parameters/);
    const gru = result.summary!.layers[1]!;
    assert.deepEqual([gru.params, gru.kerasParams], [37_056, 37_248]);
    assert.match(result.specText, /# Keras: reset_after=True; this GRU is reset_after=False \(192 fewer parameters\)/);
  });
});

describe("import of Sequence Lab's own saved models (TensorFlow.js layers format, a functional chain)", () => {
  const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith('.seqlab.yaml'));
  for (const example of examples) {
    it(`${example}: the topology tfjs saves imports back to the same layer table`, () => {
      const checked = checkSpec(readFileSync(join(EXAMPLES, example), 'utf8'), { specPath: example });
      const { spec, summary } = checked;
      assert.ok(spec && summary);
      const [, timesteps, features] = summary.inputShape;
      const first = spec.model[0]!;
      const model = buildModel(spec, {
        inputKind: first.type === 'embedding' ? 'tokens' : 'values',
        timesteps: timesteps ?? 20,
        features: features ?? 1,
        ...(first.type === 'embedding' ? { vocabulary: { tokens: Array<string>(first.input_dim!).fill(''), level: 'word' as const } } : {}),
      });
      const topology = JSON.stringify({ modelTopology: model.toJSON(null, false), format: 'layers-model' });
      model.dispose();
      const result = importKerasModel(topology, 'model.json');
      assert.equal(result.format, 'TensorFlow.js JSON');
      assert.deepEqual(errors(result), []);
      assert.deepEqual(
        result.summary!.layers.map((layer) => [layer.name, layer.type, layer.params, layer.kerasParams]),
        summary.layers.map((layer) => [layer.name, layer.type, layer.params, layer.params]),
      );
    });
  }
});

describe('import from Python: Sequential literals and model.add calls, read and never run', () => {
  const cases: [string, string][] = [
    ['simple_rnn.py', 'simple-rnn'],
    ['imdb_lstm.py', 'imdb-lstm'],
    ['gru.py', 'gru'],
  ];
  for (const [file, model] of cases) {
    it(`${file} gives the summary Keras prints`, () => {
      const result = importFixture(file);
      assert.equal(result.format, 'Python');
      assert.deepEqual(kerasRows(result), KERAS_SUMMARIES[model]!.rows);
    });
  }

  it('takes data and training settings from imdb.load_data, pad_sequences, compile and fit', () => {
    const result = importFixture('imdb_lstm.py');
    const parsed = parse(result.specText) as { data: Record<string, unknown>; train: Record<string, unknown> };
    assert.deepEqual(parsed.data, { source: 'imdb', imdb_preprocessing: 'keras', task: 'binary', tokenizer: { vocab_size: 10000 }, max_len: 200, validation: { source: 'test' } });
    assert.deepEqual(parsed.train, { optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'], epochs: 3, batch_size: 64 });
    assert.deepEqual(errors(result), []);
    assert.deepEqual(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), [], 'the imported spec checks clean');
  });

  it('takes Tokenizer, pad_sequences, validation_split and EarlyStopping from a model.add script', () => {
    const parsed = parse(importFixture('simple_rnn.py').specText) as { name: string; data: Record<string, unknown>; train: Record<string, unknown> };
    assert.equal(parsed.name, 'simple_rnn_sentiment');
    assert.deepEqual(parsed.data, {
      task: 'binary',
      tokenizer: { vocab_size: 5000, oov_token: '<OOV>', strip_html: false },
      validation: 0.2,
      max_len: 500,
      padding: 'post',
      truncating: 'post',
    });
    assert.deepEqual(parsed.train, {
      optimizer: 'adam',
      loss: 'binary_crossentropy',
      metrics: ['accuracy'],
      epochs: 5,
      batch_size: 32,
      early_stopping: { monitor: 'val_loss', patience: 2 },
    });
  });

  it('reports expressions outside the literal subset with their line, and imports the rest', () => {
    const source = [
      'from tensorflow import keras',
      'units = [32, 16]',
      'model = keras.Sequential([',
      '    keras.layers.Embedding(1000, 8),',
      '    keras.layers.LSTM(units[0], return_sequences=True),',
      '    keras.layers.Dropout(rate=0.1 * 2),',
      '    *[keras.layers.Dense(n) for n in units],',
      '    keras.layers.Dense(1, activation=f"{act}"),',
      '])',
    ].join('\n');
    const result = importKerasModel(source, 'model.py');
    const lines = result.issues.map((issue) => `${issue.origin.line}: ${issue.message}`);
    assert.deepEqual(lines, [
      '5: LSTM: units = units[0] is not a literal the importer reads (a subscript `[...]`); the layer was left out.',
      '7: The layer *[keras.layers.Dense(n) for n in units] could not be read (`*` is outside the literal subset); it was left out.',
      '8: Dense: activation = f"{act}" is not a literal the importer reads (an f-string); it was left out.',
    ]);
    const parsed = parse(result.specText) as { model: Record<string, unknown>[] };
    assert.deepEqual(parsed.model, [
      { type: 'embedding', input_dim: 1000, output_dim: 8 },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 1 },
    ]);
  });

  it('never runs the file: code with side effects is only read', () => {
    const source = "import os\nos.remove('/definitely/not/here')\nraise SystemExit(3)\nmodel = Sequential([Dense(1, input_shape=(4, 2))])\n";
    const result = importKerasModel(source, 'danger.py');
    assert.equal(result.summary?.layers.length, 1);
  });

  it('says when there is no Sequential model, and when the model is functional', () => {
    assert.throws(() => importKerasModel('x = 1\n', 'empty.py'), (error: unknown) => error instanceof KerasImportError && /No `Sequential\(\.\.\.\)` model/.test(error.message));
    assert.throws(
      () => importKerasModel('inputs = keras.Input((3,))\noutputs = layers.Dense(1)(inputs)\nmodel = keras.Model(inputs, outputs)\n', 'functional.py'),
      (error: unknown) => error instanceof KerasImportError && /functional model/.test(error.message) && error.origin.line === 3,
    );
  });
});

describe('import reports what it cannot carry over, with the JSON path and line', () => {
  const keras2 = (layers: unknown[]) => JSON.stringify({ class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: '2.15.0', backend: 'tensorflow' }, null, 2);
  const layer = (className: string, config: Record<string, unknown>) => ({ class_name: className, config });

  it('leaves out an unsupported layer and keeps the others', () => {
    const text = keras2([
      layer('Embedding', { name: 'embedding', input_dim: 100, output_dim: 8, batch_input_shape: [null, 20] }),
      layer('Conv1D', { name: 'conv1d', filters: 4, kernel_size: [3] }),
      layer('LSTM', { name: 'lstm', units: 4 }),
      layer('Dense', { name: 'dense', units: 1, activation: 'sigmoid' }),
    ]);
    const result = importKerasModel(text, 'conv.json');
    const [issue] = errors(result);
    assert.equal(issue!.origin.where, 'config.layers[1]');
    assert.equal(issue!.origin.line, text.split('\n').findIndex((line) => line.includes('"Conv1D"')));
    assert.match(issue!.message, /Conv1D "conv1d": Sequence Lab has no Conv1D layer/);
    assert.deepEqual(result.summary!.layers.map((summary) => summary.name), ['embedding', 'lstm', 'dense']);
    assert.match(result.specText, /# - Conv1D "conv1d": left out, no Sequence Lab equivalent/);
  });

  it('reports settings that change the model (error) and training-only ones (warning) at their keys', () => {
    const text = keras2([
      layer('Embedding', { name: 'embedding', input_dim: 100, output_dim: 8, embeddings_regularizer: { class_name: 'L2', config: { l2: 0.01 } } }),
      layer('Bidirectional', { name: 'bidirectional', merge_mode: null, layer: layer('GRU', { name: 'gru', units: 4, reset_after: false, use_bias: false, stateful: true }) }),
      layer('Dense', { name: 'dense', units: 3, activation: 'gelu', kernel_initializer: { class_name: 'HeNormal', config: { seed: null } } }),
    ]);
    const result = importKerasModel(text, 'odd.json');
    const found = result.issues.map((issue) => `${issue.severity} ${issue.origin.where}`);
    for (const expected of [
      'warning config.layers[0].config.embeddings_regularizer',
      'error config.layers[1].config.merge_mode',
      'error config.layers[1].config.layer.config.use_bias',
      'error config.layers[1].config.layer.config.stateful',
      'error config.layers[2].config.activation',
      'warning config.layers[2].config.kernel_initializer',
    ]) {
      assert.ok(found.includes(expected), `${expected} in\n${found.join('\n')}`);
    }
    for (const issue of result.issues) {
      const key = issue.origin.where.split('.').pop()!;
      assert.ok(text.split('\n')[issue.origin.line - 1]!.includes(`"${key}"`), `${issue.origin.where} at line ${issue.origin.line}`);
    }
    const parsed = parse(result.specText) as { model: Record<string, unknown>[] };
    assert.deepEqual(parsed.model[1], { type: 'bidirectional', layer: { type: 'gru', units: 4 } });
    assert.deepEqual(parsed.model[2], { type: 'dense', units: 3 });
    assert.equal(parsed.model.length, 3);
  });

  it('says where a file is not JSON, or not a model', () => {
    assert.throws(
      () => importKerasModel('{"class_name": "Sequential",\n "config": {"layers": [}\n}', 'broken.json'),
      (error: unknown) => error instanceof KerasImportError && error.origin.line === 2 && /not valid JSON/.test(error.message),
    );
    assert.throws(() => importKerasModel('{"class_name": "Dense", "config": {}}', 'layer.json'), (error: unknown) => error instanceof KerasImportError && /not a model/.test(error.message));
  });
});

describe('import from Python follows names as Python binds them, and never imports a value Python would not have', () => {
  const modelOf = (source: string) => (parse(importKerasModel(source, 'model.py').specText) as { model: Record<string, unknown>[] }).model;
  const issuesOf = (source: string) => importKerasModel(source, 'model.py').issues.map((issue) => `${issue.origin.line}:${issue.origin.column}: ${issue.message}`);

  it('reassignment, augmented assignment and tuple assignment give the latest value', () => {
    const head = 'from tensorflow.keras import layers, Sequential\n';
    const model = 'model = Sequential([layers.Embedding(100, dim), layers.LSTM(units), layers.Dense(1, activation="sigmoid")])\n';
    for (const [bindings, units, dim] of [
      ['units = 32\nunits = 64\nunits += 16\ndim = 8\n', 80, 8],
      ['units = 32\nunits = units * 2\nunits, dim = 8, 4\n', 8, 4],
      ['(units, dim) = (12, 6); units -= 2\n', 10, 6],
      ['units = dim = 5\n', 5, 5],
      ['units: int = 7\ndim = 3\n', 7, 3],
    ] as const) {
      assert.deepEqual(modelOf(head + bindings + model).slice(0, 2), [{ type: 'embedding', input_dim: 100, output_dim: dim }, { type: 'lstm', units }], bindings);
    }
  });

  it('a name rebound to something it cannot read is unknown from there on, never its older value', () => {
    const source = 'units = 32\nunits = compute_units()\nmodel = Sequential([Embedding(100, 8), LSTM(units), Dense(1)])\n';
    assert.deepEqual(modelOf(source).map((layer) => layer.type), ['embedding', 'dense']);
    assert.match(issuesOf(source).join('\n'), /^3:\d+: LSTM: units = units is not a literal .*`units` is assigned at line 2:1 something other than a literal/m);
  });

  it('`model.add` inside a for loop or an if block is reported at its line and left out', () => {
    const loop = 'model = Sequential()\nmodel.add(Embedding(1000, 16))\nfor i in range(2):\n    model.add(LSTM(8, return_sequences=True))\nmodel.add(LSTM(8))\nmodel.add(Dense(1))\n';
    assert.deepEqual(modelOf(loop).map((layer) => layer.type), ['embedding', 'lstm', 'dense']);
    assert.deepEqual(issuesOf(loop).filter((line) => line.includes('inside')), [
      '4:5: This `add` is inside the `for` at line 3:1, which the importer does not follow (it never runs the file), so its layer was left out: write the layers out in order, or import `model.to_json()`.',
    ]);
    const condition = 'use_dropout = False\nmodel = Sequential()\nmodel.add(LSTM(8, input_shape=(5, 1)))\nif use_dropout:\n    model.add(Dropout(0.5))\nelse:\n    pass\nmodel.add(Dense(1))\n';
    assert.deepEqual(modelOf(condition).map((layer) => layer.type), ['lstm', 'dense']);
    assert.match(issuesOf(condition).join('\n'), /^5:5: This `add` is inside the `if` at line 4:1/m);
  });

  it('a name assigned inside a block, or a loop variable, is unknown after it', () => {
    const source = 'units = 8\nif big:\n    units = 64\nfor width in (4, 8):\n    pass\nmodel = Sequential([LSTM(units, input_shape=(5, 1)), Dense(width), Dropout(0.1)])\n';
    const issues = issuesOf(source).join('\n');
    assert.match(issues, /`units` is assigned inside the `if` at line 2:1, which the importer does not follow/);
    assert.match(issues, /`width` is the loop variable of the `for` at line 4:1/);
  });

  it('reads a layer list assigned to a name (and appended to), as `Sequential(stack)`', () => {
    const source = 'from tensorflow import keras\nstack = [\n    keras.layers.Embedding(1000, 16),\n    keras.layers.LSTM(8),\n]\nstack.append(keras.layers.Dense(1, activation="sigmoid"))\nmodel = keras.Sequential(stack)\n';
    assert.deepEqual(modelOf(source), [
      { type: 'embedding', input_dim: 1000, output_dim: 16 },
      { type: 'lstm', units: 8 },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ]);
  });

  it('refuses a model none of whose layers could be imported, saying why each was left out', () => {
    assert.throws(
      () => importKerasModel('model = Sequential([Conv1D(4, 3), LSTM(n)])\n', 'model.py'),
      (error: unknown) => error instanceof KerasImportError && /^No layer of this model could be imported, so no spec was written\. Line 1:21: Conv1D: .* Line 1:40: LSTM: units = n/.test(error.message),
    );
  });

  it('reports a syntax error at its line instead of importing a model without the broken layer', () => {
    for (const [source, line, column, message] of [
      ['model = Sequential([\n    Embedding(1000, 8\n    LSTM(4),\n])\n', 4, 1, /closing `\]` does not match the `\(` opened at line 2:14/],
      ['model = Sequential([\n    Embedding(1000, 8),\n    LSTM(4 return_sequences=True),\n    Dense(1),\n])\n', 3, 12, /perhaps a comma is missing/],
      ['model = Sequential([Embedding(1000, 8), LSTM(4)\n', 1, 20, /`\[` is never closed/],
      ['model = Sequential([Dense(1)]))\n', 1, 31, /unmatched `\)`/],
      ['x = f(a) b\nmodel = Sequential([Dense(1)])\n', 1, 10, /perhaps a comma is missing/],
    ] as const) {
      assert.throws(
        () => importKerasModel(source, 'broken.py'),
        (error: unknown) => error instanceof KerasImportError && error.origin.line === line && error.origin.column === column && /^Python syntax error: /.test(error.message) && message.test(error.message),
        source,
      );
    }
    // Adjacent strings, keywords between operands, and soft keywords are Python.
    assert.equal(importKerasModel('doc = "a" "b"\nx = 1 if y else 2\nmatch = 3\nmodel = Sequential([Dense(1, input_shape=(4, 1))])\n', 'ok.py').summary?.layers.length, 1);
  });

  it("does not state Keras' parameter counts after a left-out layer, whose output shape it does not know", () => {
    const result = importKerasModel('model = Sequential([Embedding(1000, 16, input_length=20), Conv1D(32, 5), Dropout(0.1), GRU(8), Dense(1)])\n', 'model.py');
    assert.deepEqual(
      result.summary!.layers.map((layer) => [layer.name, layer.kerasParams, layer.unknownAfter?.label]),
      [['embedding', 16_000, undefined], ['dropout', 0, undefined], ['gru', undefined, 'Conv1D'], ['dense', undefined, 'Conv1D']],
    );
    assert.equal(result.summary!.kerasTotalParams, undefined);
  });
});

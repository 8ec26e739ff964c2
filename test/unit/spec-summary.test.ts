/**
 * Shapes and parameter counts: the Keras formulas, the seed IMDB model's published numbers, and
 * the count TensorFlow.js itself reports for the same stack (what the worker will build).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { checkSpec } from '../../src/language/check';
import { formatSummaryTable } from '../../src/language/summary';
import type { LayerSpec, ModelSummary } from '../../src/language/types';

tf.env().set('PROD', true);

function summaryOf(yaml: string): ModelSummary {
  const result = checkSpec(yaml);
  assert.deepEqual(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  assert.ok(result.summary);
  return result.summary;
}

/** A values-input spec (`builtin:adding`: 2 features per step, `length` steps) around `layers`. */
function addingSpec(layers: string, length = 50): string {
  return `data:\n  source: builtin:adding\n  generator: {length: ${length}}\nmodel:\n${layers}  - type: dense\n    units: 1\n`;
}

const SEED_IMDB = `
data:
  source: imdb
  max_len: 200
model:
  - type: embedding
    output_dim: 128
  - type: lstm
    units: 64
    dropout: 0.2
    recurrent_dropout: 0.2
  - type: dense
    units: 1
    activation: sigmoid
`;

describe('model summary', () => {
  it('matches Keras model.summary() for the seed IMDB model', () => {
    const summary = summaryOf(SEED_IMDB);
    assert.deepEqual(
      summary.layers.map(({ name, outputShape, params }) => [name, outputShape, params]),
      [
        ['embedding', [null, 200, 128], 1_280_000],
        ['lstm', [null, 64], 49_408],
        ['dense', [null, 1], 65],
      ],
    );
    assert.equal(summary.totalParams, 1_329_473);
    assert.deepEqual(summary.inputShape, [null, 200]);
  });

  it('counts SimpleRNN, LSTM and GRU stacks with the Keras formulas', () => {
    const perGate = (units: number, input: number) => units * (input + units) + units;
    const summary = summaryOf(
      addingSpec(
        '  - type: simple_rnn\n    units: 8\n    return_sequences: true\n' +
          '  - type: lstm\n    units: 6\n    return_sequences: true\n' +
          '  - type: gru\n    units: 5\n',
      ),
    );
    assert.deepEqual(
      summary.layers.map((layer) => layer.params),
      [perGate(8, 2), 4 * perGate(6, 8), 3 * perGate(5, 6), 5 * 1 + 1],
    );
    assert.deepEqual(
      summary.layers.map((layer) => layer.outputShape),
      [[null, 50, 8], [null, 50, 6], [null, 5], [null, 1]],
    );
  });

  it('doubles a Bidirectional layer, and its width only with merge_mode concat', () => {
    const lstm = (units: number, input: number) => 4 * (units * (input + units) + units);
    const summary = summaryOf(
      addingSpec(
        '  - type: bidirectional\n    layer: {type: lstm, units: 7, return_sequences: true}\n' +
          '  - type: bidirectional\n    merge_mode: sum\n    layer: {type: lstm, units: 3}\n',
      ),
    );
    assert.deepEqual(summary.layers[0]!.outputShape, [null, 50, 14]);
    assert.equal(summary.layers[0]!.params, 2 * lstm(7, 2));
    assert.deepEqual(summary.layers[1]!.outputShape, [null, 3]);
    assert.equal(summary.layers[1]!.params, 2 * lstm(3, 14));
  });

  it('gives Keras layer names with per-type counters', () => {
    const summary = summaryOf(
      addingSpec('  - type: lstm\n    units: 4\n    return_sequences: true\n  - type: lstm\n    units: 4\n  - type: dropout\n    rate: 0.1\n  - type: dense\n    units: 3\n'),
    );
    assert.deepEqual(
      summary.layers.map((layer) => layer.name),
      ['lstm', 'lstm_1', 'dropout', 'dense', 'dense_1'],
    );
  });

  it('leaves timesteps unknown (None) without max_len and uses the fixed vocabulary of built-in text', () => {
    const summary = summaryOf('data:\n  source: builtin:grammar\nmodel:\n  - type: embedding\n    output_dim: 4\n  - type: gru\n    units: 3\n    return_sequences: true\n  - type: time_distributed\n    layer: {type: dense, units: 25, activation: softmax}\n');
    assert.deepEqual(summary.inputShape, [null, null]);
    assert.deepEqual(summary.layers[2]!.outputShape, [null, null, 25]);
    assert.equal(summary.layers[0]!.params, 25 * 4);
  });

  it('attaches each layer to its list item in the spec', () => {
    const summary = summaryOf(SEED_IMDB);
    assert.deepEqual(
      summary.layers.map((layer) => layer.range?.start.line),
      [5, 7, 11],
    );
    assert.deepEqual(summary.layers[1]!.range?.start, { line: 7, character: 4 });
  });

  it('prints a Keras-like table', () => {
    const table = formatSummaryTable(summaryOf(SEED_IMDB));
    assert.match(table, /Layer \(type\)\s+Output Shape\s+Param #/);
    assert.match(table, /embedding \(Embedding\)\s+\(None, 200, 128\)\s+1,280,000/);
    assert.match(table, /lstm \(LSTM\)\s+\(None, 64\)\s+49,408/);
    assert.match(table, /dense \(Dense\)\s+\(None, 1\)\s+65/);
    assert.match(table, /Total params: 1,329,473/);
  });
});

/** The same stack built with tf.layers, to compare counts with what TensorFlow.js reports. */
function tfjsModel(layers: readonly LayerSpec[], inputShape: (number | null)[]): tf.Sequential {
  const model = tf.sequential();
  const first = { inputShape: inputShape.slice(1) as number[] };
  layers.forEach((layer, index) => {
    const shape = index === 0 ? first : {};
    switch (layer.type) {
      case 'embedding':
        model.add(tf.layers.embedding({ inputDim: layer.input_dim!, outputDim: layer.output_dim, ...(index === 0 ? { inputLength: inputShape[1] ?? undefined } : {}) }));
        break;
      case 'simple_rnn':
        model.add(tf.layers.simpleRNN({ units: layer.units, returnSequences: layer.return_sequences, ...shape }));
        break;
      case 'lstm':
        model.add(tf.layers.lstm({ units: layer.units, returnSequences: layer.return_sequences, ...shape }));
        break;
      case 'gru':
        model.add(tf.layers.gru({ units: layer.units, returnSequences: layer.return_sequences, ...shape }));
        break;
      case 'bidirectional': {
        const inner = { units: layer.layer.units, returnSequences: layer.layer.return_sequences };
        const rnn = layer.layer.type === 'lstm' ? tf.layers.lstm(inner) : layer.layer.type === 'gru' ? tf.layers.gru(inner) : tf.layers.simpleRNN(inner);
        model.add(tf.layers.bidirectional({ layer: rnn as unknown as tf.RNN, mergeMode: layer.merge_mode, ...shape }));
        break;
      }
      case 'dense':
        model.add(tf.layers.dense({ units: layer.units, ...shape }));
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ rate: layer.rate, ...shape }));
        break;
      case 'time_distributed':
        model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: layer.layer.units }), ...shape }));
        break;
    }
  });
  return model;
}

describe('parameter counts agree with TensorFlow.js', () => {
  const cases: Record<string, string> = {
    'seed IMDB model': SEED_IMDB,
    'SimpleRNN/LSTM/GRU stack': addingSpec('  - type: simple_rnn\n    units: 8\n    return_sequences: true\n  - type: lstm\n    units: 6\n    return_sequences: true\n  - type: gru\n    units: 5\n', 12),
    'Bidirectional concat and sum': addingSpec('  - type: bidirectional\n    layer: {type: gru, units: 7, return_sequences: true}\n  - type: bidirectional\n    merge_mode: sum\n    layer: {type: simple_rnn, units: 3}\n', 12),
    'next-token with TimeDistributed': 'data:\n  source: builtin:grammar\n  max_len: 30\nmodel:\n  - type: embedding\n    output_dim: 8\n  - type: lstm\n    units: 16\n    return_sequences: true\n  - type: dropout\n    rate: 0.2\n  - type: time_distributed\n    layer: {type: dense, units: 25, activation: softmax}\n',
  };
  for (const [name, yaml] of Object.entries(cases)) {
    it(name, () => {
      const result = checkSpec(yaml);
      assert.ok(result.spec && result.summary);
      const model = tfjsModel(result.spec.model, result.summary.inputShape);
      try {
        assert.deepEqual(
          result.summary.layers.map((layer) => layer.params),
          model.layers.map((layer) => layer.countParams()),
        );
        assert.deepEqual(
          result.summary.layers.map((layer) => layer.outputShape),
          model.layers.map((layer) => layer.outputShape),
        );
        assert.equal(result.summary.totalParams, model.countParams());
      } finally {
        model.dispose();
      }
    });
  }
});

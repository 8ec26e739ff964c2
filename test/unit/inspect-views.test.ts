/**
 * The per-epoch views' computations: gradient flow against finite differences, PCA against a known
 * spread, quantisation round trips, the snapshot schedule, and predictions in the task's words.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { gradientFlow } from '../../src/inspect/gradientFlow';
import { snapshotEpochs } from '../../src/inspect/inspector';
import { recurrentSites, walk } from '../../src/inspect/network';
import { pca2 } from '../../src/inspect/pca';
import { formatDataValue, formatProbability, summarizePrediction } from '../../src/inspect/predictionSummary';
import { quantize } from '../../src/inspect/quantize';
import { createEncoder, PREPROCESSING_FORMAT, PREPROCESSING_VERSION, type PreprocessingState } from '../../src/data/preprocessing';
import { initBackend } from '../../src/model/backend';
import { buildModel } from '../../src/model/build';
import { probabilityLoss } from '../../src/model/objective';
import { recurrent, spec, tokenData } from './model-fixtures';

describe('gradient flow', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  for (const kind of ['simple_rnn', 'lstm', 'gru'] as const) {
    it(`${kind}: ‖∂L/∂h_t‖ agrees with finite differences of the loss`, () => {
      const data = tokenData({ count: 16, timesteps: 6, vocab: 20 });
      tf.tidy(() => {
        const model = buildModel(spec([{ type: 'embedding', output_dim: 4, mask_zero: false }, recurrent(kind, 3), { type: 'dense', units: 1, activation: 'sigmoid' }]), data);
        const sites = recurrentSites(model);
        const x = tf.tensor(data.train.x.slice(0, 4 * 6), [4, 6], 'int32');
        const y = tf.tensor(data.train.y.slice(0, 4), [4, 1]);
        const loss = probabilityLoss('binary_crossentropy');
        const flow = gradientFlow(model, sites, x, y, loss);
        assert.equal(flow.layers[0].norms.length, 6);
        // Central differences on every element of eps_t for two timesteps, float32-sized steps.
        const lossAt = (eps: tf.Tensor) => tf.mean(loss(y, walk(model, sites, x, { recompute: new Set([0]), eps: new Map([[0, [eps]]]) }))).dataSync()[0];
        for (const t of [0, 5]) {
          let squares = 0;
          for (let b = 0; b < 4; b++) {
            for (let u = 0; u < 3; u++) {
              const delta = 1e-2;
              const bump = (sign: number) => tf.tidy(() => tf.tensor(Float32Array.from({ length: 6 * 4 * 3 }, (_, i) => (i === (t * 4 + b) * 3 + u ? sign * delta : 0)), [6, 4, 3]));
              const g = (lossAt(bump(1)) - lossAt(bump(-1))) / (2 * delta);
              squares += g * g;
            }
          }
          const expected = Math.sqrt(squares);
          const got = flow.layers[0].norms[t];
          assert.ok(Math.abs(got - expected) <= 0.02 * expected + 1e-5, `t=${t}: ${got} vs finite differences ${expected}`);
        }
        model.optimizer.dispose();
      });
    });
  }

  it('the last step of a last-state layer gets the gradient of the layer output, each direction of a bidirectional layer its own', () => {
    const data = tokenData({ count: 16, timesteps: 5, vocab: 20 });
    tf.tidy(() => {
      const model = buildModel(spec([{ type: 'embedding', output_dim: 4, mask_zero: false }, { type: 'bidirectional', layer: recurrent('gru', 3), merge_mode: 'concat' }, { type: 'dense', units: 1, activation: 'sigmoid' }]), data);
      const sites = recurrentSites(model);
      const x = tf.tensor(data.train.x.slice(0, 3 * 5), [3, 5], 'int32');
      const y = tf.tensor(data.train.y.slice(0, 3), [3, 1]);
      const loss = probabilityLoss('binary_crossentropy');
      const flow = gradientFlow(model, sites, x, y, loss);
      assert.deepEqual(flow.layers.map((l) => l.direction), ['forward', 'backward']);
      const output = walk(model, sites, x, { stopAfterSite: 0 });
      const dense = model.layers[model.layers.length - 1];
      const dOutput = tf.grad((h: tf.Tensor) => tf.mean(loss(y, dense.apply(h) as tf.Tensor)) as tf.Scalar)(output);
      const [forward, backward] = tf.split(dOutput, 2, 1).map((g) => tf.norm(g).dataSync()[0]);
      // The forward direction ends at the last input step, the backward one at the first.
      assert.ok(Math.abs(flow.layers[0].norms[4] - forward) < 1e-5 * Math.max(1, forward), `${flow.layers[0].norms[4]} vs ${forward}`);
      assert.ok(Math.abs(flow.layers[1].norms[0] - backward) < 1e-5 * Math.max(1, backward), `${flow.layers[1].norms[0]} vs ${backward}`);
      model.optimizer.dispose();
    });
  });
});

describe('PCA to two dimensions', () => {
  it('finds the axes of a known spread, their variance shares, and keeps the previous orientation', () => {
    // Points on a line along (3, 4)/5 with a smaller spread along (-4, 3)/5, in 2-D padded to 3-D.
    const n = 50;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = (i - 24.5) / 5;
      const b = ((i * 7) % 11) / 11 - 0.5;
      rows.push(0.6 * a - 0.8 * b, 0.8 * a + 0.6 * b, 1);
    }
    const first = pca2(rows, n, 3);
    const varianceA = rows.length && Array.from({ length: n }, (_, i) => ((i - 24.5) / 5) ** 2).reduce((s, v) => s + v, 0);
    const spreadB = Array.from({ length: n }, (_, i) => ((i * 7) % 11) / 11 - 0.5);
    const meanB = spreadB.reduce((s, v) => s + v, 0) / n;
    const varianceB = spreadB.reduce((s, v) => s + (v - meanB) ** 2, 0);
    assert.ok(Math.abs(first.explained[0] - varianceA / (varianceA + varianceB)) < 1e-3, `${first.explained}`);
    // The first coordinate is the position along the line, up to sign.
    const along = Array.from({ length: n }, (_, i) => first.points[2 * i]);
    assert.ok(Math.abs(Math.abs(along[0] - along[n - 1]) - 49 / 5) < 0.05, `${along[0]} .. ${along[n - 1]}`);
    const flipped = pca2(rows, n, 3, first.points.map((v) => -v));
    flipped.points.forEach((v, i) => assert.ok(Math.abs(v + first.points[i]) < 1e-6));
  });
});

describe('quantised matrices', () => {
  it('round trip within half a step of their range, fixed bounds kept', () => {
    const values = [
      [0, 0.25, 1],
      [0.5, 0.75, 0.1],
    ];
    const matrix = quantize(2, 3, (r, c) => values[r][c], [0, 1]);
    assert.deepEqual([matrix.rows, matrix.cols, matrix.min, matrix.max], [2, 3, 0, 1]);
    const bytes = Buffer.from(matrix.data, 'base64');
    values.flat().forEach((value, i) => assert.ok(Math.abs(bytes[i] / 255 - value) <= 0.5 / 255));
    const observed = quantize(1, 2, (_, c) => [-3, 5][c]);
    assert.deepEqual([observed.min, observed.max, ...Buffer.from(observed.data, 'base64')], [-3, 5, 0, 255]);
  });
});

describe('heatmap snapshots', () => {
  it('keeps every epoch when they fit, else evenly spaced ones with the first and the last', () => {
    assert.deepEqual([...snapshotEpochs(3, 21)], [-1, 0, 1, 2]);
    const thinned = [...snapshotEpochs(100, 5)];
    assert.deepEqual(thinned, [-1, 24, 49, 74, 99]);
  });
});

describe('predictions in the words of the task', () => {
  const state = (extra: Partial<PreprocessingState>): PreprocessingState => ({
    format: PREPROCESSING_FORMAT,
    version: PREPROCESSING_VERSION,
    task: 'binary',
    inputKind: 'values',
    timesteps: 3,
    features: 1,
    ...extra,
  });
  const say = (extra: Partial<PreprocessingState>, output: number[]) => summarizePrediction(createEncoder(state(extra)).readPrediction(output));

  it('binary: the likelier class name with its probability; bare 0/1 labels read "label"', () => {
    assert.equal(say({ classes: { names: ['ham', 'spam'] } }, [0.8231]).text, 'spam · 82.3%');
    assert.equal(say({}, [0.1]).text, 'label 0 · 90.0%');
  });
  it('next-token: the token after the last real step, quoted, with the top alternatives', () => {
    const vocabulary = ['', '<OOV>', 'e', ' ', '\n'];
    const encoder = createEncoder(
      state({
        task: 'next-token',
        inputKind: 'tokens',
        tokenizer: { kind: 'keras', level: 'char', lowercase: false, strip_html: false, filters: '', oov_token: '<OOV>', oov_id: 1, num_words: null, vocabulary },
        padding: { max_len: 3, padding: 'post', truncating: 'pre' },
      }),
    );
    // Two real steps then padding: the distribution read is the second step's.
    const output = [0.2, 0.2, 0.2, 0.2, 0.2, 0.05, 0.1, 0.5012, 0.3, 0.0004, 0.9, 0.1, 0, 0, 0];
    const summary = summarizePrediction(encoder.readPrediction(output, { x: new Int32Array([2, 3, 0]), shape: [1, 3], tokens: ['e', ' ', ''] }));
    assert.equal(summary.text, '“e” · 50.1%');
    assert.deepEqual(summary.alternatives?.map((a) => a.text), ['“e” · 50.1%', '“␣” · 30.0%', '“<OOV>” · 10.0%', '(padding) · 5.0%', '“↵” · <0.1%']);
  });
  it('multiclass: class names; regression and forecast: values in the data units', () => {
    assert.equal(say({ task: 'multiclass', classes: { names: ['a', 'b', 'c'] } }, [0.2, 0.7, 0.1]).text, 'b · 70.0%');
    assert.equal(say({ task: 'forecast', normalization: { target: { method: 'zscore', offset: 280, scale: 120 } } }, [0.5]).text, '340');
    assert.equal(say({ task: 'regression' }, [0.000517]).text, '5.17e-4');
  });
  it('one number format', () => {
    assert.deepEqual([0.999999, 0.5, 0.00001, 0].map(formatProbability), ['>99.9%', '50.0%', '<0.1%', '0.0%']);
    assert.deepEqual([412.53, 123456.7, -0.0001234, 1].map(formatDataValue), ['412.5', '123,457', '-1.23e-4', '1']);
  });
});

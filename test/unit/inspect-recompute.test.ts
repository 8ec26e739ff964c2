/**
 * The step-by-step recomputation (src/inspect/cells.ts) against the layers' own outputs: every
 * hidden state of every timestep to 1e-5, for each cell type, bidirectional and stacked layers,
 * with masks and go_backwards, on weights that are not the initial ones (biases included).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, RecurrentLayerSpec } from '../../src/language/types';
import { CELL_GATES } from '../../src/inspect/cells';
import { recurrentSites, walk, type SiteRecording } from '../../src/inspect/network';
import { initBackend } from '../../src/model/backend';
import { buildModel } from '../../src/model/build';
import { recurrent, spec, tokenData, valueData } from './model-fixtures';

const TOLERANCE = 1e-5;

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

/** Replaces every weight of the model by seeded uniform values, so biases and gates are not at their initial values. */
function scrambleWeights(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, l) => {
    const weights = layer.getWeights();
    if (weights.length === 0) return;
    layer.setWeights(weights.map((w, i) => tf.randomUniform(w.shape, -0.6, 0.6, 'float32', seed * 1000 + l * 10 + i)));
  });
}

/** Each recurrent layer's own output next to its recomputation, for the same input and mask. */
function compareSites(model: tf.LayersModel, input: tf.Tensor): { name: string; diff: number; shape: number[] }[] {
  const sites = recurrentSites(model);
  return sites.map((site, position) => {
    const own = walk(model, sites, input, { stopAfterSite: position });
    const recomputed = walk(model, sites, input, { stopAfterSite: position, recompute: new Set([position]) });
    assert.deepEqual(recomputed.shape, own.shape, `${site.name}: output shape`);
    return { name: site.name, diff: maxAbsDiff(own, recomputed), shape: own.shape };
  });
}

type Case = { title: string; layers: LayerSpec[]; values?: boolean };

const seqs = (layer: RecurrentLayerSpec): RecurrentLayerSpec => ({ ...layer, return_sequences: true });
const embedding = (maskZero: boolean): LayerSpec => ({ type: 'embedding', output_dim: 6, mask_zero: maskZero });
const dense: LayerSpec = { type: 'dense', units: 1, activation: 'sigmoid' };

const CASES: Case[] = [
  { title: 'LSTM, every timestep', layers: [embedding(false), seqs(recurrent('lstm', 5)), { type: 'time_distributed', layer: { type: 'dense', units: 3, activation: 'softmax' } }] },
  { title: 'LSTM, last state', layers: [embedding(false), recurrent('lstm', 5), dense] },
  { title: 'GRU (reset_after false), every timestep', layers: [embedding(false), seqs(recurrent('gru', 5)), { type: 'time_distributed', layer: { type: 'dense', units: 3, activation: 'softmax' } }] },
  { title: 'GRU, last state', layers: [embedding(false), recurrent('gru', 5), dense] },
  { title: 'SimpleRNN, every timestep', layers: [embedding(false), seqs(recurrent('simple_rnn', 5)), { type: 'time_distributed', layer: { type: 'dense', units: 3, activation: 'softmax' } }] },
  { title: 'SimpleRNN with relu, last state', layers: [embedding(false), recurrent('simple_rnn', 5, { activation: 'relu' }), dense] },
  { title: 'LSTM with hard_sigmoid gates, go_backwards', layers: [embedding(false), seqs(recurrent('lstm', 4, { recurrent_activation: 'hard_sigmoid', go_backwards: true })), { type: 'time_distributed', layer: { type: 'dense', units: 2, activation: 'softmax' } }] },
  { title: 'masked (mask_zero) LSTM and GRU, stacked', layers: [embedding(true), seqs(recurrent('lstm', 4)), recurrent('gru', 3), dense] },
  { title: 'bidirectional LSTM, concat, every timestep', layers: [embedding(false), { type: 'bidirectional', layer: seqs(recurrent('lstm', 4)), merge_mode: 'concat' }, { type: 'time_distributed', layer: { type: 'dense', units: 2, activation: 'softmax' } }] },
  { title: 'bidirectional GRU, sum, last state, masked', layers: [embedding(true), { type: 'bidirectional', layer: recurrent('gru', 4), merge_mode: 'sum' }, dense] },
  { title: 'stacked SimpleRNN -> LSTM -> GRU on values', layers: [seqs(recurrent('simple_rnn', 4)), seqs(recurrent('lstm', 5)), recurrent('gru', 3), dense], values: true },
];

describe('recomputation from getWeights() reproduces the layers', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  for (const [c, testCase] of CASES.entries()) {
    it(`${testCase.title}: every state within ${TOLERANCE}`, () => {
      const data = testCase.values ? valueData({ count: 8, timesteps: 9, features: 2 }) : tokenData({ count: 8, timesteps: 9, vocab: 30 });
      tf.tidy(() => {
        const model = buildModel(spec(testCase.layers), data);
        scrambleWeights(model, c + 1);
        const rows = data.validation.x.slice(0, 4 * data.validation.xShape.slice(1).reduce((a, b) => a * b, 1));
        const ids = testCase.values ? undefined : (rows as Int32Array);
        // Padding in the middle and at the start: masked steps must carry the state over.
        if (ids) [0, 1, 9 + 4, 18 + 8].forEach((i) => (ids[i] = 0));
        const input = testCase.values
          ? tf.tensor(rows, [4, ...data.validation.xShape.slice(1)], 'float32')
          : tf.tensor(rows, [4, data.timesteps], 'int32');
        for (const { name, diff } of compareSites(model, input)) assert.ok(diff < TOLERANCE, `${name}: max |difference| ${diff}`);
        // Every layer recomputed at once: the model's own prediction, through the layers that follow.
        const sites = recurrentSites(model);
        const everySite = new Set(sites.map((_, i) => i));
        const diff = maxAbsDiff(model.predict(input) as tf.Tensor, walk(model, sites, input, { recompute: everySite }));
        assert.ok(diff < TOLERANCE, `model output: max |difference| ${diff}`);
        model.optimizer.dispose();
      });
    });
  }

  it('records every gate of every step, in the ranges of their activations', () => {
    const data = tokenData({ count: 8, timesteps: 7, vocab: 30 });
    tf.tidy(() => {
      const model = buildModel(spec([embedding(false), seqs(recurrent('lstm', 4)), recurrent('gru', 3), dense]), data);
      scrambleWeights(model, 42);
      const sites = recurrentSites(model);
      const recordings: SiteRecording[] = [];
      walk(model, sites, tf.tensor(data.validation.x.slice(0, 14), [2, 7], 'int32'), {
        recompute: new Set([0, 1]),
        recordGates: true,
        onSite: (recording) => recordings.push(recording),
      });
      assert.deepEqual(recordings.map((r) => r.site.kind), ['lstm', 'gru']);
      for (const recording of recordings) {
        const gates = recording.directions[0].gates;
        assert.deepEqual(Object.keys(gates).sort(), [...CELL_GATES[recording.site.kind]].sort());
        for (const [name, values] of Object.entries(gates)) {
          assert.deepEqual(values.shape, [2, 7, recording.site.directions[0].cell.units], name);
          const [min, max] = [tf.min(values).dataSync()[0], tf.max(values).dataSync()[0]];
          const bounded = name === 'cell' || name === 'candidate' ? [-1, 1] : [0, 1];
          assert.ok(min >= bounded[0] && max <= bounded[1] && max > min, `${name} in [${min}, ${max}]`);
        }
      }
      model.optimizer.dispose();
    });
  });
});

/**
 * A sequence probed by hand: the prediction is the model's own `predict` read through the run's
 * preprocessing; hidden states, gates and an attribution whose scores add up to the change from
 * the baseline (integrated gradients' completeness), for token and numeric input.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createEncoder } from '../../src/data/preprocessing';
import { inspectInput } from '../../src/inspect/inspectInput';
import { initBackend } from '../../src/model/backend';
import { buildModel } from '../../src/model/build';
import { recurrent, spec, tokenData, valueData } from './model-fixtures';

/** Seeded weights away from their initial values, so the model has opinions. */
function scramble(model: tf.LayersModel): void {
  model.layers.forEach((layer, l) => {
    const weights = layer.getWeights();
    if (weights.length > 0) layer.setWeights(weights.map((w, i) => tf.randomUniform(w.shape, -0.8, 0.8, 'float32', 100 + l * 10 + i)));
  });
}

describe('probe it yourself', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('token input: prediction, states, gates and an attribution that adds up', () => {
    const data = tokenData({ count: 16, timesteps: 10, vocab: 20 });
    const model = buildModel(spec([{ type: 'embedding', output_dim: 6, mask_zero: true }, recurrent('lstm', 5), { type: 'dense', units: 1, activation: 'sigmoid' }]), data);
    scramble(model);
    const encoder = createEncoder(data.preprocessing);
    const { event } = inspectInput(model, encoder, 'w1 good w2 w3', { id: 'q1', maxUnits: 4, weights: { kind: 'final' } });
    const expected = (model.predict(tf.tensor(encoder.encodeText('w1 good w2 w3').x, [1, 10], 'int32')) as tf.Tensor).dataSync()[0];
    assert.equal(event.probe.prediction?.[0], expected);
    assert.match(event.probe.summary?.text ?? '', /^label [01] · \d+\.\d%$/);
    assert.deepEqual(event.probe.tokens.slice(6), ['w1', 'good', 'w2', 'w3']);
    assert.deepEqual([event.probe.layers[0].states.length, event.probe.layers[0].units], [10, 4]);
    assert.deepEqual(event.gates[0].gates.map((g) => [g.gate, g.values.rows, g.values.cols]), ['input', 'forget', 'cell', 'output'].map((g) => [g, 4, 4]));
    const attribution = event.attribution;
    assert.ok(attribution);
    assert.equal(attribution.scores.length, 10);
    assert.ok(attribution.scores.slice(0, 6).every((score) => score === 0), 'padding equals the baseline: no attribution');
    const sum = attribution.scores.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(attribution.total) > 1e-3, `the input changes the prediction (${attribution.total})`);
    assert.ok(Math.abs(sum - attribution.total) < 0.03 * Math.abs(attribution.total) + 1e-4, `scores sum ${sum} vs ${attribution.total}`);
    model.optimizer.dispose();
    model.dispose();
  });

  it('numeric input: the typed series through the normalisation, attribution over the values', () => {
    const data = valueData({ count: 16, timesteps: 6, features: 1 });
    const model = buildModel(spec([recurrent('gru', 4), { type: 'dense', units: 1, activation: 'linear' }], { loss: 'mse', metrics: [] }), data);
    scramble(model);
    const encoder = createEncoder(data.preprocessing);
    const { event } = inspectInput(model, encoder, '0.5, -1, 2, 0.25, 1, -0.5', { id: 'q2', maxUnits: 4, weights: { kind: 'epoch', epoch: 2 } });
    assert.equal(event.probe.summary?.kind, 'value');
    assert.deepEqual(event.gates[0].gates.map((g) => g.gate), ['update', 'reset', 'candidate']);
    const attribution = event.attribution;
    assert.ok(attribution);
    const sum = attribution.scores.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - attribution.total) < 0.03 * Math.abs(attribution.total) + 1e-4, `scores sum ${sum} vs ${attribution.total}`);
    assert.throws(() => inspectInput(model, encoder, 'not numbers', { id: 'q3', maxUnits: 4, weights: { kind: 'final' } }), /is not a number/);
    model.optimizer.dispose();
    model.dispose();
  });
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import type { ModelSpec } from '../../src/language/types';
import { NumericError } from '../../src/training/errors';
import { recurrent, spec, tokenData, valueData } from '../unit/model-fixtures';
import { ofType, run } from './trainer-run';

const tokens = tokenData({ count: 256, timesteps: 12, vocab: 20 });
// Shaped like the seed's IMDB model, dropout and recurrent dropout included.
const sentimentModel = (extra: Partial<ModelSpec['train']> = {}): ModelSpec =>
  spec(
    [{ type: 'embedding', output_dim: 8, mask_zero: false }, recurrent('lstm', 8, { dropout: 0.1, recurrent_dropout: 0.1 }), { type: 'dense', units: 1, activation: 'sigmoid' }],
    { batch_size: 32, epochs: 6, ...extra },
  );

describe('train', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('learns a token rule: validation loss falls below 0.2, with events in protocol order', async () => {
    const { result, events } = await run(sentimentModel(), tokens);
    assert.equal(result.status, 'completed');
    assert.ok(result.finalMetrics.val_loss < 0.2, `val_loss ${result.finalMetrics.val_loss}`);
    assert.ok(result.finalMetrics.val_accuracy > 0.9, `val_accuracy ${result.finalMetrics.val_accuracy}`);

    assert.equal(events[0].type, 'model');
    const batches = ofType(events, 'batch');
    assert.equal(batches.length, 6 * Math.ceil(256 / 32));
    assert.deepEqual(batches.map((b) => b.step), batches.map((_, i) => i));
    assert.ok(batches.every((b) => b.samplesPerSec > 0 && Number.isFinite(b.samplesPerSec) && 'accuracy' in b.metrics));
    const epochs = ofType(events, 'epoch');
    assert.deepEqual(epochs.map((e) => e.epoch), [0, 1, 2, 3, 4, 5]);
    assert.ok(epochs[5].train.loss < epochs[0].train.loss);
    assert.deepEqual(Object.keys(epochs[0].validation).sort(), ['accuracy', 'loss']);
    result.model.dispose();
  });

  it('keeps the same number of live tensors after every epoch and frees its own', async () => {
    const before = tf.memory().numTensors;
    const withDropout = spec(
      [
        { type: 'embedding', output_dim: 4, mask_zero: true },
        recurrent('gru', 4, { return_sequences: true, dropout: 0.2, recurrent_dropout: 0.2 }),
        { type: 'dropout', rate: 0.3 },
        { type: 'bidirectional', layer: recurrent('lstm', 3), merge_mode: 'concat' },
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ],
      { batch_size: 24, clipnorm: 1 },
      { inspect: { probes: [{ text: 'good w1' }, { index: 1 }], max_units: 4 } },
    );
    const { result, events } = await run(withDropout, tokenData({ count: 60, timesteps: 8, vocab: 20 }), { epochs: 4 });
    const counts = ofType(events, 'epoch').map((e) => e.liveTensors);
    assert.equal(counts.length, 4);
    assert.deepEqual(counts, counts.map(() => counts[0]));
    result.model.dispose();
    // Only tfjs's cached dropout masks of the GRU cell remain (3 input + 3 recurrent, one per gate).
    assert.ok(tf.memory().numTensors - before <= 6, `${tf.memory().numTensors - before} tensors left`);
  });

  it('frees every tensor of a (fused) LSTM model, dropout masks included, once it is disposed', async () => {
    const before = tf.memory().numTensors;
    const { result } = await run(sentimentModel(), tokenData({ count: 40, timesteps: 6, vocab: 20 }), { epochs: 2 });
    result.model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('stops within one batch of a stop request and returns the model', async () => {
    const { result, events } = await run(sentimentModel(), tokens, { stopAfterBatches: 3 });
    assert.equal(result.status, 'stopped');
    assert.equal(ofType(events, 'batch').length, 3);
    assert.equal(ofType(events, 'epoch').length, 0);
    assert.ok(Number.isFinite(result.finalMetrics.loss));
    assert.ok(result.model.predict(tf.zeros([1, 12], 'int32')) instanceof tf.Tensor);
    result.model.dispose();
  });

  it('throws a NumericError naming the learning rate and clipnorm when the loss diverges', async () => {
    const diverging = spec([recurrent('simple_rnn', 4, { activation: 'relu' }), { type: 'dense', units: 1, activation: 'linear' }], {
      optimizer: { name: 'sgd', beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, rho: 0.9, momentum: 0 },
      learning_rate: 1e6,
      loss: 'mse',
      metrics: ['mae'],
      batch_size: 8,
    });
    diverging.data.task = 'regression';
    await assert.rejects(run(diverging, valueData({ count: 64, timesteps: 5, features: 2 }), { epochs: 5 }), (error: unknown) => {
      assert.ok(error instanceof NumericError);
      assert.match(error.message, /loss became (NaN|Infinity|-Infinity) at epoch \d+, batch \d+/);
      assert.match(error.message, /learning_rate/);
      assert.match(error.message, /clipnorm/);
      // Targets of about 1 are not the cause here, so the message does not blame them.
      assert.doesNotMatch(error.message, /targets reach/);
      assert.equal(error.message.match(/Training diverged/g)?.length, 1);
      return true;
    });
  });

  it('stops early with Keras EarlyStopping semantics and says why', async () => {
    const { result, events } = await run(sentimentModel({ early_stopping: { monitor: 'val_loss', patience: 1, min_delta: 100, restore_best_weights: false } }), tokens, { epochs: 10 });
    assert.equal(result.status, 'completed');
    // Epoch 1 sets the best value; epoch 2 cannot beat it by 100, and patience is 1.
    assert.equal(ofType(events, 'epoch').length, 2);
    assert.match(result.reason ?? '', /val_loss did not improve/);
    result.model.dispose();
  });
});

describe('probes', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('records every timestep of every recurrent layer before training and after each epoch', async () => {
    const modelSpec = spec(
      [
        { type: 'embedding', output_dim: 6, mask_zero: true },
        { type: 'bidirectional', layer: recurrent('gru', 5, { return_sequences: true }), merge_mode: 'sum' },
        recurrent('lstm', 7),
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ],
      { batch_size: 32 },
      { inspect: { probes: [{ text: 'w1 good w2' }, { index: 2 }, { index: 3 }], max_units: 6 } },
    );
    const data = tokenData({ count: 64, timesteps: 12, vocab: 20 });
    const { result, events } = await run(modelSpec, data, { epochs: 2, maxProbes: 2 });
    const snapshots = ofType(events, 'probes');
    assert.deepEqual(snapshots.map((s) => s.epoch), [-1, 0, 1]);
    assert.ok(events.indexOf(snapshots[0]) < events.findIndex((e) => e.type === 'batch'));

    const last = snapshots[2].probes;
    assert.deepEqual(last.map((p) => p.id), ['probe-0', 'probe-1']); // capped by maxProbes
    assert.deepEqual(last[0].tokens, ['', '', '', '', '', '', '', '', '', 'w1', 'good', 'w2']);
    assert.equal(last[1].label, 'validation #2');
    for (const probe of last) {
      assert.deepEqual(probe.layers.map((l) => [l.layer, l.units, l.states.length, l.states[0].length]), [
        ['bidirectional', 6, 12, 6], // both directions concatenated (10), first max_units shown
        ['lstm', 6, 12, 6],
      ]);
    }
    // mask_zero: padded steps keep the initial (zero) state, as in Keras.
    assert.ok(last[0].layers[1].states.slice(0, 9).every((units) => units.every((v) => v === 0)));

    // The LSTM's state after the last step is what the model feeds its dense layer (stored with 4 decimals).
    const probeInput = tf.tensor([Array.from(data.encodeText('w1 good w2').x)], [1, 12], 'int32');
    const lstmOutput = tf.model({ inputs: result.model.inputs, outputs: result.model.getLayer('lstm').output as tf.SymbolicTensor });
    const expected = (lstmOutput.predict(probeInput) as tf.Tensor).arraySync() as number[][];
    last[0].layers[1].states[11].forEach((value, u) => assert.ok(Math.abs(value - expected[0][u]) <= 5e-5 + 1e-6, `unit ${u}: ${value} vs ${expected[0][u]}`));
    const prediction = (result.model.predict(probeInput) as tf.Tensor).dataSync()[0];
    assert.ok(Math.abs((last[0].prediction?.[0] ?? NaN) - prediction) < 1e-5);
    result.model.dispose();
  });

  it('records gates, gradient flow, the representation map and gradient norms, within their caps; none with views off', async () => {
    const modelSpec = spec(
      [{ type: 'embedding', output_dim: 6, mask_zero: false }, recurrent('gru', 5), { type: 'dense', units: 1, activation: 'sigmoid' }],
      { batch_size: 32, clipnorm: 0.01 },
      { inspect: { probes: [{ text: 'w1 good w2' }], max_units: 4 } },
    );
    const data = tokenData({ count: 64, timesteps: 12, vocab: 20 });
    const { events } = await run(modelSpec, data, { epochs: 4, views: { snapshots: 3, mapSamples: 10 } });
    // 5 snapshots wanted (before training + 4 epochs), 3 kept: the first, the last, one between.
    assert.deepEqual(ofType(events, 'probes').map((e) => e.epoch), [-1, 1, 3]);
    assert.deepEqual(ofType(events, 'gates').map((e) => e.epoch), [-1, 1, 3]);
    const gates = ofType(events, 'gates')[2].probes[0].layers[0];
    assert.deepEqual([gates.cell, gates.start, gates.gates.map((g) => g.gate)], ['gru', 9, ['update', 'reset', 'candidate']]);
    assert.deepEqual([gates.gates[0].values.rows, gates.gates[0].values.cols, gates.keep?.length], [3, 4, 3]); // the text's 3 steps, max_units 4
    // Gradient flow and the map every epoch; the map's sample once.
    assert.deepEqual(ofType(events, 'gradients').map((e) => [e.epoch, e.layers[0].norms.length]), [-1, 0, 1, 2, 3].map((epoch) => [epoch, 12]));
    const maps = ofType(events, 'representation');
    assert.deepEqual(maps.map((e) => [e.epoch, e.points.length]), [-1, 0, 1, 2, 3].map((epoch) => [epoch, 20]));
    assert.deepEqual(maps.map((e) => e.sample !== undefined), [true, false, false, false, false]);
    // Global norms before and after clipping: each of the 6 weights' gradients (embedding, GRU x3,
    // dense x2) is clipped to 0.01, so together they are at most 0.01 * sqrt(6).
    const batches = ofType(events, 'batch');
    assert.ok(batches.every((b) => (b.gradNorm ?? 0) > 0 && (b.clippedGradNorm ?? Infinity) <= Math.min(b.gradNorm ?? 0, 0.01 * Math.sqrt(6)) + 1e-7));

    const off = await run(modelSpec, data, { epochs: 1, views: { enabled: false } });
    // The task view (here the confusion matrix) reads the validation pass that runs anyway: it stays.
    assert.deepEqual([...new Set(off.events.map((e) => e.type))].sort(), ['baselines', 'batch', 'classification', 'epoch', 'model', 'probes']);
    assert.ok(ofType(off.events, 'batch').every((b) => b.gradNorm === undefined));
  });
});

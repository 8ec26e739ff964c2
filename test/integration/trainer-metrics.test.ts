/**
 * What the trainer reports and how it steps: class weights, restored best weights, early-stopping
 * refusals, clipnorm on the step actually taken, shuffling between epochs, split-level metrics and
 * the baselines event. Inputs of zeros make the model's output independent of its random kernels
 * (every bias starts at 0), so several tests can read exact values off the loss.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../../src/data/types';
import type { ModelSpec, OptimizerSpec } from '../../src/language/types';
import { initBackend } from '../../src/model/backend';
import { SettingsError } from '../../src/training/errors';
import { recurrent, spec, tokenData, valueData } from '../unit/model-fixtures';
import { ofType, run } from './trainer-run';

const SGD: OptimizerSpec = { name: 'sgd', beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, rho: 0.9, momentum: 0 };
const close = (actual: number | undefined, expected: number, tolerance = 1e-5): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);

/** `count` regression examples whose inputs are all zero and whose targets are 1, 2, ..., count. */
function zeroInputRows(count: number): PreparedData {
  const data = valueData({ count, timesteps: 3, features: 1 });
  data.train.x.fill(0);
  data.train.y.forEach((_, i) => (data.train.y[i] = i + 1));
  return data;
}

const regressionModel = (train: Partial<ModelSpec['train']>): ModelSpec => {
  const model = spec([recurrent('simple_rnn', 4), { type: 'dense', units: 1, activation: 'linear' }], { loss: 'mse', metrics: ['mae'], optimizer: SGD, ...train });
  model.data.task = 'regression';
  return model;
};

describe('trainer steps', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('shuffles between epochs, in the same order for the same seed, and not at all with shuffle: false', async () => {
    // With zero inputs and learning rate 0 the prediction stays 0, so a batch of one row has loss
    // (row + 1)^2: the losses spell out the order the rows were visited in.
    const orders = async (seed: number, shuffle = true): Promise<number[][]> => {
      const model = regressionModel({ learning_rate: 0, batch_size: 1, shuffle });
      model.data.seed = seed;
      const { result, events } = await run(model, zeroInputRows(12), { epochs: 3 });
      result.model.dispose();
      const batches = ofType(events, 'batch');
      return [0, 1, 2].map((epoch) => batches.filter((b) => b.epoch === epoch).map((b) => Math.round(Math.sqrt(b.loss)) - 1));
    };
    const first = await orders(7);
    const identity = Array.from({ length: 12 }, (_, i) => i);
    for (const order of first) assert.deepEqual([...order].sort((a, b) => a - b), identity, 'every row once per epoch');
    assert.notDeepEqual(first[0], first[1]);
    assert.notDeepEqual(first[1], first[2]);
    assert.deepEqual(await orders(7), first, 'same seed, same orders');
    assert.notDeepEqual((await orders(8))[0], first[0]);
    assert.deepEqual(await orders(7, false), [identity, identity, identity]);
  });

  it('applies clipnorm to the step it takes: each zero-initialised bias moves by exactly clipnorm x learning rate', async () => {
    // One SGD step from biases of 0: |new bias| = lr x |clipped gradient| = lr x clipnorm.
    const step = async (clipnorm?: number): Promise<number[]> => {
      const model = regressionModel({ learning_rate: 0.5, batch_size: 8, ...(clipnorm !== undefined ? { clipnorm } : {}) });
      const { result } = await run(model, zeroInputRows(8), { stopAfterBatches: 1 });
      const biases = result.model.trainableWeights.filter((weight) => weight.name.includes('bias')).map((weight) => tf.norm(weight.read()).dataSync()[0]);
      result.model.dispose();
      return biases;
    };
    const unclipped = await step();
    const clipped = await step(0.001);
    const denseBias = unclipped.length - 1;
    assert.ok(unclipped[denseBias] > 1, `the raw step is large (${unclipped[denseBias]})`);
    close(clipped[denseBias], 0.0005, 1e-8);
    // Every other bias's step is at most the clipped size too (zero inputs may leave it unmoved).
    assert.ok(clipped.every((norm) => norm <= 0.0005 + 1e-8), clipped.join(', '));
  });
});

describe('class_weight (Keras semantics)', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  /** 10 identical inputs, 3 of them labelled 1: the model gives every row the same probability p. */
  function sameInputs(): PreparedData {
    const data = tokenData({ count: 10, timesteps: 4, vocab: 8 });
    data.train.x.fill(3);
    data.train.y.forEach((_, i) => (data.train.y[i] = i < 3 ? 1 : 0));
    return data;
  }

  for (const [setting, weights] of [
    ['balanced', [10 / (2 * 7), 10 / (2 * 3)]],
    [{ 0: 1, 1: 4 }, [1, 4]],
  ] as const) {
    it(`${JSON.stringify(setting)}: the training loss is the batch mean of weight x loss`, async () => {
      const model = spec([{ type: 'embedding', output_dim: 4, mask_zero: false }, recurrent('gru', 4), { type: 'dense', units: 1, activation: 'sigmoid' }], {
        optimizer: SGD,
        learning_rate: 0,
        batch_size: 10,
        class_weight: setting,
      });
      const data = sameInputs();
      const { result, events } = await run(model, data, { epochs: 1 });
      const p = (result.model.predict(tf.tensor2d([[3, 3, 3, 3]], [1, 4], 'int32')) as tf.Tensor).dataSync()[0];
      const expected = (3 * weights[1] * -Math.log(p) + 7 * weights[0] * -Math.log(1 - p)) / 10;
      close(ofType(events, 'batch')[0].loss, expected);
      // Validation is never weighted: its loss is the plain mean over its examples.
      const scores = (result.model.predict(tf.tensor(data.validation.x, data.validation.xShape, 'int32')) as tf.Tensor).dataSync();
      const plain = Array.from(data.validation.y).reduce((sum, y, i) => sum - Math.log(y === 1 ? scores[i] : 1 - scores[i]), 0) / data.validation.count;
      close(ofType(events, 'epoch')[0].validation.loss, plain);
      result.model.dispose();
    });
  }

  it('refuses a label the data does not have, naming the labels it has', async () => {
    const model = spec([{ type: 'embedding', output_dim: 4, mask_zero: false }, recurrent('gru', 4), { type: 'dense', units: 1, activation: 'sigmoid' }], { class_weight: { spam: 2 } });
    await assert.rejects(run(model, sameInputs()), (error: unknown) => {
      assert.ok(error instanceof SettingsError);
      assert.match(error.message, /label "spam", which the data does not have \(its labels: "0", "1"\)/);
      return true;
    });
  });
});

describe('early stopping', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  const tokens = tokenData({ count: 128, timesteps: 8, vocab: 20 });
  const classifier = (train: Partial<ModelSpec['train']>): ModelSpec =>
    spec([{ type: 'embedding', output_dim: 8, mask_zero: false }, recurrent('lstm', 8), { type: 'dense', units: 1, activation: 'sigmoid' }], { batch_size: 32, learning_rate: 0.02, ...train });

  it('restore_best_weights puts the best epoch back before the model is returned, with its metrics', async () => {
    // A min_delta nothing can beat makes epoch 1 the best; training goes on for 4 epochs.
    const model = classifier({ early_stopping: { monitor: 'val_loss', patience: 10, min_delta: 1000, restore_best_weights: true } });
    const { result, events } = await run(model, tokens, { epochs: 4 });
    const epochs = ofType(events, 'epoch');
    assert.equal(epochs.length, 4);
    close(result.finalMetrics.val_loss, epochs[0].validation.loss);
    assert.ok(Math.abs(epochs[3].validation.loss - epochs[0].validation.loss) > 1e-3, 'training moved the weights on');
    // The returned model really has epoch 1's weights: it reproduces epoch 1's validation loss.
    const x = tf.tensor(tokens.validation.x, tokens.validation.xShape, 'int32');
    const p = (result.model.predict(x) as tf.Tensor).dataSync();
    const loss = Array.from(tokens.validation.y).reduce((sum, y, i) => sum - Math.log(y === 1 ? p[i] : 1 - p[i]), 0) / tokens.validation.count;
    close(loss, epochs[0].validation.loss, 1e-4);
    assert.match(result.reason ?? '', /^Restored the weights of epoch 1 \(best val_loss \d\.\d{1,4} at epoch 1\)\.$/);
    result.model.dispose();
  });

  it('keeps the last weights without restore_best_weights, and prints the best value rounded when it stops', async () => {
    const model = classifier({ early_stopping: { monitor: 'val_accuracy', patience: 1, min_delta: 1000, restore_best_weights: false } });
    const { result, events } = await run(model, tokens, { epochs: 5 });
    const epochs = ofType(events, 'epoch');
    assert.equal(epochs.length, 2);
    close(result.finalMetrics.val_loss, epochs[1].validation.loss);
    const best = Number(epochs[0].validation.accuracy.toPrecision(4));
    assert.match(result.reason ?? '', new RegExp(`val_accuracy did not improve by more than 1000 for 1 epoch; best val_accuracy ${best} at epoch 1\\.$`));
    result.model.dispose();
  });

  it('refuses, before training, to monitor a validation metric when the validation split is empty', async () => {
    const empty = tokenData({ count: 40, timesteps: 8, vocab: 20 });
    empty.validation = { x: new Int32Array(0), xShape: [0, 8], y: new Float32Array(0), yShape: [0, 1], count: 0 };
    const model = classifier({ early_stopping: { monitor: 'val_loss', patience: 2, min_delta: 0, restore_best_weights: false } });
    model.data.validation = { split: 0.01 };
    const events: unknown[] = [];
    await assert.rejects(
      run(model, empty).then((outcome) => events.push(...outcome.events)),
      (error: unknown) => {
        assert.ok(error instanceof SettingsError);
        assert.match(error.message, /`val_loss`, but there are no validation examples \(a validation split of 0\.01 of 40 examples rounds to none\).*raise `data\.validation` \(e\.g\. 0\.2\) or monitor `loss`/);
        return true;
      },
    );
    assert.equal(events.length, 0);
  });
});

describe('reported metrics', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('binary runs report precision, recall, f1_score and auc per epoch; baselines come once, before the first batch', async () => {
    const tokens = tokenData({ count: 96, timesteps: 8, vocab: 20 });
    const model = spec([{ type: 'embedding', output_dim: 8, mask_zero: false }, recurrent('gru', 8), { type: 'dense', units: 1, activation: 'sigmoid' }], {
      metrics: ['accuracy', 'precision', 'recall', 'f1_score', 'auc'],
      learning_rate: 0.02,
      batch_size: 32,
    });
    const { result, events } = await run(model, tokens, { epochs: 3 });
    const last = ofType(events, 'epoch').at(-1)!;
    assert.deepEqual(Object.keys(last.validation), ['loss', 'accuracy', 'precision', 'recall', 'f1_score', 'auc']);
    const { precision, recall, f1_score: f1 } = last.validation;
    close(f1, precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall));
    // The validation AUC is the exact one of the returned model's scores.
    const scores = Array.from((result.model.predict(tf.tensor(tokens.validation.x, tokens.validation.xShape, 'int32')) as tf.Tensor).dataSync());
    const labels = Array.from(tokens.validation.y);
    let ordered = 0;
    let pairs = 0;
    labels.forEach((yi, i) => labels.forEach((yj, j) => {
      if (yi !== 1 || yj !== 0) return;
      pairs++;
      ordered += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }));
    close(last.validation.auc, ordered / pairs, 1e-6);
    const baselines = ofType(events, 'baselines');
    assert.equal(baselines.length, 1);
    assert.ok(events.indexOf(baselines[0]) < events.findIndex((event) => event.type === 'batch'));
    const majority = baselines[0].baselines.find((baseline) => baseline.metric === 'val_accuracy');
    const positives = labels.filter((y) => y === 1).length / labels.length;
    const trainPositives = Array.from(tokens.train.y).filter((y) => y === 1).length / tokens.train.count;
    close(majority?.value, trainPositives >= 0.5 ? positives : 1 - positives);
    result.model.dispose();
  });

  it('forecast runs report data_mae and data_rmse in the data units (normalised figures times the scale)', async () => {
    const data = valueData({ count: 64, timesteps: 5, features: 1 });
    data.preprocessing.normalization = { target: { method: 'zscore', offset: 500, scale: 40 } };
    const model = spec([recurrent('gru', 4), { type: 'dense', units: 1, activation: 'linear' }], { loss: 'mse', metrics: ['mae'], batch_size: 64 });
    model.data.task = 'forecast';
    const { result, events } = await run(model, data, { epochs: 2 });
    const { validation } = ofType(events, 'epoch').at(-1)!;
    close(validation.data_mae, validation.mae * 40, 1e-3);
    // One validation batch: RMSE is the root of the split's mean squared error.
    close(validation.data_rmse, Math.sqrt(validation.loss) * 40, 1e-3);
    result.model.dispose();
  });
});

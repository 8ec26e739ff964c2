import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { createObjective } from '../../src/model/objective';
import { clipByNorm } from '../../src/model/optimizer';
import { createForwardPass } from '../../src/model/outputHead';

const close = (actual: number, expected: number, tolerance = 1e-5): void =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);
const meanOf = (t: tf.Tensor): number => tf.mean(t).dataSync()[0];
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('objective', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('binary crossentropy and accuracy follow Keras (threshold 0.5)', () => {
    const { loss, metrics } = createObjective('binary_crossentropy', ['accuracy']);
    const yTrue = tf.tensor2d([[1], [0], [1]]);
    const yPred = tf.tensor2d([[0.9], [0.2], [0.4]]);
    close(meanOf(loss(yTrue, { prediction: yPred })), -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3);
    close(meanOf(metrics[0].fn(yTrue, yPred)), 2 / 3);
  });

  it('sparse categorical crossentropy works per timestep for next-token targets', () => {
    const { loss, metrics } = createObjective('sparse_categorical_crossentropy', ['accuracy']);
    const yTrue = tf.tensor2d([[0, 2]]); // [batch 1, T 2]
    const yPred = tf.tensor3d([[[0.7, 0.2, 0.1], [0.5, 0.1, 0.4]]]); // [1, 2, vocab 3]
    close(meanOf(loss(yTrue, { prediction: yPred })), -(Math.log(0.7) + Math.log(0.4)) / 2);
    close(meanOf(metrics[0].fn(yTrue, yPred)), 1 / 2);
  });

  it('categorical crossentropy one-hot encodes class-id targets of every task: the same values as sparse', () => {
    const cases: { task: string; yTrue: tf.Tensor; yPred: tf.Tensor; expected: number; accuracy: number }[] = [
      // multiclass: ids [batch]
      { task: 'multiclass', yTrue: tf.tensor1d([2, 0]), yPred: tf.tensor2d([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]]), expected: -(Math.log(0.7) + Math.log(0.3)) / 2, accuracy: 0.5 },
      // binary with a two-unit softmax: 0/1 targets [batch, 1] (the shape that used to broadcast to [batch, batch])
      { task: 'binary', yTrue: tf.tensor2d([[1], [0], [0]]), yPred: tf.tensor2d([[0.2, 0.8], [0.9, 0.1], [0.4, 0.6]]), expected: -(Math.log(0.8) + Math.log(0.9) + Math.log(0.4)) / 3, accuracy: 2 / 3 },
      // next-token: ids [batch, T]
      { task: 'next-token', yTrue: tf.tensor2d([[1, 0]]), yPred: tf.tensor3d([[[0.25, 0.75], [0.5, 0.5]]]), expected: -(Math.log(0.75) + Math.log(0.5)) / 2, accuracy: 1 },
    ];
    for (const { task, yTrue, yPred, expected, accuracy } of cases) {
      for (const lossName of ['categorical_crossentropy', 'sparse_categorical_crossentropy'] as const) {
        const { loss, metrics } = createObjective(lossName, ['accuracy']);
        const perExample = loss(yTrue, { prediction: yPred });
        assert.deepEqual(perExample.shape, yPred.shape.slice(0, -1), `${lossName} on ${task}`);
        close(meanOf(perExample), expected);
        close(meanOf(metrics[0].fn(yTrue, yPred)), accuracy);
      }
    }
  });

  it('regression metrics are mae and mse', () => {
    const { loss, metrics } = createObjective('mse', ['mae']);
    const yTrue = tf.tensor2d([[1], [3]]);
    const yPred = tf.tensor2d([[2], [1]]);
    close(meanOf(loss(yTrue, { prediction: yPred })), (1 + 4) / 2);
    assert.equal(metrics[0].name, 'mae');
    close(meanOf(metrics[0].fn(yTrue, yPred)), (1 + 2) / 2);
  });
});

describe('cross-entropy from logits (Keras on TensorFlow)', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('binary: equals the clipped-probability loss wherever clipping does not bind', () => {
    const { loss } = createObjective('binary_crossentropy', []);
    // Within |z| <= 5 the float32 probability 1 - sigmoid(z) keeps 4 significant digits.
    const logits = tf.tensor2d([[-5], [-2], [0], [0.5], [3], [5]]);
    const yTrue = tf.tensor2d([[0], [1], [1], [0], [1], [0]]);
    const prediction = tf.sigmoid(logits);
    const fromLogits = loss(yTrue, { prediction, logits, activation: 'sigmoid' }).dataSync();
    const fromProbabilities = tf.metrics.binaryCrossentropy(yTrue, prediction).dataSync();
    fromLogits.forEach((value, i) => close(value, fromProbabilities[i], 1e-4));
  });

  it('binary: the gradient at large logits is the analytic sigmoid(z) - y, where clipped probabilities give 0', () => {
    const { loss } = createObjective('binary_crossentropy', []);
    const zs = [20, 40, -25, 30];
    const ys = [0, 0, 1, 1];
    const yTrue = tf.tensor2d(ys.map((y) => [y]));
    const logits = tf.tensor2d(zs.map((z) => [z]));
    const perExampleLoss = (z: tf.Tensor) => tf.sum(loss(yTrue, { prediction: tf.sigmoid(z), logits: z, activation: 'sigmoid' }));
    const gradient = tf.grad(perExampleLoss)(logits).dataSync();
    zs.forEach((z, i) => close(gradient[i], sigmoid(z) - ys[i], 1e-6));
    assert.ok(Math.abs(gradient[0]) > 0.99 && Math.abs(gradient[2]) > 0.99, 'wrong-side logits keep a full gradient');
    // The probability form (what tfjs's loss does) is flat there: this is the behaviour replaced.
    const clipped = tf.grad((z: tf.Tensor) => tf.sum(tf.metrics.binaryCrossentropy(yTrue, tf.sigmoid(z))))(logits).dataSync();
    assert.equal(clipped[0], 0);
    // And the loss itself stays exact: -log(1 - sigmoid(40)) = 40 (to float precision), not -log(1e-7).
    close(loss(yTrue, { prediction: tf.sigmoid(logits), logits, activation: 'sigmoid' }).dataSync()[1], 40, 1e-4);
  });

  it('softmax: log-softmax gives the exact loss and the analytic gradient softmax(z) - onehot(y)', () => {
    for (const lossName of ['sparse_categorical_crossentropy', 'categorical_crossentropy'] as const) {
      const { loss } = createObjective(lossName, []);
      const rows = [[30, -30, 0], [1, 2, 3]];
      const logits = tf.tensor2d(rows);
      const yTrue = tf.tensor1d([1, 2]);
      const total = (z: tf.Tensor) => tf.sum(loss(yTrue, { prediction: tf.softmax(z), logits: z, activation: 'softmax' }));
      const gradient = tf.grad(total)(logits).arraySync() as number[][];
      rows.forEach((row, i) => {
        const exps = row.map((z) => Math.exp(z - Math.max(...row)));
        const softmax = exps.map((e) => e / exps.reduce((a, b) => a + b));
        softmax.forEach((p, k) => close(gradient[i][k], p - (k === [1, 2][i] ? 1 : 0), 1e-6));
      });
      close(loss(yTrue, { prediction: tf.softmax(logits), logits, activation: 'softmax' }).dataSync()[0], 60, 1e-3);
      // Where clipping does not bind, the same value as from probabilities.
      const probabilities = tf.softmax(logits);
      close(
        loss(yTrue, { prediction: probabilities, logits, activation: 'softmax' }).dataSync()[1],
        loss(yTrue, { prediction: probabilities }).dataSync()[1],
      );
    }
  });

  it('a model whose output is a sigmoid dense layer trains from its logits and still outputs probabilities', () => {
    const input = tf.input({ shape: [3] });
    const dense = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'ones' });
    const model = tf.model({ inputs: input, outputs: dense.apply(input) as tf.SymbolicTensor });
    const forward = createForwardPass(model);
    const x = tf.tensor2d([[10, 10, 10]]);
    const output = forward(x, true);
    assert.equal(output.activation, 'sigmoid');
    close(output.logits!.dataSync()[0], 30);
    close(output.prediction.dataSync()[0], (model.predict(x) as tf.Tensor).dataSync()[0]);
    // Gradient w.r.t. the kernel reaches through the logits: (sigmoid(30) - 0) * x = 10 per weight.
    const { loss } = createObjective('binary_crossentropy', []);
    const kernel = dense.trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.mean(loss(tf.tensor2d([[0]]), forward(x, true))), [kernel]);
    Array.from(grads[kernel.name].dataSync()).forEach((g) => close(g, 10, 1e-4));
  });

  it('a time-distributed softmax output gives logits per timestep', () => {
    const input = tf.input({ shape: [4, 2] });
    const layer = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'softmax' }) });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    const x = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 1);
    const output = createForwardPass(model)(x, false);
    assert.deepEqual(output.logits!.shape, [2, 4, 3]);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    output.prediction.dataSync().forEach((value, i) => close(value, expected[i]));
  });
});

describe('clipByNorm', () => {
  it("rescales each gradient whose norm exceeds clipnorm to exactly clipnorm, and leaves the others (Keras's clipnorm)", () => {
    const clipped = clipByNorm({ big: tf.tensor1d([3, 4]), small: tf.tensor1d([0.3, 0.4]) }, 1);
    assert.deepEqual(Array.from(clipped.big.dataSync()).map((v) => Number(v.toFixed(6))), [0.6, 0.8]);
    assert.deepEqual(Array.from(clipped.small.dataSync()).map((v) => Number(v.toFixed(6))), [0.3, 0.4]);
  });
});

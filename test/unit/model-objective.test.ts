import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { createObjective } from '../../src/model/objective';
import { clipByNorm } from '../../src/model/optimizer';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-5, `${actual} vs ${expected}`);
const meanOf = (t: tf.Tensor): number => tf.mean(t).dataSync()[0];

describe('objective', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('binary crossentropy and accuracy follow Keras (threshold 0.5)', () => {
    const { loss, metrics } = createObjective('binary_crossentropy', ['accuracy']);
    const yTrue = tf.tensor2d([[1], [0], [1]]);
    const yPred = tf.tensor2d([[0.9], [0.2], [0.4]]);
    close(meanOf(loss(yTrue, yPred)), -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3);
    close(meanOf(metrics[0].fn(yTrue, yPred)), 2 / 3);
  });

  it('sparse categorical crossentropy works per timestep for next-token targets', () => {
    const { loss, metrics } = createObjective('sparse_categorical_crossentropy', ['accuracy']);
    const yTrue = tf.tensor2d([[0, 2]]); // [batch 1, T 2]
    const yPred = tf.tensor3d([[[0.7, 0.2, 0.1], [0.5, 0.1, 0.4]]]); // [1, 2, vocab 3]
    close(meanOf(loss(yTrue, yPred)), -(Math.log(0.7) + Math.log(0.4)) / 2);
    close(meanOf(metrics[0].fn(yTrue, yPred)), 1 / 2);
  });

  it('regression metrics are mae and mse', () => {
    const { loss, metrics } = createObjective('mse', ['mae']);
    const yTrue = tf.tensor2d([[1], [3]]);
    const yPred = tf.tensor2d([[2], [1]]);
    close(meanOf(loss(yTrue, yPred)), (1 + 4) / 2);
    assert.equal(metrics[0].name, 'mae');
    close(meanOf(metrics[0].fn(yTrue, yPred)), (1 + 2) / 2);
  });
});

describe('clipByNorm', () => {
  it("rescales each gradient whose norm exceeds clipnorm to exactly clipnorm, and leaves the others (Keras's clipnorm)", () => {
    const clipped = clipByNorm({ big: tf.tensor1d([3, 4]), small: tf.tensor1d([0.3, 0.4]) }, 1);
    assert.deepEqual(Array.from(clipped.big.dataSync()).map((v) => Number(v.toFixed(6))), [0.6, 0.8]);
    assert.deepEqual(Array.from(clipped.small.dataSync()).map((v) => Number(v.toFixed(6))), [0.3, 0.4]);
  });
});

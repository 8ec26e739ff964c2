/**
 * The model's random draws come from the run's seed: the same seed builds the same initial weights,
 * another seed others, and the dropout layer draws a new mask per training batch that a re-run
 * draws again in the same order.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { SeedSequence } from '../../src/data/random';
import type { LayerSpec } from '../../src/language/types';
import { initBackend } from '../../src/model/backend';
import { buildModel } from '../../src/model/build';
import { seededDropout } from '../../src/model/dropout';
import { spec, tokenData } from './model-fixtures';

const WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const data = tokenData({ count: 8, timesteps: 6, vocab: 30 });

/** Every layer kind that draws its own weights here (recurrent layers are seeded by their factory). */
const layers: LayerSpec[] = [
  { type: 'embedding', output_dim: 8, mask_zero: false },
  { type: 'time_distributed', layer: { type: 'dense', units: 5, activation: 'tanh' } },
  { type: 'dropout', rate: 0.5 },
  { type: 'dense', units: 3, activation: 'softmax' },
];

/** The initial weights of a model built with `seed`, by weight name. */
function initialWeights(seed: number): Map<string, Float32Array> {
  const base = spec(layers);
  const model = buildModel({ ...base, data: { ...base.data, seed } }, data);
  const weights = new Map(model.weights.map((weight) => [weight.originalName, weight.read().dataSync() as Float32Array]));
  model.optimizer.dispose();
  model.dispose();
  return weights;
}

describe('initial weights', () => {
  before(() => initBackend('wasm', WASM_DIR));

  it('are bit for bit the same for the same seed, for every layer kind', () => {
    const first = initialWeights(7);
    const second = initialWeights(7);
    assert.deepEqual([...first.keys()].sort(), ['dense_1/bias', 'dense_1/kernel', 'embedding/embeddings', 'time_distributed/kernel', 'time_distributed/bias'].sort());
    for (const [name, values] of first) assert.deepEqual(second.get(name), values, name);
  });

  it('differ for another seed wherever they are random', () => {
    const first = initialWeights(7);
    const other = initialWeights(8);
    for (const name of ['embedding/embeddings', 'time_distributed/kernel', 'dense_1/kernel']) {
      assert.notDeepEqual(other.get(name), first.get(name), name);
    }
  });

  it('keep Keras ranges: embeddings in U(-0.05, 0.05), dense kernels glorot-uniform', () => {
    const weights = initialWeights(3);
    const embeddings = weights.get('embedding/embeddings')!;
    assert.ok(embeddings.every((v) => Math.abs(v) <= 0.05) && embeddings.some((v) => Math.abs(v) > 0.04));
    const limit = Math.sqrt(6 / (5 + 3)); // fan_in 5, fan_out 3
    const kernel = weights.get('dense_1/kernel')!;
    assert.ok(kernel.every((v) => Math.abs(v) <= limit) && kernel.some((v) => Math.abs(v) > limit / 2));
  });
});

describe('the dropout layer', () => {
  before(() => initBackend('wasm', WASM_DIR));
  const ones = () => tf.ones([4, 50]);

  /** The kept positions of `calls` training calls of a fresh layer with seeds from `seed`. */
  function masks(seed: number, calls: number): number[][] {
    const layer = seededDropout({ name: 'dropout', rate: 0.5 }, new SeedSequence(seed, 'dropout', 'dropout'));
    return Array.from({ length: calls }, () => {
      const output = layer.apply(ones(), { training: true }) as tf.Tensor;
      return Array.from(output.dataSync(), (value) => (value === 0 ? 0 : 1));
    });
  }

  it('draws a new mask for every training batch', () => {
    const [first, second, third] = masks(7, 3);
    assert.notDeepEqual(first, second);
    assert.notDeepEqual(second, third);
    const kept = first.reduce((a, b) => a + b, 0) / first.length;
    assert.ok(kept > 0.35 && kept < 0.65, `kept ${kept}`);
  });

  it('draws the same masks in the same order for the same seed, others for another', () => {
    assert.deepEqual(masks(7, 3), masks(7, 3));
    assert.notDeepEqual(masks(8, 3), masks(7, 3));
  });

  it('scales kept values by 1 / (1 - rate) in training and passes the input through in inference', () => {
    const layer = seededDropout({ name: 'dropout', rate: 0.5 }, new SeedSequence(1, 'dropout'));
    const trained = Array.from((layer.apply(ones(), { training: true }) as tf.Tensor).dataSync());
    assert.ok(trained.every((value) => value === 0 || value === 2));
    assert.deepEqual(Array.from((layer.apply(ones()) as tf.Tensor).dataSync()), Array(200).fill(1));
  });

  it('saves as a stock Dropout layer', () => {
    const layer = seededDropout({ name: 'dropout', rate: 0.25 }, new SeedSequence(1, 'dropout'));
    assert.equal(layer.getClassName(), 'Dropout');
    assert.equal(layer.getConfig().rate, 0.25);
  });
});

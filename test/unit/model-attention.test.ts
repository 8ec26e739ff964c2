import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { applyAttention, attentionScores, BahdanauAttention, LuongAttention } from '../../src/model/attention';
import { initBackend } from '../../src/model/backend';
import { runReferencePython, skipWithoutReferencePython } from '../python/referencePython';
import { seeded } from './model-fixtures';

type Nested = number | Nested[];

function randomArray(shape: number[], random: () => number, scale = 1): Nested {
  if (shape.length === 0) return (random() * 2 - 1) * scale;
  return Array.from({ length: shape[0] }, () => randomArray(shape.slice(1), random, scale));
}

interface AttentionCase {
  layer: 'Attention' | 'AdditiveAttention';
  use_scale: boolean;
  score_mode?: 'dot' | 'concat';
  query: Nested;
  value: Nested;
  key?: Nested;
  query_mask?: boolean[][];
  value_mask?: boolean[][];
  scale?: Nested;
  concat_score_weight?: Nested;
  upstream: Nested;
}

const [BATCH, TQ, TV, DIM] = [2, 3, 5, 4];

function makeCase(random: () => number, layer: AttentionCase['layer'], options: Partial<AttentionCase>): AttentionCase {
  const useScale = options.use_scale ?? layer === 'AdditiveAttention';
  const base: AttentionCase = {
    layer,
    use_scale: useScale,
    query: randomArray([BATCH, TQ, DIM], random, 2),
    value: randomArray([BATCH, TV, DIM], random, 2),
    upstream: randomArray([BATCH, TQ, DIM], random),
    ...options,
  };
  if (useScale) base.scale = layer === 'AdditiveAttention' ? randomArray([DIM], random) : 1.7;
  if (options.score_mode === 'concat') base.concat_score_weight = 0.6;
  return base;
}

const random = seeded(20);
const CASES: AttentionCase[] = [
  makeCase(random, 'Attention', {}),
  makeCase(random, 'Attention', { use_scale: true }),
  makeCase(random, 'Attention', { use_scale: true, score_mode: 'concat' }),
  makeCase(random, 'Attention', { key: randomArray([BATCH, TV, DIM], random, 2) }),
  makeCase(random, 'Attention', { value_mask: [[true, true, true, false, false], [true, true, true, true, true]], query_mask: [[true, true, false], [true, true, true]] }),
  makeCase(random, 'AdditiveAttention', {}),
  makeCase(random, 'AdditiveAttention', { use_scale: false }),
  makeCase(random, 'AdditiveAttention', { value_mask: [[true, false, true, false, true], [true, true, false, false, false]] }),
];

function runOurs(c: AttentionCase): { output: tf.Tensor; weights: tf.Tensor; grads: Record<string, tf.Tensor> } {
  const layer = c.layer === 'Attention' ? new LuongAttention({ useScale: c.use_scale, scoreMode: c.score_mode }) : new BahdanauAttention({ useScale: c.use_scale });
  const query = tf.tensor(c.query as number[]);
  const value = tf.tensor(c.value as number[]);
  const key = c.key ? tf.tensor(c.key as number[]) : undefined;
  const inputs = key ? [query, value, key] : [query, value];
  layer.build(inputs.map((t) => t.shape));
  for (const weight of layer.weights) weight.write(tf.tensor(c[weight.originalName.split('/').pop() as 'scale'] as number[]));
  const mask = [c.query_mask ? tf.tensor(c.query_mask, undefined, 'bool') : null, c.value_mask ? tf.tensor(c.value_mask, undefined, 'bool') : null];
  const upstream = tf.tensor(c.upstream as number[]);
  const names = ['query', 'value', ...(key ? ['key'] : [])];
  const f = (...xs: tf.Tensor[]) => {
    const [output] = layer.call(xs.slice(0, inputs.length), { mask }) as tf.Tensor[];
    return tf.sum(tf.mul(output, upstream));
  };
  const grads = tf.grads(f)([...inputs]);
  const variables = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const weightGrads = variables.length > 0 ? tf.variableGrads(() => f(...inputs) as tf.Scalar, variables).grads : {};
  const [output, weights] = layer.call(inputs, { mask }) as tf.Tensor[];
  const all: Record<string, tf.Tensor> = Object.fromEntries(names.map((name, i) => [name, grads[i]]));
  for (const [name, grad] of Object.entries(weightGrads)) all[name.split('/').pop()!.replace(/_\d+$/, '')] = grad;
  return { output, weights, grads: all };
}

function maxDifference(a: tf.Tensor, b: Nested): number {
  return tf.max(tf.abs(tf.sub(a, tf.tensor(b as number[])))).dataSync()[0];
}

describe('attention', () => {
  before(async () => {
    await initBackend('cpu', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  test('weights sum to 1 over the source steps, masked steps get none, and a masked query outputs 0', () => {
    const c = CASES[4];
    const { output, weights } = runOurs(c);
    const sums = tf.sum(weights, -1).arraySync() as number[][];
    for (const row of sums.flat()) assert.ok(Math.abs(row - 1) < 1e-6, String(row));
    const w = weights.arraySync() as number[][][];
    for (const row of w[0]) assert.ok(row[3] < 1e-12 && row[4] < 1e-12);
    assert.deepEqual((output.arraySync() as number[][][])[0][2], [0, 0, 0, 0]);
  });

  test('dot scores are query · key; additive Σ v tanh(q + k), by hand on one pair', () => {
    const q = tf.tensor3d([[[1, 2]]]);
    const k = tf.tensor3d([[[3, -1], [0.5, 0.5]]]);
    assert.deepEqual(Array.from(attentionScores(q, k, 'dot').dataSync()), [1, 1.5]);
    const additive = attentionScores(q, k, 'additive', { scale: tf.tensor1d([2, -1]) }).dataSync();
    assert.ok(Math.abs(additive[0] - (2 * Math.tanh(4) - Math.tanh(1))) < 1e-6);
    const { weights } = applyAttention(tf.tensor3d([[[0, Math.log(3)]]]), tf.tensor3d([[[1], [5]]]));
    assert.deepEqual(Array.from(weights.dataSync()).map((x) => x.toFixed(6)), ['0.250000', '0.750000']);
  });

  test('a layer returns [output, weights] shaped [batch, Tq, dim_v] and [batch, Tq, Tv], and round-trips its config', () => {
    const layer = new BahdanauAttention({ name: 'bahdanau' });
    assert.deepEqual(layer.computeOutputShape([[null, 7, 16], [null, 9, 16]]), [[null, 7, 16], [null, 7, 9]]);
    const config = new LuongAttention({ useScale: true, scoreMode: 'concat' }).getConfig();
    const copy = LuongAttention.fromConfig(LuongAttention, config) as LuongAttention;
    assert.equal(copy.scoreMode, 'concat');
    assert.equal(copy.useScale, true);
  });

  describe('equal real Keras 3 layers on the same inputs: outputs, weights and every gradient within 1e-5', { skip: skipWithoutReferencePython() }, () => {
    let expected: { output: Nested; weights: Nested; grads: Record<string, Nested> }[] = [];
    before(() => {
      expected = JSON.parse(runReferencePython(join(__dirname, '..', 'python', 'keras_attention.py'), [], { input: JSON.stringify(CASES) }));
    });
    CASES.forEach((c, i) => {
      const label = `${c.layer}${c.use_scale ? ' use_scale' : ''}${c.score_mode === 'concat' ? ' concat' : ''}${c.key ? ' with key' : ''}${c.value_mask ? ' masked' : ''}`;
      test(label, () => {
        const ours = runOurs(c);
        const reference = expected[i];
        assert.ok(maxDifference(ours.output, reference.output) < 1e-5, 'output');
        assert.ok(maxDifference(ours.weights, reference.weights) < 1e-5, 'weights');
        assert.deepEqual(Object.keys(ours.grads).sort(), Object.keys(reference.grads).sort());
        for (const [name, grad] of Object.entries(reference.grads)) assert.ok(maxDifference(ours.grads[name], grad) < 1e-5, `gradient of ${name}: ${maxDifference(ours.grads[name], grad)}`);
      });
    });
  });
});

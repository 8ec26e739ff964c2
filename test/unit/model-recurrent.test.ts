import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../src/data/random';
import type { LayerSpec, RecurrentLayerSpec, RecurrentType } from '../../src/language/types';
import { initBackend } from '../../src/model/backend';
import { buildModel } from '../../src/model/build';
import { createRecurrentLayer } from '../../src/model/recurrent';
import { implementationOf, recurrentSequence } from '../../src/model/recurrentCall';
import { DropoutMaskSource, GATES, maskCounts } from '../../src/model/recurrentDropout';
import { kernelThreads, setKernelThreads } from '../../src/model/recurrentKernel';
import { referenceSequence, type SequenceOptions } from '../../src/model/recurrentReference';
import { train } from '../../src/training/trainer';
import { recurrent, seeded, spec, tokenData, valueData } from './model-fixtures';

const CELLS: RecurrentType[] = ['simple_rnn', 'lstm', 'gru'];
const [BATCH, STEPS, FEATURES, UNITS] = [3, 6, 4, 5];

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

/** A fixed random weighting of the output, so every output element gets its own upstream gradient. */
function weightedSum(shape: number[]): (y: tf.Tensor) => tf.Scalar {
  const weights = tf.keep(tf.randomNormal(shape, 0, 1, 'float32', 11));
  return (y) => tf.sum(tf.mul(y, weights));
}

/** Zero-padded sequences (pre-padding, as the tokenizer pads) and their Keras mask `[batch, steps]`. */
function paddedInputs(): { x: tf.Tensor; mask: tf.Tensor } {
  const lengths = [STEPS, 3, 1];
  const mask = tf.tensor2d(lengths.flatMap((length) => Array.from({ length: STEPS }, (_, t) => (t >= STEPS - length ? 1 : 0))), [BATCH, STEPS]);
  const x = tf.mul(tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 3), tf.expandDims(mask, 2));
  return { x, mask };
}

function stockLayer(spec: RecurrentLayerSpec): tf.RNN {
  const common = { units: spec.units, returnSequences: spec.return_sequences, goBackwards: spec.go_backwards, name: `stock_${spec.type}` };
  switch (spec.type) {
    case 'simple_rnn':
      return tf.layers.simpleRNN(common) as tf.RNN;
    case 'lstm':
      return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid', unitForgetBias: true });
    case 'gru':
      return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' }) as tf.RNN;
  }
}

/** Output and gradients (input, then every weight) of `run(x, kernel, recurrentKernel, bias)`. */
function outputAndGrads(run: (...args: tf.Tensor[]) => tf.Tensor, args: tf.Tensor[], upstream: (y: tf.Tensor) => tf.Scalar) {
  const output = run(...args);
  const grads = tf.grads((...inputs: tf.Tensor[]) => upstream(run(...inputs)))(args);
  return { output, grads };
}

/** Output and gradients (input, then every weight) of a layer in training mode. */
function layerOutputAndGrads(layer: tf.RNN, x: tf.Tensor, kwargs: object, upstream: (y: tf.Tensor) => tf.Scalar) {
  const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const output = layer.apply(x, kwargs) as tf.Tensor;
  const { grads } = tf.variableGrads(() => upstream(layer.apply(x, { ...kwargs, training: true }) as tf.Tensor), weights);
  const dx = tf.grad((input: tf.Tensor) => upstream(layer.apply(input, { ...kwargs, training: true }) as tf.Tensor))(x);
  return { output, grads: [dx, ...weights.map((w) => grads[w.name])] };
}

function sequenceOptions(spec: RecurrentLayerSpec, extra: Partial<SequenceOptions> = {}): SequenceOptions {
  return {
    cell: spec.type,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    goBackwards: spec.go_backwards,
    returnSequences: spec.return_sequences,
    inputMasks: [],
    recurrentMasks: [],
    ...extra,
  };
}

/** Masks as `DropoutMaskSource` draws them for a layer of `spec` seeded `seed`, as tensors. */
function fixedMasks(spec: RecurrentLayerSpec, seed: number): Pick<SequenceOptions, 'inputMasks' | 'recurrentMasks'> {
  const drawn = new DropoutMaskSource(spec, seed).draw(BATCH, FEATURES);
  return {
    inputMasks: drawn.input.map((values) => tf.tensor2d(values, [BATCH, FEATURES])),
    recurrentMasks: drawn.recurrent.map((values) => tf.tensor2d(values, [BATCH, spec.units])),
  };
}

/**
 * Central finite differences of `loss` at `count` coordinates of `args[which]` (all of them when
 * there are fewer), to compare with the analytic gradient there.
 */
function finiteDifferences(loss: (args: tf.Tensor[]) => number, args: tf.Tensor[], which: number, count: number): { index: number; value: number }[] {
  const values = args[which].dataSync().slice();
  const step = 1e-2;
  const indices = values.length <= count ? values.map((_, i) => i) : Array.from({ length: count }, (_, k) => Math.floor((k * values.length) / count));
  return Array.from(indices, (index) => {
    const at = (delta: number): number => {
      const shifted = values.slice();
      shifted[index] += delta;
      const replaced = args.map((arg, k) => (k === which ? tf.tensor(shifted, arg.shape) : arg));
      const value = loss(replaced);
      replaced[which].dispose();
      return value;
    };
    return { index, value: (at(step) - at(-step)) / (2 * step) };
  });
}

describe('recurrent layers', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  describe("match tfjs's stock layers in output and gradients without dropout", () => {
    const configurations: { label: string; extra: Partial<RecurrentLayerSpec>; masked?: boolean }[] = [
      { label: 'last output', extra: {} },
      { label: 'return_sequences', extra: { return_sequences: true } },
      { label: 'go_backwards + return_sequences', extra: { return_sequences: true, go_backwards: true } },
      { label: 'go_backwards', extra: { go_backwards: true } },
      { label: 'masked (mask_zero)', extra: { return_sequences: true }, masked: true },
      { label: 'masked, go_backwards', extra: { go_backwards: true }, masked: true },
    ];
    for (const cell of CELLS) {
      for (const { label, extra, masked } of configurations) {
        it(`${cell}: ${label}`, () =>
          tf.tidy(() => {
            const spec = recurrent(cell, UNITS, extra);
            const ours = createRecurrentLayer(spec, { name: `ours_${cell}`, seed: 5 });
            const stock = stockLayer(spec);
            const { x, mask } = masked ? paddedInputs() : { x: tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 2), mask: undefined };
            const kwargs = mask ? { mask } : {};
            ours.apply(x, kwargs);
            stock.apply(x, kwargs);
            stock.setWeights(ours.getWeights());
            const upstream = weightedSum((ours.apply(x, kwargs) as tf.Tensor).shape);
            const a = layerOutputAndGrads(ours, x, kwargs, upstream);
            const b = layerOutputAndGrads(stock, x, kwargs, upstream);
            assert.ok(maxAbsDiff(a.output, b.output) < 1e-5, 'output');
            ['input', 'kernel', 'recurrent kernel', 'bias'].forEach((name, k) => assert.ok(maxAbsDiff(a.grads[k], b.grads[k]) < 1e-4, `${name} gradient`));
          }));
      }
    }
  });

  describe('dropout: Keras 2 masks, honest gradients', () => {
    it('draws one mask shared by the gates without recurrent dropout, one per gate with it (Keras implementation 1)', () => {
      for (const cell of CELLS) {
        assert.deepEqual(maskCounts({ type: cell, dropout: 0.3, recurrent_dropout: 0 }), { input: 1, recurrent: 0 });
        assert.deepEqual(maskCounts({ type: cell, dropout: 0.3, recurrent_dropout: 0.2 }), { input: GATES[cell], recurrent: GATES[cell] });
        assert.deepEqual(maskCounts({ type: cell, dropout: 0, recurrent_dropout: 0.2 }), { input: 0, recurrent: GATES[cell] });
        assert.deepEqual(maskCounts({ type: cell, dropout: 0, recurrent_dropout: 0 }), { input: 0, recurrent: 0 });
      }
      assert.deepEqual([GATES.lstm, GATES.gru, GATES.simple_rnn], [4, 3, 1]);
    });

    it('masks are inverted dropout (0 or 1 / (1 - rate)), independent per gate, and reproducible from the seed', () => {
      const spec = recurrent('lstm', 64, { dropout: 0.25, recurrent_dropout: 0.5 });
      const drawn = new DropoutMaskSource(spec, 42).draw(32, 100);
      const again = new DropoutMaskSource(spec, 42).draw(32, 100);
      const other = new DropoutMaskSource(spec, 43).draw(32, 100);
      for (const [masks, rate] of [[drawn.input, 0.25], [drawn.recurrent, 0.5]] as const) {
        for (const mask of masks) {
          assert.ok(mask.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6), 'values');
          const dropped = mask.filter((v) => v === 0).length / mask.length;
          assert.ok(Math.abs(dropped - rate) < 0.05, `drop fraction ${dropped} for rate ${rate}`);
        }
        assert.notDeepEqual(masks[0], masks[1], 'each gate has its own mask');
      }
      assert.deepEqual(drawn, again);
      assert.notDeepEqual(drawn.input[0], other.input[0]);
      const second = new DropoutMaskSource(spec, 42);
      second.draw(32, 100);
      assert.notDeepEqual(second.draw(32, 100).input[0], drawn.input[0], 'a new mask per batch');
    });

    for (const cell of CELLS) {
      for (const rates of [{ dropout: 0.5, recurrent_dropout: 0 }, { dropout: 0.5, recurrent_dropout: 0.5 }, { dropout: 0, recurrent_dropout: 0.4 }]) {
        it(`${cell} ${JSON.stringify(rates)}: output and gradients equal the reference unroll and its finite differences, with fixed masks`, () =>
          tf.tidy(() => {
            const spec = recurrent(cell, UNITS, { return_sequences: true, ...rates });
            const layer = createRecurrentLayer(spec, { name: 'dropped', seed: 1 });
            const x = tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 4);
            layer.apply(x);
            const weights = layer.getWeights().map((w, k) => (k === 2 ? tf.randomNormal(w.shape, 0, 0.3, 'float32', 9) : w));
            const options = sequenceOptions(spec, fixedMasks(spec, 77));
            const upstream = weightedSum([BATCH, STEPS, UNITS]);
            const ours = outputAndGrads((...args) => recurrentSequence(args[0], args[1], args[2], args[3], options).output, [x, ...weights], upstream);
            const reference = (...args: tf.Tensor[]) => referenceSequence(args[0], args[1], args[2], args[3], options);
            const expected = outputAndGrads(reference, [x, ...weights], upstream);
            assert.ok(maxAbsDiff(ours.output, expected.output) < 1e-5, 'output');
            ['input', 'kernel', 'recurrent kernel', 'bias'].forEach((name, k) => assert.ok(maxAbsDiff(ours.grads[k], expected.grads[k]) < 1e-4, `${name} gradient`));
            const loss = (args: tf.Tensor[]): number => tf.tidy(() => upstream(reference(...args)).dataSync()[0]);
            [0, 1, 2, 3].forEach((which) => {
              const analytic = ours.grads[which].dataSync();
              for (const { index, value } of finiteDifferences(loss, [x, ...weights], which, 24)) {
                assert.ok(Math.abs(analytic[index] - value) < 2e-3 * Math.max(1, Math.abs(value)), `argument ${which}[${index}]: ${analytic[index]} vs finite difference ${value}`);
              }
            });
          }));
      }
    }

    it('a layer in training draws its masks from its seed (the first batch gets the seed sequence\'s first masks)', () =>
      tf.tidy(() => {
        for (const cell of CELLS) {
          const spec = recurrent(cell, UNITS, { return_sequences: true, dropout: 0.3, recurrent_dropout: 0.3 });
          const layer = createRecurrentLayer(spec, { name: 'seeded', seed: 99 });
          const x = tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 5);
          const trained = layer.apply(x, { training: true }) as tf.Tensor;
          const [kernel, recurrentKernel, bias] = layer.getWeights();
          const expected = referenceSequence(x, kernel, recurrentKernel, bias, sequenceOptions(spec, fixedMasks(spec, 99)));
          assert.ok(maxAbsDiff(trained, expected) < 1e-5, cell);
          assert.ok(maxAbsDiff(layer.apply(x) as tf.Tensor, layer.apply(x) as tf.Tensor) === 0, 'inference is deterministic');
        }
      }));
  });

  it('splits a batch across 1, 2 or 3 threads with the same output and gradients', () =>
    tf.tidy(() => {
      const initial = kernelThreads();
      try {
        for (const cell of CELLS) {
          const spec = recurrent(cell, UNITS, { return_sequences: true, go_backwards: true, dropout: 0.3, recurrent_dropout: 0.3 });
          const { x, mask } = paddedInputs();
          const weights = createRecurrentLayer(spec, { name: 'threads', seed: 3 });
          weights.apply(x);
          const options = sequenceOptions(spec, { ...fixedMasks(spec, 5), sequenceMask: mask });
          const upstream = weightedSum([BATCH, STEPS, UNITS]);
          const args = [x, ...weights.getWeights()];
          const expected = outputAndGrads((...a) => referenceSequence(a[0], a[1], a[2], a[3], options), args, upstream);
          for (const threads of [1, 2, 3]) {
            setKernelThreads(threads);
            const ours = outputAndGrads((...a) => recurrentSequence(a[0], a[1], a[2], a[3], options).output, args, upstream);
            assert.ok(maxAbsDiff(ours.output, expected.output) < 1e-5, `${cell}, ${threads} threads: output`);
            ours.grads.forEach((grad, k) => assert.ok(maxAbsDiff(grad, expected.grads[k]) < 1e-4, `${cell}, ${threads} threads: gradient ${k}`));
          }
        }
      } finally {
        setKernelThreads(initial);
      }
    }));

  describe('seeds', () => {
    it('the same seed gives the same initial weights, another seed other weights', () => {
      for (const cell of CELLS) {
        const weightsOf = (seed: number) => {
          const layer = createRecurrentLayer(recurrent(cell, 8), { name: `w_${cell}`, seed });
          layer.build([null, STEPS, FEATURES]);
          return layer.getWeights().map((w) => Array.from(w.dataSync()));
        };
        const [a, b, c] = [weightsOf(deriveSeed(7, 'layer', cell)), weightsOf(deriveSeed(7, 'layer', cell)), weightsOf(deriveSeed(8, 'layer', cell))];
        assert.deepEqual(a, b);
        assert.notDeepEqual(a[0], c[0]);
        assert.notDeepEqual(a[1], c[1]);
      }
    });
  });

  it('records which implementation ran', () =>
    tf.tidy(() => {
      const cases: [RecurrentLayerSpec, string][] = [
        [recurrent('lstm', 3), 'wasm'],
        [recurrent('lstm', 3, { dropout: 0.2 }), 'wasm'],
        [recurrent('gru', 3, { activation: 'elu' }), 'reference'],
      ];
      for (const [spec, expected] of cases) {
        const layer = createRecurrentLayer(spec, { name: 'which', seed: 1 });
        assert.equal(implementationOf(layer), undefined);
        layer.apply(tf.zeros([2, 4, 3]), { training: true });
        assert.equal(implementationOf(layer), expected, JSON.stringify(spec));
      }
    }));
});

describe('recurrent training is reproducible from the seed', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  const data = valueData({ count: 24, timesteps: 5, features: 3 });
  const rates = { dropout: 0.3, recurrent_dropout: 0.3 };
  // Only recurrent layers, so every weight of the model is ours to seed (one unit: the output).
  const models: [string, LayerSpec[]][] = [
    ['simple_rnn', [recurrent('simple_rnn', 4, { ...rates, return_sequences: true }), recurrent('simple_rnn', 1, rates)]],
    ['lstm', [recurrent('lstm', 4, { ...rates, return_sequences: true }), recurrent('lstm', 1, rates)]],
    ['gru', [recurrent('gru', 4, { ...rates, return_sequences: true }), recurrent('gru', 1, rates)]],
    ['bidirectional', [{ type: 'bidirectional', layer: recurrent('lstm', 1, rates), merge_mode: 'sum' }]],
  ];

  async function trainedWeights(layers: LayerSpec[], seed: number): Promise<Float32Array[]> {
    const base = spec(layers, { loss: 'mse', metrics: [], epochs: 2, batch_size: 8 });
    const result = await train({ spec: { ...base, data: { ...base.data, seed } }, data, epochs: 2, emit: () => undefined, shouldStop: () => false });
    const weights = result.model.getWeights().map((w) => w.dataSync() as Float32Array);
    result.model.dispose();
    return weights;
  }

  for (const [label, layers] of models) {
    it(`${label}: two runs with dropout and recurrent dropout end with bit-identical weights; another seed differs`, async () => {
      const [a, b, c] = [await trainedWeights(layers, 7), await trainedWeights(layers, 7), await trainedWeights(layers, 8)];
      assert.equal(a.length, b.length);
      a.forEach((weights, k) => assert.deepEqual(Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength), Buffer.from(b[k].buffer, b[k].byteOffset, b[k].byteLength), `weight ${k}`));
      assert.ok(a.some((weights, k) => weights.some((v, i) => v !== c[k][i])), 'seed 8 trains other weights');
    });
  }

  it('the two directions of a bidirectional layer start from different weights', () => {
    const model = buildModel(spec([{ type: 'bidirectional', layer: recurrent('gru', 3), merge_mode: 'concat' }]), data);
    const [forwardKernel, , , backwardKernel] = model.getWeights();
    assert.notDeepEqual(Array.from(forwardKernel.dataSync()), Array.from(backwardKernel.dataSync()));
    model.optimizer.dispose();
    model.dispose();
  });
});

describe('the fast path is taken', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  const tokens = tokenData({ count: 8, timesteps: 7, vocab: 30 });
  const embedding = (maskZero: boolean): LayerSpec => ({ type: 'embedding', output_dim: 4, mask_zero: maskZero });
  const configurations: [string, LayerSpec[]][] = CELLS.flatMap((cell): [string, LayerSpec[]][] => [
    [`${cell}`, [embedding(false), recurrent(cell, 3)]],
    [`${cell} masked, dropout, recurrent dropout`, [embedding(true), recurrent(cell, 3, { dropout: 0.2, recurrent_dropout: 0.2 })]],
    [`${cell} stacked, return_sequences, go_backwards`, [embedding(false), recurrent(cell, 3, { return_sequences: true, go_backwards: true }), recurrent(cell, 2)]],
    [`bidirectional ${cell}, masked, concat`, [embedding(true), { type: 'bidirectional', layer: recurrent(cell, 3, { dropout: 0.1 }), merge_mode: 'concat' }]],
    [`bidirectional ${cell}, return_sequences, ave, stacked`, [embedding(false), { type: 'bidirectional', layer: recurrent(cell, 3, { return_sequences: true }), merge_mode: 'ave' }, recurrent(cell, 2)]],
  ]);

  /** Every recurrent layer of the model, the two directions of a bidirectional one included. */
  function recurrentLayers(model: tf.LayersModel): tf.layers.Layer[] {
    return model.layers.flatMap((layer) => {
      const inner = layer as unknown as { forwardLayer?: tf.layers.Layer; backwardLayer?: tf.layers.Layer };
      if (inner.forwardLayer && inner.backwardLayer) return [inner.forwardLayer, inner.backwardLayer];
      return ['SimpleRNN', 'LSTM', 'GRU'].includes(layer.getClassName()) ? [layer] : [];
    });
  }

  for (const [label, layers] of configurations) {
    it(`${label}: every recurrent layer runs the wasm kernel, in training and in inference`, () =>
      tf.tidy(() => {
        const model = buildModel(spec(layers), tokens);
        const x = tf.tensor(tokens.train.x.slice(0, 4 * 7), [4, 7], 'int32');
        const expected = layers.filter((l) => l.type !== 'embedding').flatMap((l) => (l.type === 'bidirectional' ? [1, 1] : [1])).length;
        const rnns = recurrentLayers(model);
        assert.equal(rnns.length, expected);
        tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as tf.Tensor), model.trainableWeights.map((w) => w.read() as tf.Variable));
        for (const layer of rnns) assert.equal(implementationOf(layer), 'wasm', `${layer.name} in training`);
        model.apply(x);
        for (const layer of rnns) assert.equal(implementationOf(layer), 'wasm', `${layer.name} in inference`);
        model.optimizer.dispose();
        model.dispose();
      }));
  }

  /** `rows` token sequences of 7 over the 30-word vocabulary, pre-padded with zeros as the tokenizer pads. */
  function tokenBatch(rows: number): tf.Tensor {
    const random = seeded(rows);
    const ids = Array.from({ length: rows * 7 }, (_, i) => (i % 7 < (i / 7) % 3 ? 0 : 1 + Math.floor(random() * 29)));
    return tf.tensor2d(ids, [rows, 7], 'int32');
  }

  for (const [label, layers] of configurations) {
    it(`${label}: inference on embedded tokens reads the table's product with the kernel once it pays, with the same outputs bit for bit`, () =>
      tf.tidy(() => {
        const model = buildModel(spec(layers), tokens);
        const firstRecurrent = recurrentLayers(model).slice(0, layers[1].type === 'bidirectional' ? 2 : 1);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        /** The outputs with a gradient tape recording: the training forward pass (no dropout: not in training). */
        const tapedForward = (x: tf.Tensor): Float32Array => {
          let output: tf.Tensor | undefined;
          tf.variableGrads(() => tf.sum((output = tf.keep(model.apply(x) as tf.Tensor))), variables);
          return (output as tf.Tensor).dataSync() as Float32Array;
        };
        const implementations = (): (string | undefined)[] => firstRecurrent.map((layer) => implementationOf(layer));

        const small = tokenBatch(2); // 14 steps < 30 table rows: the direct products are cheaper
        model.apply(small);
        assert.deepEqual(implementations(), firstRecurrent.map(() => 'wasm'));
        const large = tokenBatch(8); // 56 steps
        for (let update = 0; update < 2; update++) {
          const inferred = (model.apply(large) as tf.Tensor).dataSync();
          assert.deepEqual(implementations(), firstRecurrent.map(() => 'wasm-projected'), `update ${update}`);
          assert.deepEqual(Array.from(inferred), Array.from(tapedForward(large)), `update ${update}: inference equals the training forward`);
          model.apply(small); // the product is made: now it is used for any batch
          assert.deepEqual(implementations(), firstRecurrent.map(() => 'wasm-projected'));
          // New weights: tfjs gives the variables new data, and the next inference a new product.
          const { grads } = tf.variableGrads(() => tf.sum(model.apply(large, { training: true }) as tf.Tensor), variables);
          tf.train.sgd(0.5).applyGradients(grads);
        }
        model.optimizer.dispose();
        model.dispose();
      }));
  }

  it('SEQLAB_RECURRENT=stock builds tfjs\'s own layers, bidirectional ones included', () => {
    process.env.SEQLAB_RECURRENT = 'stock';
    try {
      const model = buildModel(spec([embedding(false), { type: 'bidirectional', layer: recurrent('gru', 3), merge_mode: 'concat' }]), tokens);
      for (const layer of recurrentLayers(model)) assert.equal(layer.call, Object.getPrototypeOf(layer).call, `${layer.name} keeps tfjs's call`);
      model.optimizer.dispose();
      model.dispose();
    } finally {
      delete process.env.SEQLAB_RECURRENT;
    }
  });
});

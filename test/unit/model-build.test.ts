import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../src/data/random';
import { initBackend } from '../../src/model/backend';
import { buildModel, modelSummary } from '../../src/model/build';
import { summarize } from '../../src/language/summary';
import type { LayerSpec } from '../../src/language/types';
import { recurrent, spec, tokenData, valueData } from './model-fixtures';

const WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

// Keras parameter formulas, i = input features, u = units.
const simpleRnnParams = (i: number, u: number): number => u * (i + u + 1);
const lstmParams = (i: number, u: number): number => 4 * u * (i + u + 1);
/** tfjs's GRU is Keras's `GRU(reset_after=False)`; Keras 2's default (reset_after=True) has 3u more. */
const gruParams = (i: number, u: number): number => 3 * u * (i + u + 1);
const denseParams = (i: number, u: number): number => i * u + u;

const tokens = tokenData({ count: 8, timesteps: 12, vocab: 50 });
const values = valueData({ count: 8, timesteps: 12, features: 3 });

function summaryOf(layers: LayerSpec[], data = tokens) {
  const model = buildModel(spec(layers), data);
  const summary = modelSummary(model);
  model.optimizer.dispose();
  model.dispose();
  return summary;
}

describe('buildModel', () => {
  before(async () => {
    await initBackend('wasm', WASM_DIR);
  });

  it("builds the seed's IMDB model with Keras's parameter counts", () => {
    const imdb = { ...tokens, vocabulary: { tokens: Array.from({ length: 10_000 }, (_, i) => `t${i}`), level: 'word' as const }, timesteps: 200 };
    const summary = summaryOf(
      [{ type: 'embedding', output_dim: 128, mask_zero: false }, recurrent('lstm', 64, { dropout: 0.2, recurrent_dropout: 0.2 }), { type: 'dense', units: 1, activation: 'sigmoid' }],
      imdb,
    );
    assert.deepEqual(
      summary.layers.map(({ name, outputShape, params }) => [name, outputShape, params]),
      [
        ['embedding', [null, 200, 128], 1_280_000],
        ['lstm', [null, 64], 49_408],
        ['dense', [null, 1], 65],
      ],
    );
    assert.equal(summary.totalParams, 1_329_473);
    assert.deepEqual(summary.inputShape, [null, 200]);
  });

  it('counts SimpleRNN, LSTM and GRU stacks like the Keras formulas, with Keras layer names', () => {
    const summary = summaryOf(
      [
        recurrent('simple_rnn', 5, { return_sequences: true }),
        recurrent('lstm', 6, { return_sequences: true }),
        recurrent('gru', 7, { return_sequences: true }),
        recurrent('lstm', 4),
        { type: 'dense', units: 2, activation: 'softmax' },
      ],
      values,
    );
    assert.deepEqual(
      summary.layers.map((layer) => [layer.name, layer.params]),
      [
        ['simple_rnn', simpleRnnParams(3, 5)],
        ['lstm', lstmParams(5, 6)],
        ['gru', gruParams(6, 7)],
        ['lstm_1', lstmParams(7, 4)],
        ['dense', denseParams(4, 2)],
      ],
    );
    assert.deepEqual(summary.layers[2].outputShape, [null, 12, 7]);
  });

  it('doubles the wrapped layer for bidirectional and applies time_distributed dense per step', () => {
    const summary = summaryOf([
      { type: 'embedding', output_dim: 8, mask_zero: false },
      { type: 'bidirectional', layer: recurrent('gru', 5, { return_sequences: true }), merge_mode: 'concat' },
      { type: 'bidirectional', layer: recurrent('lstm', 3, { return_sequences: true }), merge_mode: 'sum' },
      { type: 'dropout', rate: 0.1 },
      { type: 'time_distributed', layer: { type: 'dense', units: 50, activation: 'softmax' } },
    ]);
    assert.deepEqual(
      summary.layers.map((layer) => [layer.name, layer.outputShape, layer.params]),
      [
        ['embedding', [null, 12, 8], 50 * 8],
        ['bidirectional', [null, 12, 10], 2 * gruParams(8, 5)],
        ['bidirectional_1', [null, 12, 3], 2 * lstmParams(10, 3)],
        ['dropout', [null, 12, 3], 0],
        ['time_distributed', [null, 12, 50], denseParams(3, 50)],
      ],
    );
  });

  it("uses Keras's defaults: sigmoid recurrent activation, unit forget bias, glorot-uniform and orthogonal initialisers", () => {
    const model = buildModel(spec([recurrent('lstm', 4), { type: 'dense', units: 1, activation: 'sigmoid' }]), values);
    const config = model.getLayer('lstm').getConfig() as Record<string, unknown>;
    assert.equal(config.recurrentActivation, 'sigmoid');
    assert.equal(config.unitForgetBias, true);
    // tfjs serialises glorot-uniform as the variance scaling it is.
    assert.deepEqual((config.kernelInitializer as { config: object }).config, { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: deriveSeed(deriveSeed(7, 'layer', 'lstm'), 'kernel') });
    assert.equal((config.recurrentInitializer as { className: string }).className, 'Orthogonal');
    const [, , bias] = model.getLayer('lstm').getWeights();
    // Gate order i, f, c, o: the forget gate's biases start at 1, the rest at 0.
    assert.deepEqual(Array.from(bias.dataSync()), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    model.optimizer.dispose();
    model.dispose();
  });

  it('compiles with the spec optimizer and learning rate', () => {
    const model = buildModel(
      spec([recurrent('simple_rnn', 2), { type: 'dense', units: 1, activation: 'linear' }], {
        optimizer: { name: 'rmsprop', beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, rho: 0.8, momentum: 0 },
        learning_rate: 0.005,
        loss: 'mse',
        metrics: ['mae'],
      }),
      values,
    );
    const config = model.optimizer.getConfig();
    assert.equal(model.optimizer.getClassName(), 'RMSProp');
    assert.equal(config.learningRate, 0.005);
    assert.equal(config.decay, 0.8);
    model.optimizer.dispose();
    model.dispose();
  });

  it("agrees with the spec checker's summary, layer by layer", () => {
    const stacks: { layers: LayerSpec[]; data: typeof tokens }[] = [
      {
        data: tokens,
        layers: [
          { type: 'embedding', output_dim: 8, mask_zero: false, input_dim: 50 },
          { type: 'bidirectional', layer: recurrent('lstm', 5, { return_sequences: true }), merge_mode: 'ave' },
          recurrent('gru', 6, { return_sequences: true }),
          { type: 'time_distributed', layer: { type: 'dense', units: 50, activation: 'softmax' } },
        ],
      },
      {
        data: values,
        layers: [recurrent('simple_rnn', 4, { return_sequences: true }), { type: 'dropout', rate: 0.5 }, recurrent('lstm', 3), { type: 'dense', units: 2, activation: 'linear' }],
      },
    ];
    for (const { layers, data } of stacks) {
      const input = data.inputKind === 'tokens' ? { kind: 'tokens' as const, shape: [null, data.timesteps] } : { kind: 'values' as const, shape: [null, data.timesteps, data.features] };
      assert.deepEqual(summaryOf(layers, data), summarize(layers, input));
    }
  });

  it('takes the embedding input_dim from the vocabulary unless given', () => {
    assert.equal(summaryOf([{ type: 'embedding', output_dim: 2, mask_zero: false }]).layers[0].params, 50 * 2);
    assert.equal(summaryOf([{ type: 'embedding', output_dim: 2, mask_zero: false, input_dim: 70 }]).layers[0].params, 70 * 2);
  });

  it('leaves no tensors behind once the model and its optimizer are disposed', () => {
    const before = tf.memory().numTensors;
    const model = buildModel(spec([{ type: 'embedding', output_dim: 4, mask_zero: true }, recurrent('gru', 3)]), tokens);
    model.optimizer.dispose(); // the caller owns it: tfjs only disposes optimizers it created from a name
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

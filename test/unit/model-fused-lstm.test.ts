import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { useFusedLstm } from '../../src/model/fusedLstm';
import { createRecurrentLayer } from '../../src/model/recurrent';
import { recurrent } from './model-fixtures';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

/** Output and gradients (w.r.t. input and every weight) of `layer` for a fixed upstream gradient. */
function outputAndGrads(layer: tf.layers.Layer, x: tf.Tensor, upstream: (y: tf.Tensor) => tf.Scalar) {
  const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const output = layer.apply(x) as tf.Tensor;
  const { grads } = tf.variableGrads(() => upstream(layer.apply(x, { training: true }) as tf.Tensor), weights);
  const dx = tf.grad((input: tf.Tensor) => upstream(layer.apply(input, { training: true }) as tf.Tensor))(x);
  return { output, grads: weights.map((w) => grads[w.name]), dx };
}

describe('fused LSTM', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  for (const options of [{ return_sequences: false }, { return_sequences: true }, { return_sequences: true, go_backwards: true }]) {
    it(`matches tfjs's stock LSTM in output and gradients (${JSON.stringify(options)})`, () => {
      const spec = recurrent('lstm', 5, options);
      const fused = createRecurrentLayer(spec, { name: 'fused' });
      assert.notEqual(fused.call, Object.getPrototypeOf(fused).call, 'the factory installs the fused call');
      const stock = tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', unitForgetBias: true, name: 'stock', ...(options.go_backwards ? { goBackwards: true } : {}), returnSequences: options.return_sequences });
      const x = tf.randomNormal([3, 7, 4]);
      fused.apply(x);
      stock.apply(x);
      stock.setWeights(fused.getWeights());
      // A weighted sum, so every output element gets a distinct upstream gradient.
      const weightsOut = tf.randomNormal((fused.apply(x) as tf.Tensor).shape);
      const upstream = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y, weightsOut));

      const a = outputAndGrads(fused, x, upstream);
      const b = outputAndGrads(stock, x, upstream);
      assert.ok(maxAbsDiff(a.output, b.output) < 1e-5, 'output');
      assert.ok(maxAbsDiff(a.dx, b.dx) < 1e-4, 'input gradient');
      ['kernel', 'recurrent kernel', 'bias'].forEach((name, k) => assert.ok(maxAbsDiff(a.grads[k], b.grads[k]) < 1e-4, `${name} gradient`));
    });
  }

  it('applies variational dropout only in training, and backpropagates through it', () => {
    const layer = createRecurrentLayer(recurrent('lstm', 4, { dropout: 0.5, recurrent_dropout: 0.5 }), { name: 'dropped' });
    const x = tf.randomNormal([8, 5, 3]);
    const inference = layer.apply(x) as tf.Tensor;
    assert.ok(maxAbsDiff(inference, layer.apply(x) as tf.Tensor) === 0, 'inference is deterministic');
    assert.ok(maxAbsDiff(inference, layer.apply(x, { training: true }) as tf.Tensor) > 1e-3, 'training drops units');
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor), weights);
    assert.ok(weights.every((w) => Number.isFinite(tf.sum(tf.abs(grads[w.name])).dataSync()[0])));
  });

  it('honours a returnSequences override (probe twins)', () => {
    const layer = createRecurrentLayer(recurrent('lstm', 4), { name: 'twin', returnSequences: true });
    assert.deepEqual((layer.apply(tf.randomNormal([2, 6, 3])) as tf.Tensor).shape, [2, 6, 4]);
  });

  it('leaves other activations to the stock implementation', () => {
    const layer = tf.layers.lstm({ units: 2 });
    const stockCall = layer.call;
    useFusedLstm(layer, recurrent('lstm', 2, { recurrent_activation: 'hard_sigmoid' }));
    assert.equal(layer.call, stockCall);
  });
});

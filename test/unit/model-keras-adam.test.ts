/** Adam takes Keras's steps: epsilon on the uncorrected sqrt(v), bias corrections in the step size. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { createOptimizer } from '../../src/model/optimizer';
import { KerasAdamOptimizer } from '../../src/model/kerasAdam';
import { KERAS_ADAM_UPDATE, kerasAdamKernelAvailable } from '../../src/model/kerasAdamKernel';

const LR = 0.001;
const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-7;

/** `steps` updates of one value, in double precision, by Keras's formula or by Kingma & Ba's (tfjs's). */
function reference(start: number, gradients: readonly number[], form: 'keras' | 'kingma-ba'): number {
  let [value, m, v] = [start, 0, 0];
  gradients.forEach((g, i) => {
    const t = i + 1;
    m = B1 * m + (1 - B1) * g;
    v = B2 * v + (1 - B2) * g * g;
    value -=
      form === 'keras'
        ? ((LR * Math.sqrt(1 - B2 ** t)) / (1 - B1 ** t)) * (m / (Math.sqrt(v) + EPS))
        : (LR * (m / (1 - B1 ** t))) / (Math.sqrt(v / (1 - B2 ** t)) + EPS);
  });
  return value;
}

describe("Keras's Adam", () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  it('updates every value as Keras does, small gradients included, where the Kingma-Ba form steps further', () => {
    const starts = [0.5, -0.3, 0.2];
    // Per step, a gradient per value: an ordinary one, and two near epsilon, where the forms part.
    const gradients = [
      [-0.2, 1e-6, 3e-7],
      [0.1, 2e-6, -1e-7],
      [0.05, 1e-6, 2e-7],
    ];
    const variable = tf.variable(tf.tensor1d(starts));
    const optimizer = new KerasAdamOptimizer(LR, B1, B2, EPS);
    for (const step of gradients) optimizer.applyGradients({ [variable.name]: tf.tensor1d(step) });
    const actual = Array.from(variable.dataSync());
    starts.forEach((start, i) => {
      const history = gradients.map((step) => step[i]);
      const keras = reference(start, history, 'keras');
      const kingmaBa = reference(start, history, 'kingma-ba');
      assert.ok(Math.abs(actual[i] - keras) < 1e-7, `value ${i}: ${actual[i]} vs Keras's ${keras}`);
      if (i > 0) assert.ok(Math.abs(kingmaBa - keras) > 1e-4, `value ${i}: the test cannot tell the forms apart`);
    });
    optimizer.dispose();
    variable.dispose();
  });

  it('takes the same steps in its one-pass kernel as in tfjs ops, bit for bit (wasm)', async () => {
    // Values spread over magnitudes, zeros and gradients near epsilon included.
    const n = 4096;
    const draw = (seed: number, scale: number) => Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : Math.sin(seed * 7919 + i * 104729) * scale ** ((i % 9) - 4)));
    const [theta, m, g] = [draw(1, 10), draw(2, 10), draw(4, 30)];
    const v = draw(3, 10).map(Math.abs);
    const step = { beta1: B1, beta2: B2, epsilon: EPS, stepSize: (LR * Math.sqrt(1 - B2 ** 3)) / (1 - B1 ** 3) };
    try {
      for (const backend of ['wasm']) {
        await tf.setBackend(backend);
        assert.ok(kerasAdamKernelAvailable(), `no kernel on ${backend}`);
        const [t0, m0, v0, g0] = [theta, m, v, g].map((values) => tf.tensor1d(values));
        const fused = (tf.engine().runKernel(KERAS_ADAM_UPDATE, { theta: t0, m: m0, v: v0, gradient: g0 }, step as unknown as tf.NamedAttrMap) as tf.Tensor[]).map((t) => t.dataSync());
        const mOps = tf.add(tf.mul(m0, B1), tf.mul(g0, 1 - B1));
        const vOps = tf.add(tf.mul(v0, B2), tf.mul(tf.square(g0), 1 - B2));
        const thetaOps = tf.sub(t0, tf.mul(tf.div(mOps, tf.add(tf.sqrt(vOps), EPS)), step.stepSize));
        const composed = [thetaOps, mOps, vOps].map((t) => t.dataSync());
        ['theta', 'm', 'v'].forEach((name, k) => {
          const [a, b] = [new Uint32Array(fused[k].buffer.slice(0)), new Uint32Array(Float32Array.from(composed[k]).buffer)];
          const differing = a.findIndex((bits, i) => bits !== b[i]);
          assert.equal(differing, -1, `${backend} ${name}[${differing}]: ${fused[k][differing]} vs ${composed[k][differing]}`);
        });
      }
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('is what `optimizer: adam` builds, saved as Adam with its settings', () => {
    const optimizer = createOptimizer({ optimizer: { name: 'adam', beta_1: B1, beta_2: B2, epsilon: EPS }, learning_rate: LR } as Parameters<typeof createOptimizer>[0]);
    assert.ok(optimizer instanceof KerasAdamOptimizer);
    assert.equal(optimizer.getClassName(), 'Adam');
    assert.deepEqual(optimizer.getConfig(), { learningRate: LR, beta1: B1, beta2: B2, epsilon: EPS });
    optimizer.dispose();
  });

  it('releases its moments when disposed', () => {
    const variable = tf.variable(tf.zeros([4, 3]));
    const before = tf.memory().numTensors;
    const optimizer = new KerasAdamOptimizer(LR, B1, B2, EPS);
    tf.tidy(() => optimizer.applyGradients({ [variable.name]: tf.ones([4, 3]) }));
    optimizer.dispose();
    assert.equal(tf.memory().numTensors, before);
    variable.dispose();
  });
});

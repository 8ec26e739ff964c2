/**
 * A recurrent layer's forward pass written step by step in plain tfjs ops, differentiated by tfjs's
 * autodiff: the readable definition of what the fast kernels compute, with Keras 2's semantics
 * where tfjs's stock layers differ (per-gate dropout masks, `implementation = 1`; the state carried
 * unmasked). Formulas: `tensorflow/python/keras/layers/recurrent.py` (SimpleRNNCell, LSTMCell,
 * GRUCell with reset_after=False) and `K.rnn` for masking.
 */
import * as tf from '@tensorflow/tfjs';
import type { RecurrentType } from '../language/types';

/** tfjs spells activations in camelCase. */
export type TfActivation = 'tanh' | 'relu' | 'sigmoid' | 'linear' | 'softmax' | 'hardSigmoid' | 'elu' | 'selu';

export interface SequenceOptions {
  cell: RecurrentType;
  activation: TfActivation;
  /** LSTM / GRU gates. */
  recurrentActivation: TfActivation;
  goBackwards: boolean;
  returnSequences: boolean;
  /** One `[batch, features]` mask shared by every gate, or one per gate; empty: no dropout. */
  inputMasks: tf.Tensor[];
  /** One `[batch, units]` mask shared by every gate, or one per gate; empty: no dropout. */
  recurrentMasks: tf.Tensor[];
  /** `[batch, timesteps]`, 1 where a step is real, 0 where it is padding (Keras `mask_zero`). */
  sequenceMask?: tf.Tensor;
}

export function applyActivation(name: TfActivation, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'relu':
      return tf.relu(x);
    case 'linear':
      return x;
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1); // tfjs's and Keras 2's definition
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'softmax':
      return tf.softmax(x);
  }
}

/**
 * The layer's output for x `[batch, timesteps, features]` with zero initial states: `[batch,
 * timesteps, units]` (in processing order, reversed for go_backwards, as Keras returns it) or the
 * last output `[batch, units]`. Weights in Keras's layout and gate order: kernel `[features, G*units]`,
 * recurrent kernel `[units, G*units]`, bias `[G*units]` (LSTM i,f,c,o; GRU z,r,h).
 */
export function referenceSequence(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, options: SequenceOptions): tf.Tensor {
  const [batch, steps] = x.shape;
  const units = recurrentKernel.shape[0];
  const gates = (kernel.shape[1] as number) / units;
  const block = (m: tf.Tensor, g: number): tf.Tensor => tf.slice(m, [0, g * units], [m.shape[0], units]);
  const gateMask = (masks: tf.Tensor[], g: number): tf.Tensor | undefined => masks[Math.min(g, masks.length - 1)];
  const masked = (value: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor => (mask ? tf.mul(value, mask) : value);
  const act = (value: tf.Tensor): tf.Tensor => applyActivation(options.activation, value);
  const gate = (value: tf.Tensor): tf.Tensor => applyActivation(options.recurrentActivation, value);
  const kernels = Array.from({ length: gates }, (_, g) => block(kernel, g));
  const recurrentKernels = Array.from({ length: gates }, (_, g) => block(recurrentKernel, g));
  const biases = Array.from({ length: gates }, (_, g) => tf.slice(bias, [g * units], [units]));

  let h: tf.Tensor = tf.zeros([batch, units]);
  let c: tf.Tensor = tf.zeros([batch, units]);
  const outputs: tf.Tensor[] = [];
  for (let step = 0; step < steps; step++) {
    const t = options.goBackwards ? steps - 1 - step : step;
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, x.shape[2] as number]), [batch, x.shape[2] as number]);
    const inputPart = (g: number): tf.Tensor => tf.add(tf.matMul(masked(xt, gateMask(options.inputMasks, g)), kernels[g]), biases[g]);
    const recurrentPart = (g: number, state: tf.Tensor = h): tf.Tensor => tf.matMul(masked(state, gateMask(options.recurrentMasks, g)), recurrentKernels[g]);
    let hNext: tf.Tensor;
    let cNext = c;
    switch (options.cell) {
      case 'simple_rnn':
        hNext = act(tf.add(inputPart(0), recurrentPart(0)));
        break;
      case 'lstm': {
        const [i, f, g, o] = [0, 1, 2, 3].map((k) => tf.add(inputPart(k), recurrentPart(k)));
        cNext = tf.add(tf.mul(gate(f), c), tf.mul(gate(i), act(g)));
        hNext = tf.mul(gate(o), act(cNext));
        break;
      }
      case 'gru': {
        const z = gate(tf.add(inputPart(0), recurrentPart(0)));
        const r = gate(tf.add(inputPart(1), recurrentPart(1)));
        const candidate = act(tf.add(inputPart(2), tf.matMul(tf.mul(r, masked(h, gateMask(options.recurrentMasks, 2))), recurrentKernels[2])));
        hNext = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
        break;
      }
    }
    if (options.sequenceMask) {
      // K.rnn: a masked step carries the previous output and states over unchanged.
      const keep = tf.reshape(tf.slice(options.sequenceMask, [0, t], [batch, 1]), [batch, 1]);
      const carry = (next: tf.Tensor, previous: tf.Tensor): tf.Tensor => tf.add(tf.mul(next, keep), tf.mul(previous, tf.sub(1, keep)));
      hNext = carry(hNext, h);
      cNext = carry(cNext, c);
    }
    h = hNext;
    c = cNext;
    outputs.push(h);
  }
  return options.returnSequences ? tf.stack(outputs, 1) : h;
}

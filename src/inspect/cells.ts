/**
 * The recurrent cells written out step by step from their weights, so that what a trained layer
 * does inside can be recorded: LSTM and GRU gates at every timestep, and dL/dh_t through an additive
 * zero `eps_t` on each state (DESIGN.md section 3). The layers' own implementation (fused, stock or
 * a future kernel) is never looked into: only `layer.getWeights()`, in Keras' order.
 *
 * Formulas, as tfjs-layers' `recurrent.ts` and Keras' `recurrent.py` compute them (gate order of the
 * weights: LSTM i, f, c, o; GRU z, r, h with `reset_after=False`):
 *   SimpleRNN  h_t = act(x_t W + h_{t-1} U + b)
 *   LSTM       i, f, o = rec(x_t W_· + h_{t-1} U_· + b_·);  g = act(x_t W_c + h_{t-1} U_c + b_c)
 *              c_t = f c_{t-1} + i g;  h_t = o act(c_t)
 *   GRU        z, r = rec(x_t W_· + h_{t-1} U_· + b_·);  hh = act(x_t W_h + (r h_{t-1}) U_h + b_h)
 *              h_t = z h_{t-1} + (1 - z) hh
 * A masked timestep (mask 0) keeps the previous states and repeats the previous output.
 */
import * as tf from '@tensorflow/tfjs';
import { applyActivation, type TfActivation } from '../model/recurrentReference';

export type CellKind = 'simple_rnn' | 'lstm' | 'gru';

/** Gates recorded per cell: LSTM i, f, g, o; GRU z, r and the candidate. SimpleRNN has none. */
export type GateName = 'input' | 'forget' | 'cell' | 'output' | 'update' | 'reset' | 'candidate';

export const CELL_GATES: Record<CellKind, readonly GateName[]> = {
  simple_rnn: [],
  lstm: ['input', 'forget', 'cell', 'output'],
  gru: ['update', 'reset', 'candidate'],
};

/** The gate whose mean per timestep says how much memory is kept (LSTM forget, GRU update). */
export const KEEP_GATE: Record<CellKind, GateName | undefined> = { simple_rnn: undefined, lstm: 'forget', gru: 'update' };

export interface CellConfig {
  kind: CellKind;
  units: number;
  activation: TfActivation;
  /** LSTM and GRU gates. */
  recurrentActivation: TfActivation;
  goBackwards: boolean;
}

/** `[kernel [F, k·units], recurrentKernel [units, k·units], bias? [k·units]]` as `getWeights()` returns them. */
export type CellWeights = readonly tf.Tensor[];

export interface UnrollOptions {
  /** `[B, T]`, 1 where a timestep is real, 0 where it is masked (Keras `mask_zero`). Input time order. */
  mask?: tf.Tensor;
  /** `[T, B, units]` added to h_t after each step, in processing order; its gradient is dL/dh_t. */
  eps?: tf.Tensor;
  /** Keep every gate's value at every step (probes); off for gradient flow and representations. */
  recordGates?: boolean;
  /**
   * A gradient will be taken through the result (gradient flow, attribution): keep every step's
   * intermediate tensors. Otherwise each step's are freed as it ends, so that a long sequence of a
   * large batch does not hold T x (a dozen tensors) in memory.
   */
  differentiable?: boolean;
}

export interface Unrolled {
  /** `[T, B, units]` h_t in processing order (reversed input time for `goBackwards`). */
  states: tf.Tensor;
  /** `[B, units]` the state after the last processed step. */
  last: tf.Tensor;
  /** `[T, B, units]` per gate, processing order; empty unless `recordGates`. */
  gates: Partial<Record<GateName, tf.Tensor>>;
}

/**
 * Runs `cell` over `x` `[B, T, F]` from zero initial states. Throws when the weights do not have the
 * cell's shapes (a model from another tool, a layer with `use_bias: false` is supported).
 */
export function unroll(cell: CellConfig, weights: CellWeights, x: tf.Tensor, options: UnrollOptions = {}): Unrolled {
  const [kernel, recurrentKernel, bias] = weights;
  const gateCount = cell.kind === 'lstm' ? 4 : cell.kind === 'gru' ? 3 : 1;
  if (kernel.shape[1] !== gateCount * cell.units || recurrentKernel.shape[0] !== cell.units) {
    throw new Error(`A ${cell.kind} layer of ${cell.units} units cannot use weights of shapes ${kernel.shape} and ${recurrentKernel.shape}.`);
  }
  const [batch, steps, features] = x.shape;
  const ordered = cell.goBackwards ? tf.reverse(x, 1) : x;
  // One matmul projects every timestep's input; time-major so that step s is a contiguous slice.
  const flat = tf.reshape(tf.transpose(ordered, [1, 0, 2]), [steps * batch, features]);
  const projectedFlat = tf.matMul(flat, kernel);
  const projected = tf.unstack(tf.reshape(bias ? tf.add(projectedFlat, bias) : projectedFlat, [steps, batch, gateCount * cell.units]));
  const masks = options.mask ? stepMasks(options.mask, cell.goBackwards) : undefined;
  const eps = options.eps ? tf.unstack(options.eps) : undefined;
  const step = cellStep(cell, recurrentKernel);

  let h: tf.Tensor = tf.zeros([batch, cell.units]);
  let c: tf.Tensor = tf.zeros([batch, cell.units]);
  const states: tf.Tensor[] = [];
  const gates = new Map<GateName, tf.Tensor[]>(CELL_GATES[cell.kind].map((name) => [name, []]));
  const advance = (s: number): StepResult => {
    const next = step(projected[s], h, c);
    let hNext = next.h;
    let cNext = next.c;
    if (masks) {
      hNext = keepWhereMasked(hNext, h, masks[s]);
      cNext = keepWhereMasked(cNext, c, masks[s]);
    }
    if (eps) hNext = tf.add(hNext, eps[s]);
    return { h: hNext, c: cNext, gates: options.recordGates ? next.gates : {} };
  };
  for (let s = 0; s < steps; s++) {
    // tidy returns (and so keeps) only h, c and the recorded gates of the step.
    const next = options.differentiable ? advance(s) : (tf.tidy(() => advance(s) as unknown as tf.TensorContainer) as unknown as StepResult);
    h = next.h;
    c = next.c;
    states.push(h);
    if (options.recordGates) for (const [name, values] of gates) values.push(next.gates[name] as tf.Tensor);
  }
  const recorded: Partial<Record<GateName, tf.Tensor>> = {};
  if (options.recordGates) for (const [name, values] of gates) recorded[name] = tf.stack(values);
  return { states: tf.stack(states), last: h, gates: recorded };
}

interface StepResult {
  h: tf.Tensor;
  c: tf.Tensor;
  gates: Partial<Record<GateName, tf.Tensor>>;
}

function cellStep(cell: CellConfig, recurrentKernel: tf.Tensor): (projected: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => StepResult {
  const act = (x: tf.Tensor): tf.Tensor => applyActivation(cell.activation, x);
  const rec = (x: tf.Tensor): tf.Tensor => applyActivation(cell.recurrentActivation, x);
  const units = cell.units;
  switch (cell.kind) {
    case 'simple_rnn':
      return (projected, h, c) => {
        const hNext = act(tf.add(projected, tf.matMul(h, recurrentKernel)));
        return { h: hNext, c, gates: {} };
      };
    case 'lstm':
      return (projected, h, c) => {
        const z = tf.add(projected, tf.matMul(h, recurrentKernel));
        const [zi, zf, zc, zo] = tf.split(z, 4, 1);
        const input = rec(zi);
        const forget = rec(zf);
        const candidate = act(zc);
        const output = rec(zo);
        const cNext = tf.add(tf.mul(forget, c), tf.mul(input, candidate));
        return { h: tf.mul(output, act(cNext)), c: cNext, gates: { input, forget, cell: candidate, output } };
      };
    case 'gru': {
      const [zrKernel, hKernel] = tf.split(recurrentKernel, [2 * units, units], 1);
      return (projected, h, c) => {
        const [xz, xr, xh] = tf.split(projected, 3, 1);
        const [hz, hr] = tf.split(tf.matMul(h, zrKernel), 2, 1);
        const update = rec(tf.add(xz, hz));
        const reset = rec(tf.add(xr, hr));
        const candidate = act(tf.add(xh, tf.matMul(tf.mul(reset, h), hKernel)));
        const hNext = tf.add(tf.mul(update, h), tf.mul(tf.sub(1, update), candidate));
        return { h: hNext, c, gates: { update, reset, candidate } };
      };
    }
  }
}

/** `[B, T]` mask -> per processing step `[B, 1]` floats. */
function stepMasks(mask: tf.Tensor, goBackwards: boolean): tf.Tensor[] {
  const floats = tf.cast(tf.cast(mask, 'bool'), 'float32');
  const ordered = goBackwards ? tf.reverse(floats, 1) : floats;
  return tf.unstack(tf.expandDims(tf.transpose(ordered), 2));
}

function keepWhereMasked(next: tf.Tensor, previous: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(next, mask), tf.mul(previous, tf.sub(1, mask)));
}

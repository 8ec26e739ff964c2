/**
 * A faster LSTM for the shapes where tfjs's stock cell is slow. Stock tfjs runs the cell op by op
 * under the autodiff tape (thousands of small kernels per batch). Here the input projection of all
 * timesteps is one matmul, the recurrence is a short op sequence per step, and backpropagation
 * through time is written out by hand (`tf.customGrad`), ending in three big matmuls for the
 * weight gradients. It covers tanh / sigmoid activations, no sequence mask, and dropout masks
 * shared by the four gates (Keras' `implementation = 2`, i.e. `recurrent_dropout == 0`).
 */
import * as tf from '@tensorflow/tfjs';

export interface FusedLstmOptions {
  goBackwards: boolean;
  returnSequences: boolean;
  /** `[batch, features]`, shared by the four gates. */
  inputMask?: tf.Tensor;
  /** `[batch, units]`, shared by the four gates. */
  recurrentMask?: tf.Tensor;
}

/** The LSTM layer's output for x `[batch, timesteps, features]`, as `referenceSequence` defines it. */
export function fusedLstm(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, options: FusedLstmOptions): tf.Tensor {
  const [batch, , features] = x.shape;
  let input = options.goBackwards ? tf.reverse(x, 1) : x;
  if (options.inputMask) input = tf.mul(input, tf.reshape(options.inputMask, [batch, 1, features as number]));
  const states = lstmSequence(options.recurrentMask)(input, kernel, recurrentKernel, bias) as tf.Tensor3D; // [T, B, units]
  return options.returnSequences ? tf.transpose(states, [1, 0, 2]) : timestep(states, states.shape[0] - 1);
}

/**
 * `sequence[t]` of a time-major tensor: a contiguous slice, which is cheap on every backend once
 * wasm's Slice kernel is replaced (see wasmSlice.ts).
 */
function timestep(sequence: tf.Tensor, t: number): tf.Tensor {
  return tf.reshape(tf.slice(sequence, t, 1), sequence.shape.slice(1));
}

/**
 * h_t for every t of x `[B, T, I]`, time-major `[T, B, units]`, with zero initial states and Keras's
 * gate order i, f, c, o in the weights. `recurrentMask` (constant, no gradient) multiplies h_{t-1}
 * where it enters the recurrence.
 */
function lstmSequence(recurrentMask: tf.Tensor | undefined) {
  return tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [x, kernel, recurrentKernel, bias] = args as tf.Tensor[];
    const save = args[4] as (saved: tf.Tensor[]) => void;
    const [batch, steps, features] = x.shape;
    const units = recurrentKernel.shape[0];
    const xTimeMajor = tf.reshape(tf.transpose(x, [1, 0, 2]), [steps * batch, features]);
    const projected = tf.reshape(tf.add(tf.matMul(xTimeMajor, kernel), bias), [steps, batch, 4 * units]);

    let h: tf.Tensor = tf.zeros([batch, units]);
    let c: tf.Tensor = tf.zeros([batch, units]);
    const hs: tf.Tensor[] = [];
    const recurrentInputs: tf.Tensor[] = []; // h_{t-1} as it enters the matmul (masked)
    const cells: tf.Tensor[] = [c]; // c_{t-1} for step t is cells[t]
    const gates: tf.Tensor[] = []; // [i, f, g, o] after their activations, per step
    const cellTanhs: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
      const z = tf.add(timestep(projected, t), tf.matMul(hIn, recurrentKernel));
      const [i, f, , o] = tf.split(tf.sigmoid(z), 4, 1);
      const g = tf.tanh(tf.slice(z, [0, 2 * units], [batch, units]));
      c = tf.add(tf.mul(f, c), tf.mul(i, g));
      const cellTanh = tf.tanh(c);
      h = tf.mul(o, cellTanh);
      recurrentInputs.push(hIn);
      cells.push(c);
      gates.push(i, f, g, o);
      cellTanhs.push(cellTanh);
      hs.push(h);
    }
    const value = tf.stack(hs);
    // Everything the backward pass reads must go through `save`: the layer's tidy frees the rest,
    // the recurrent dropout mask included, before gradients are computed.
    save([x, kernel, recurrentKernel, ...recurrentInputs, ...cells, ...gates, ...cellTanhs, ...(recurrentMask ? [recurrentMask] : [])]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, w, u] = saved;
      const savedRecurrentInputs = saved.slice(3, 3 + steps);
      const savedCells = saved.slice(3 + steps, 4 + 2 * steps);
      const savedGates = saved.slice(4 + 2 * steps, 4 + 6 * steps);
      const savedCellTanhs = saved.slice(4 + 6 * steps, 4 + 7 * steps);
      const savedMask = recurrentMask ? saved[4 + 7 * steps] : undefined;
      const dOutputs = Array.isArray(dy) ? dy[0] : dy;
      // Explicit transposes: the wasm matmul's transpose flags take a far slower path.
      const uT = tf.transpose(u);
      const dzs: tf.Tensor[] = new Array(steps);
      let dhNext: tf.Tensor = tf.zeros([batch, units]);
      let dcNext: tf.Tensor = tf.zeros([batch, units]);
      for (let t = steps - 1; t >= 0; t--) {
        const [i, f, g, o] = savedGates.slice(4 * t, 4 * t + 4);
        const cellTanh = savedCellTanhs[t];
        const dh = tf.add(timestep(dOutputs, t), dhNext);
        const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(cellTanh))));
        const sigmoidGrad = (s: tf.Tensor, upstream: tf.Tensor): tf.Tensor => tf.mul(upstream, tf.mul(s, tf.sub(1, s)));
        dzs[t] = tf.concat(
          [
            sigmoidGrad(i, tf.mul(dc, g)),
            sigmoidGrad(f, tf.mul(dc, savedCells[t])),
            tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
            sigmoidGrad(o, tf.mul(dh, cellTanh)),
          ],
          1,
        );
        dcNext = tf.mul(dc, f);
        dhNext = tf.matMul(dzs[t], uT);
        if (savedMask) dhNext = tf.mul(dhNext, savedMask);
      }
      const dz = tf.reshape(tf.stack(dzs), [steps * batch, 4 * units]);
      const xFlat = tf.reshape(tf.transpose(xs, [1, 0, 2]), [steps * batch, features]);
      const hFlat = tf.reshape(tf.stack(savedRecurrentInputs), [steps * batch, units]);
      const dx = tf.transpose(tf.reshape(tf.matMul(dz, tf.transpose(w)), [steps, batch, features]), [1, 0, 2]);
      return [dx, tf.matMul(tf.transpose(xFlat), dz), tf.matMul(tf.transpose(hFlat), dz), tf.sum(dz, 0)];
    };
    return { value, gradFunc };
  }) as (x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor) => tf.Tensor;
}

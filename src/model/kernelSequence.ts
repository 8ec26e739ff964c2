/**
 * The recurrent layer's output computed by the WebAssembly kernel (recurrentKernel.ts), as a tfjs
 * op: `tf.customGrad` hands tfjs the kernel's backward pass. When no gradient tape is recording
 * (validation, probes, prediction) the forward pass keeps nothing for a backward pass, and on
 * embedded tokens takes its input products from a table (inputProjectionCache.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { projectedRowsFor } from './inputProjectionCache';
import { KERNEL_ACTIVATIONS, KernelForward, type KernelActivation, type KernelProblem } from './recurrentKernel';
import type { SequenceOptions } from './recurrentReference';
import { floatsOf, tensorFromFloats } from './tensorMemory';

/** True when the kernel computes these options (activations it knows, any masks and directions). */
export function kernelSupports(options: SequenceOptions): boolean {
  return options.activation in KERNEL_ACTIVATIONS && options.recurrentActivation in KERNEL_ACTIVATIONS;
}

/** tfjs records a backward pass for ops run while a gradient function (tf.grad, variableGrads) runs. */
function gradientTapeRecording(): boolean {
  return (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
}

/** A copy of a constant's values (masks: read once, used after other tfjs ops). */
const copyOf = (tensor: tf.Tensor): Float32Array => Float32Array.from(floatsOf(tensor));

/**
 * Training passes waiting for their backward pass. A pass whose gradient is never asked for (a
 * forward under a tape whose result was not used) would hold its memory forever: past this many,
 * the oldest is released, and its backward pass, should it come after all, recomputes it.
 */
const MAX_WAITING_PASSES = 32;
const waiting: KernelForward[] = [];

function keepForBackward(pass: KernelForward): KernelForward {
  waiting.push(pass);
  if (waiting.length > MAX_WAITING_PASSES) waiting.shift()?.release();
  return pass;
}

function takeForBackward(pass: KernelForward | undefined): KernelForward | undefined {
  const index = pass ? waiting.indexOf(pass) : -1;
  if (index >= 0) waiting.splice(index, 1);
  return pass?.live ? pass : undefined;
}

/**
 * The same contract as `referenceSequence` (shapes, gate order, masks, go_backwards), and whether
 * the input products came from an embedding's projected table (`wasm-projected`) or not.
 */
export function kernelSequence(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  options: SequenceOptions,
): { output: tf.Tensor; implementation: 'wasm' | 'wasm-projected' } {
  const [batch, steps, features] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0];
  const outputShape = options.returnSequences ? [batch, steps, units] : [batch, units];
  const masks = {
    inputMasks: options.inputMasks.map(copyOf),
    recurrentMasks: options.recurrentMasks.map(copyOf),
    ...(options.sequenceMask ? { sequenceMask: copyOf(options.sequenceMask) } : {}),
  };
  // Views of the backend's memory: `KernelForward.run` copies them in before any other tfjs op.
  const problem = (values: tf.Tensor[]): KernelProblem => ({
    cell: options.cell,
    activation: options.activation as KernelActivation,
    recurrentActivation: options.recurrentActivation as KernelActivation,
    batch,
    steps,
    features,
    units,
    goBackwards: options.goBackwards,
    x: floatsOf(values[0]),
    kernel: floatsOf(values[1]),
    recurrentKernel: floatsOf(values[2]),
    bias: floatsOf(values[3]),
    ...masks,
  });

  if (!gradientTapeRecording()) {
    const projectedRows = options.inputMasks.length === 0 ? projectedRowsFor(x, kernel) : undefined;
    const pass = KernelForward.run({ ...problem([x, kernel, recurrentKernel, bias]), ...(projectedRows ? { projectedRows } : {}) }, false);
    const output = tensorFromFloats(pass.outputs(options.returnSequences), outputShape);
    pass.release();
    return { output, implementation: projectedRows ? 'wasm-projected' : 'wasm' };
  }

  const op = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const inputs = args.slice(0, 4) as tf.Tensor[];
    const save = args[4] as (saved: tf.Tensor[]) => void;
    save(inputs);
    let pass: KernelForward | undefined = keepForBackward(KernelForward.run(problem(inputs), true));
    const value = tensorFromFloats(pass.outputs(options.returnSequences), outputShape);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      // The forward pass's activations, unless something ran this gradient twice: then recompute.
      const live = takeForBackward(pass) ?? KernelForward.run(problem(saved), true);
      pass = undefined;
      const grads = live.backward(floatsOf(Array.isArray(dy) ? dy[0] : dy), (values) => [
        tensorFromFloats(values.dx, [batch, steps, features]),
        tensorFromFloats(values.dKernel, saved[1].shape),
        tensorFromFloats(values.dRecurrentKernel, saved[2].shape),
        tensorFromFloats(values.dBias, saved[3].shape),
      ]);
      return grads;
    };
    return { value, gradFunc };
  }) as (x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor) => tf.Tensor;
  return { output: op(x, kernel, recurrentKernel, bias), implementation: 'wasm' };
}

/**
 * Keras's Adam update of one float32 variable as a single kernel on the wasm backend: one SIMD pass
 * over θ, m, v and the gradient in tfjs's own memory (kernels/heapOps.ts) instead of twelve
 * element-wise tfjs ops, each of which allocates and writes a whole new tensor. At the seed IMDB
 * model's 10,000 x 128 embedding those ops took about 7.5 ms of every training batch.
 *
 * Every operation is a float32 operation in the order of the composed ops in kerasAdam.ts, so the
 * two give the same bits. Other backends use the composed ops.
 */
import * as tf from '@tensorflow/tfjs';
import { heapOffset, heapOps, type WasmHeapBackend } from './heapOps';

/** The kernel's name (not one of tfjs's). Inputs `theta`, `m`, `v`, `gradient`; outputs [θ, m, v]. */
export const KERAS_ADAM_UPDATE = 'SequenceLabKerasAdamUpdate';

/** Scalars of one step: β₁, β₂, ε, and the step size α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ). */
export interface KerasAdamStep {
  beta1: number;
  beta2: number;
  epsilon: number;
  stepSize: number;
}

let registered = false;

/** Registers the kernel on the wasm backend. Idempotent. */
export function registerKerasAdamKernel(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: KERAS_ADAM_UPDATE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const heap = backend as WasmHeapBackend;
      const { theta, m, v, gradient } = inputs as Record<'theta' | 'm' | 'v' | 'gradient', tf.TensorInfo>;
      const { beta1, beta2, epsilon, stepSize } = attrs as unknown as KerasAdamStep;
      const outputs = [theta, m, v].map(({ shape }) => heap.makeOutput(shape, 'float32'));
      const [t, mo, vo, g, tOut, mOut, vOut] = [theta, m, v, gradient, ...outputs].map((info) => heapOffset(heap, info));
      // The scalars become float32 as the call passes them, as tfjs makes its scalar tensors.
      heapOps(heap).kerasAdam(t, mo, vo, g, tf.util.sizeFromShape(theta.shape), beta1, 1 - beta1, beta2, 1 - beta2, epsilon, stepSize, tOut, mOut, vOut);
      return outputs;
    },
  });
}

/** Whether the active backend has the kernel (wasm does once registered). */
export function kerasAdamKernelAvailable(): boolean {
  return tf.getKernel(KERAS_ADAM_UPDATE, tf.getBackend()) !== undefined;
}

/**
 * `Identity` and a `Transpose` that keeps every axis in place share their input's data on the wasm
 * backend, as they do on cpu and webgl, instead of copying it. tfjs clones every tensor it saves for
 * a backward pass through `Identity`, and the gradient of a gather (every Embedding layer)
 * transposes with the identity permutation twice; on wasm each was a copy of a whole tensor. At the
 * seed IMDB shape that was the 10,000 x 128 embedding table and three 12,800 x 128 activations per
 * training batch. Tensors are immutable and their data is reference-counted, so sharing is safe:
 * this is what the wasm backend's own `Reshape` does.
 */
import * as tf from '@tensorflow/tfjs';
import { overrideWasmKernel } from './wasmKernelOverride';

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/** `x`'s data under another tensor of `shape`, its reference count raised. */
function shared(backend: unknown, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** Replaces the wasm backend's Identity and Transpose kernels. Idempotent. */
export function registerWasmSharedDataKernels(): void {
  overrideWasmKernel(tf.Identity, (stock) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    return x.dtype === 'string' ? stock(args) : shared(args.backend, x, x.shape);
  });

  overrideWasmKernel(tf.Transpose, (stock) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { perm } = args.attrs as unknown as tf.TransposeAttrs;
    const unchanged = x.dtype !== 'string' && perm.every((axis, i) => axis === i);
    return unchanged ? shared(args.backend, x, x.shape) : stock(args);
  });
}

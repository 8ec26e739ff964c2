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

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/** `x`'s data under another tensor of `shape`, its reference count raised. */
function shared(backend: unknown, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

let registered = false;

/** Replaces the wasm backend's Identity and Transpose kernels. Idempotent; call after the backend is registered. */
export function registerWasmSharedDataKernels(): void {
  if (registered) return;
  const stockIdentity = tf.getKernel(tf.Identity, 'wasm');
  const stockTranspose = tf.getKernel(tf.Transpose, 'wasm');
  if (!stockIdentity || !stockTranspose) return;
  registered = true;

  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({
    ...stockIdentity,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      return x.dtype === 'string' ? stockIdentity.kernelFunc(args) : shared(args.backend, x, x.shape);
    },
  });

  tf.unregisterKernel(tf.Transpose, 'wasm');
  tf.registerKernel({
    ...stockTranspose,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const { perm } = args.attrs as unknown as tf.TransposeAttrs;
      const unchanged = x.dtype !== 'string' && perm.every((axis, i) => axis === i);
      return unchanged ? shared(args.backend, x, x.shape) : stockTranspose.kernelFunc(args);
    },
  });
}

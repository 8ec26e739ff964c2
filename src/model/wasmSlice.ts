/**
 * Faster `Slice` and `Unpack` (tf.unstack) kernels for the wasm backend. Its own kernels read the
 * WHOLE input into a JavaScript copy before taking the slice (`readSync`), so taking one timestep
 * of a [T, B, F] tensor costs as much as copying all of it: 37 ms per step at T=200, B=64, F=256,
 * which made tfjs's per-timestep `unstack` the bulk of an RNN's training time. A contiguous slice
 * (e.g. a timestep of a time-major tensor) only needs its own bytes, copied through views of the
 * wasm heap; other slices still go to the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './heapOps';
import { overrideWasmKernel } from './wasmKernelOverride';

/** The slice `begin`/`size` of `x` as a new tensor of `outShape`, or undefined if it is not contiguous. */
function contiguousSlice(backend: WasmHeapBackend, x: tf.TensorInfo, begin: number[], size: number[], outShape: number[]): tf.TensorInfo | undefined {
  if (x.dtype === 'string' || !tf.slice_util.isSliceContinous(x.shape, begin, size)) return undefined;
  const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput: allocating may have grown (and moved) the heap.
  const source = backend.typedArrayFromHeap(x);
  backend.typedArrayFromHeap(out).set(source.subarray(offset, offset + tf.util.sizeFromShape(size)));
  return out;
}

/** Replaces the wasm backend's Slice and Unpack kernels. Idempotent. */
export function registerWasmSliceKernels(): void {
  overrideWasmKernel(tf.Slice, (stock) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const attrs = args.attrs as unknown as tf.SliceAttrs;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
    return contiguousSlice(args.backend as WasmHeapBackend, x, begin, size, size) ?? stock(args);
  });

  overrideWasmKernel(tf.Unpack, (stock) => (args) => {
    const value = args.inputs.value as tf.TensorInfo;
    const rank = value.shape.length;
    const { axis: rawAxis } = args.attrs as unknown as tf.UnpackAttrs;
    const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const size = value.shape.map((extent, i) => (i === axis ? 1 : extent));
    // Whether slices along `axis` are contiguous does not depend on which slice it is.
    if (value.dtype === 'string' || !tf.slice_util.isSliceContinous(value.shape, value.shape.map(() => 0), size)) return stock(args);
    const backend = args.backend as WasmHeapBackend;
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = value.shape.map((_, d) => (d === axis ? i : 0));
      return contiguousSlice(backend, value, begin, size, outShape) as tf.TensorInfo;
    });
  });
}

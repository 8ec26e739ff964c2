/**
 * `UnsortedSegmentSum` is the gradient of `gather`, i.e. of every Embedding layer. The wasm backend
 * has no kernel for it (training fails), and the cpu backend's is O(segments x ids x dim) (25 s per
 * call at a vocabulary of 2,000). One pass over the segment ids is all it takes. On wasm, float32
 * sums run in the backend's own memory with SIMD (kernels/heapOps.ts): this JavaScript loop over
 * views of that memory took about 7 ms at the seed IMDB shape (12,800 rows of 128 into 10,000).
 */
import * as tf from '@tensorflow/tfjs';
import { heapOffset, heapOps, type WasmHeapBackend } from './heapOps';

type Values = Float32Array | Int32Array;

/**
 * out[segmentIds[i]] += x[i] for each row i of x (rows of `rowSize` values), into `out` (zeroed
 * first) or a new array.
 */
export function unsortedSegmentSum(x: Values, segmentIds: Values, numSegments: number, rowSize: number, into?: Values): Values {
  const out = into ?? (x instanceof Int32Array ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize));
  out.fill(0);
  for (let i = 0; i < segmentIds.length; i++) {
    const segment = segmentIds[i];
    if (segment < 0 || segment >= numSegments) continue; // TensorFlow drops out-of-range ids too.
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) out[to + k] += x[from + k];
  }
  return out;
}

/** How a kernel reads its inputs and fills its output on one backend. */
interface KernelIO {
  read(backend: unknown, info: tf.TensorInfo): Values;
  /** A new output tensor, filled by `fill` (given an array to write into, or none: it returns one). */
  output(backend: unknown, shape: number[], dtype: tf.DataType, fill: (into?: Values) => Values): tf.TensorInfo;
}

interface ReadableBackend {
  readSync(dataId: unknown): unknown;
}

const readValues = (backend: unknown, info: tf.TensorInfo): Values => (backend as ReadableBackend).readSync(info.dataId) as Values;

const IO_BY_BACKEND: Record<'wasm' | 'cpu', KernelIO> = {
  // Views of the wasm heap: no copy in, none out (the output is written where tfjs keeps it).
  // Views are taken after makeOutput, which may grow (and move) the heap.
  wasm: {
    read: (backend, info) => (backend as WasmHeapBackend).typedArrayFromHeap(info) as Values,
    output: (backend, shape, dtype, fill) => {
      const out = (backend as WasmHeapBackend).makeOutput(shape, dtype);
      fill((backend as WasmHeapBackend).typedArrayFromHeap(out) as Values);
      return out;
    },
  },
  cpu: {
    read: readValues,
    output: (backend, shape, dtype, fill) =>
      (backend as { makeTensorInfo(s: number[], d: tf.DataType, v?: Values): tf.TensorInfo }).makeTensorInfo(shape, dtype, fill()),
  },
};

/** The float32 sum on the wasm heap, in one SIMD pass (kernels/heapOps.ts): the same sums, in the same order, as `unsortedSegmentSum`. */
function wasmSegmentSum(backend: WasmHeapBackend, x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number, rowSize: number): tf.TensorInfo {
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32');
  const count = segmentIds.shape.reduce((a, b) => a * b, 1);
  heapOps(backend).segmentSum(heapOffset(backend, x), heapOffset(backend, segmentIds), count, numSegments, rowSize, heapOffset(backend, out));
  return out;
}

let registered = false;

/** Replaces (cpu) or adds (wasm) the kernel. Idempotent. */
export function registerSegmentSumKernels(): void {
  if (registered) return;
  registered = true;
  for (const [backendName, io] of Object.entries(IO_BY_BACKEND)) {
    if (tf.getKernel(tf.UnsortedSegmentSum, backendName)) tf.unregisterKernel(tf.UnsortedSegmentSum, backendName);
    tf.registerKernel({
      kernelName: tf.UnsortedSegmentSum,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
        const numSegments = (attrs as unknown as tf.UnsortedSegmentSumAttrs).numSegments;
        // tfjs does not check this; without it the sum would read past x's data.
        if (segmentIds.shape.some((extent, axis) => x.shape[axis] !== extent)) {
          throw new Error(`UnsortedSegmentSum: data.shape = [${x.shape}] does not start with segment_ids.shape = [${segmentIds.shape}]`);
        }
        const rowSize = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
        if (backendName === 'wasm' && x.dtype === 'float32' && segmentIds.dtype === 'int32') return wasmSegmentSum(backend as WasmHeapBackend, x, segmentIds, numSegments, rowSize);
        return io.output(backend, [numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype, (into) =>
          unsortedSegmentSum(io.read(backend, x), io.read(backend, segmentIds), numSegments, rowSize, into),
        );
      },
    });
  }
}

/**
 * A faster `GatherV2` (tf.gather) for the wasm backend when it takes whole rows (axis 0, no batch
 * dimensions): every Embedding layer's lookup. The stock kernel computes each output element's
 * address on its own; at the seed IMDB shape (64 x 200 tokens of 128 floats) it took 67 ms per
 * training batch, a third of the step, and 209 ms of a 256-review validation batch's 434 ms. A row
 * is contiguous in the wasm heap, so each is one block copy of its bytes (kernels/heapOps.ts; values
 * unchanged, bit for bit). Other gathers still go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { heapOffset, heapOps, type WasmHeapBackend } from './heapOps';
import { overrideWasmKernel } from './wasmKernelOverride';

/**
 * Rows `indices` of `x` (axis 0), shaped `[...indices.shape, ...x.shape.slice(1)]`, or undefined
 * when this gather is not one of whole rows of 4-byte values. Throws tfjs's own message for an
 * index outside `[0, x.shape[0] - 1]`.
 */
function gatherRows(backend: WasmHeapBackend, x: tf.TensorInfo, indices: tf.TensorInfo, axis: number, batchDims: number): tf.TensorInfo | undefined {
  const rank = x.shape.length;
  const parsedAxis = axis < 0 ? axis + rank : axis;
  if (parsedAxis !== 0 || batchDims !== 0 || rank === 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') return undefined;
  const rows = x.shape[0];
  const rowSize = tf.util.sizeFromShape(x.shape.slice(1));
  const checked = backend.typedArrayFromHeap(indices) as Int32Array;
  for (const row of checked) {
    if (!(row >= 0 && row <= rows - 1)) throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
  }
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  heapOps(backend).gatherRows(heapOffset(backend, x), heapOffset(backend, indices), tf.util.sizeFromShape(indices.shape), rowSize * 4, heapOffset(backend, out));
  // A view taken after makeOutput: allocating may have grown (and moved) the heap.
  if (rank === 2) gathered.set(out.dataId, { table: { dataId: x.dataId, shape: x.shape, dtype: x.dtype }, ids: Int32Array.from(backend.typedArrayFromHeap(indices) as Int32Array) });
  return out;
}

/** Where a gather's output came from: its table and (a copy of) the row ids, by output data. */
const gathered = new WeakMap<object, GatheredRows>();

/** A tensor made of rows of a table: out[i] = table[ids[i]]. */
export interface GatheredRows {
  /** `[rows, width]` */
  table: tf.TensorInfo;
  ids: Int32Array;
}

/**
 * The table and row ids `x` was gathered from (its rows in order, any shape: an Embedding layer's
 * `[batch, steps, width]` output), if this kernel made its data and the table is still alive.
 */
export function gatheredRows(x: tf.Tensor): GatheredRows | undefined {
  const found = gathered.get(x.dataId);
  const backend = tf.backend() as unknown as { dataIdMap?: { has(dataId: object): boolean } };
  return found && backend.dataIdMap?.has(found.table.dataId) ? found : undefined;
}

/** Replaces the wasm backend's GatherV2 kernel. Idempotent. */
export function registerWasmGatherKernel(): void {
  overrideWasmKernel(tf.GatherV2, (stock) => (args) => {
    const { x, indices } = args.inputs as unknown as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
    return gatherRows(args.backend as WasmHeapBackend, x, indices, axis, batchDims) ?? stock(args);
  });
}

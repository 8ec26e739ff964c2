/**
 * Inference on embedded tokens without the input products: when a recurrent layer's input was
 * gathered from an embedding table (wasmGather.ts) and no gradient is being recorded, each step's
 * x_t W is a row of the table's product with W (recurrentKernel.ts `InputProjection`). The product
 * is made once per pair of table and kernel values (a validation pass reuses it for every batch)
 * and kept for the few most recent pairs; tfjs gives a variable new data when it is updated, so a
 * pair never matches stale values.
 */
import type * as tf from '@tensorflow/tfjs';
import { InputProjection } from './recurrentKernel';
import { floatsOf } from './tensorMemory';
import { gatheredRows } from './wasmGather';

interface Entry {
  table: object;
  kernel: object;
  projection: InputProjection;
}

/** Pairs kept: a bidirectional layer's two directions, and a second model's. */
const MAX_ENTRIES = 4;
/** A larger product (floats; 64 MB) is not worth keeping: the direct path is used. */
const MAX_FLOATS = 16 * 1024 * 1024;
const entries: Entry[] = [];

/**
 * The projection of `x`'s table by `kernel` (`[features, gates]`) and `x`'s row ids, or undefined
 * when `x` was not gathered from a live table, the product would be too large, or (when not made
 * yet) making it costs more than the products it replaces (fewer steps than table rows).
 */
export function projectedRowsFor(x: tf.Tensor, kernel: tf.Tensor): { projection: InputProjection; ids: Int32Array } | undefined {
  const source = gatheredRows(x);
  if (!source || source.table.dtype !== 'float32' || source.table.shape.length !== 2) return undefined;
  const [rows, features] = source.table.shape;
  const [kernelRows, gates] = kernel.shape;
  if (features !== kernelRows || rows * gates > MAX_FLOATS) return undefined;
  const index = entries.findIndex((entry) => entry.table === source.table.dataId && entry.kernel === kernel.dataId);
  if (index < 0 && source.ids.length < rows) return undefined;
  const entry = index >= 0 ? entries.splice(index, 1)[0] : {
    table: source.table.dataId,
    kernel: kernel.dataId,
    projection: InputProjection.compute(floatsOf(source.table as tf.Tensor), rows, features, floatsOf(kernel), gates),
  };
  entries.push(entry); // most recent last
  if (entries.length > MAX_ENTRIES) entries.shift()?.projection.release();
  return { projection: entry.projection, ids: source.ids };
}

/**
 * Fixed, seeded samples of a split for the per-epoch views: the same sequences every epoch, so
 * that a change in a view is a change in the model. Seeds come from `data.seed` (`deriveSeed`).
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, seededRandom, shuffleInPlace } from '../data/random';
import type { PreparedData, Split } from '../data/types';

/** The validation split, or the training split when there is no validation data. */
export function viewSplit(data: PreparedData): Split {
  return data.validation.count > 0 ? data.validation : data.train;
}

/** Up to `count` row indices of `split`, drawn without replacement from the stream `purpose` of `seed`, in ascending order. */
export function sampleRows(split: Split, count: number, seed: number, purpose: string): Int32Array {
  const order = shuffleInPlace(Int32Array.from({ length: split.count }, (_, i) => i), seededRandom(deriveSeed(seed, 'views', purpose)));
  return order.subarray(0, Math.min(count, split.count)).sort();
}

/** The given rows of a split as tensors: x keeps its dtype, y is float32 (losses expect floats). */
export function rowTensors(split: Split, rows: ArrayLike<number>): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.tensor(gatherRows(split.x, split.xShape, rows), [rows.length, ...split.xShape.slice(1)], split.x instanceof Int32Array ? 'int32' : 'float32'),
    y: tf.tensor(Float32Array.from(gatherRows(split.y, split.yShape, rows)), [rows.length, ...split.yShape.slice(1)], 'float32'),
  };
}

export function gatherRows<T extends Int32Array | Float32Array>(values: T, shape: readonly number[], rows: ArrayLike<number>): T {
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new (values.constructor as new (length: number) => T)(rows.length * rowSize);
  for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i] * rowSize, (rows[i] + 1) * rowSize), i * rowSize);
  return out;
}

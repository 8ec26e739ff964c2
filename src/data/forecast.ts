/**
 * Forecasting windows over a numeric series: `lookback` steps of history -> the next `horizon`
 * values (the last of them `horizon` steps ahead; one value for the default horizon of 1). Normalisation is fitted on the training part only, so validation
 * statistics never leak into training.
 */
import type { WindowSpec } from '../language/types';
import { DataError } from './types';

export type NormalizeKind = WindowSpec['normalize'];

/** `normalized = (value - offset) / scale`. */
export interface Normalization {
  kind: NormalizeKind;
  offset: number;
  scale: number;
}

export function fitNormalization(values: ArrayLike<number>, kind: NormalizeKind): Normalization {
  if (kind === 'none' || values.length === 0) return { kind, offset: 0, scale: 1 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
    sum += values[i];
  }
  if (kind === 'minmax') return { kind, offset: min, scale: max - min || 1 };
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { kind, offset: mean, scale: Math.sqrt(squares / values.length) || 1 };
}

export function normalize(values: ArrayLike<number>, normalization: Normalization): Float32Array {
  return Float32Array.from(values as ArrayLike<number>, (value) => (value - normalization.offset) / normalization.scale);
}

export interface Windows {
  /** `[count, lookback, 1]` */
  x: Float32Array;
  /** `[count, horizon]` */
  y: Float32Array;
  count: number;
}

export function slidingWindows(series: Float32Array, { lookback, horizon }: Pick<WindowSpec, 'lookback' | 'horizon'>): Windows {
  const count = Math.max(0, series.length - lookback - horizon + 1);
  const x = new Float32Array(count * lookback);
  const y = new Float32Array(count * horizon);
  for (let i = 0; i < count; i++) {
    x.set(series.subarray(i, i + lookback), i * lookback);
    y.set(series.subarray(i + lookback, i + lookback + horizon), i * horizon);
  }
  return { x, y, count };
}

/**
 * Splits a series in time: training windows predict values before the cut, validation windows
 * predict values after it (their inputs may reach back into the training part, as in real use).
 */
export function splitSeriesInTime(
  values: readonly number[],
  fraction: number,
  window: Pick<WindowSpec, 'lookback' | 'horizon'>,
  file: string,
): { train: number[]; validation: number[] } {
  const span = window.lookback + window.horizon;
  const cut = Math.round(values.length * (1 - fraction));
  if (cut < span) {
    throw new DataError(
      `the series has ${values.length} values, too few for lookback ${window.lookback} + horizon ${window.horizon} with a validation fraction of ${fraction}. Use a longer series or a smaller lookback.`,
      file,
    );
  }
  return { train: values.slice(0, cut), validation: values.slice(cut - span + 1) };
}

/**
 * Forecasting windows over a numeric series: `lookback` steps of history -> the next `horizon`
 * values of the target (the last of them `horizon` steps ahead; one value for the default horizon
 * of 1). Normalisation is fitted on the training part only, so validation statistics never leak
 * into training.
 */
import type { NormalizeMethod, WindowSpec } from '../language/types';
import { DataError } from './types';

/** `normalized = (value - offset) / scale`. */
export interface Normalization {
  kind: NormalizeMethod;
  offset: number;
  scale: number;
}

export function fitNormalization(values: ArrayLike<number>, kind: NormalizeMethod): Normalization {
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
  /** `[count, lookback, features]` */
  x: Float32Array;
  /** `[count, horizon]` */
  y: Float32Array;
  count: number;
}

/**
 * `series` is row-major `[steps, features]`; `target` (one value per step) defaults to the series
 * itself, which must then have one feature.
 */
export function slidingWindows(
  series: Float32Array,
  { lookback, horizon }: Pick<WindowSpec, 'lookback' | 'horizon'>,
  features = 1,
  target: Float32Array = series,
): Windows {
  const steps = series.length / features;
  const count = Math.max(0, steps - lookback - horizon + 1);
  const x = new Float32Array(count * lookback * features);
  const y = new Float32Array(count * horizon);
  for (let i = 0; i < count; i++) {
    x.set(series.subarray(i * features, (i + lookback) * features), i * lookback * features);
    y.set(target.subarray(i + lookback, i + lookback + horizon), i * horizon);
  }
  return { x, y, count };
}

/**
 * Splits a series of `steps` in time: training windows predict values before the cut, validation
 * windows predict values after it (their inputs may reach back into the training part, as in real
 * use). Returns the end of the training steps and the first validation step.
 */
export function splitSeriesInTime(
  steps: number,
  fraction: number,
  window: Pick<WindowSpec, 'lookback' | 'horizon'>,
  file: string,
): { trainEnd: number; validationStart: number } {
  const span = window.lookback + window.horizon;
  const cut = Math.round(steps * (1 - fraction));
  if (cut < span) {
    throw new DataError(
      `the series has ${steps} values, too few for lookback ${window.lookback} + horizon ${window.horizon} with a validation fraction of ${fraction}. Use a longer series or a smaller lookback.`,
      file,
    );
  }
  return { trainEnd: cut, validationStart: cut - span + 1 };
}

/**
 * `data.normalize_target` for regression: targets scaled with statistics of the training targets
 * (so a loss on prices of 1e5 does not diverge); `stats` undoes it for metrics and predictions.
 */
export function normalizeTargets(
  train: Float32Array,
  validation: Float32Array,
  method: NormalizeMethod,
): { train: Float32Array; validation: Float32Array; stats?: { method: 'zscore' | 'minmax'; offset: number; scale: number } } {
  if (method === 'none') return { train, validation };
  const normalization = fitNormalization(train, method);
  return {
    train: normalize(train, normalization),
    validation: normalize(validation, normalization),
    stats: { method, offset: normalization.offset, scale: normalization.scale },
  };
}

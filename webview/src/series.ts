/**
 * Chart data derived from the run state: EMA smoothing and the alignment of per-batch and per-epoch
 * values on one x axis (uPlot wants every series on the same x values). Pure, tested in Node.
 */
import { columnOf, type RunState } from './state';

/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing slider), so the first
 * points are not dragged towards zero. `weight` 0 returns the values unchanged; NaN stays a gap.
 */
export function smoothEma(values: readonly number[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  let average = 0;
  let count = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return null;
    count += 1;
    average = average * w + (1 - w) * value;
    return average / (1 - w ** count);
  });
}

/** The four lines of one quantity's chart, in this order. */
export const CURVE_SERIES = ['train (batch)', 'train (smoothed)', 'train (epoch)', 'validation (epoch)'] as const;

export interface CurveData {
  /** Fractional epochs: a batch at step s sits at (s + 1) / batchesPerEpoch, an epoch e at e + 1. */
  x: number[];
  /** One array per CURVE_SERIES entry, aligned with `x`; null where the series has no value. */
  series: (number | null)[][];
  /** Finite values actually present, for tests and the `data-points` attribute. */
  points: number;
}

export interface CurveOptions {
  smoothing: number;
  /** On a log scale, values <= 0 cannot be drawn: they become gaps. */
  logScale: boolean;
}

export function curveData(state: RunState, quantity: string, options: CurveOptions): CurveData {
  const perEpoch = state.run?.batchesPerEpoch || 1;
  const { batches, epochs } = state;
  const raw = columnOf(batches, quantity);
  const smoothed = smoothEma(raw, options.smoothing);
  const x: number[] = [];
  const series: (number | null)[][] = CURVE_SERIES.map(() => []);
  let points = 0;
  const drawable = (value: number | null | undefined): number | null => {
    if (value === null || value === undefined || !Number.isFinite(value) || (options.logScale && value <= 0)) return null;
    points += 1;
    return value;
  };
  // Merge the two sorted x sequences (batches, epoch ends) in one pass; equal x share a row.
  let i = 0;
  let j = 0;
  while (i < batches.length || j < epochs.length) {
    const nextBatch = i < batches.length ? (batches.step[i] + 1) / perEpoch : Infinity;
    const nextEpoch = j < epochs.length ? epochs[j].epoch + 1 : Infinity;
    const at = Math.min(nextBatch, nextEpoch);
    x.push(at);
    const takeBatch = nextBatch === at;
    const takeEpoch = nextEpoch === at;
    series[0].push(takeBatch ? drawable(raw[i]) : null);
    series[1].push(takeBatch ? drawable(smoothed[i]) : null);
    series[2].push(takeEpoch ? drawable(epochs[j].train[quantity]) : null);
    series[3].push(takeEpoch ? drawable(epochs[j].validation[quantity]) : null);
    if (takeBatch) i += 1;
    if (takeEpoch) j += 1;
  }
  return { x, series, points };
}

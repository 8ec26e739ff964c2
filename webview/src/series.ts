/**
 * Chart data derived from the run state: EMA smoothing and the alignment of per-batch and per-epoch
 * values on one x axis (uPlot wants every series on the same x values). Pure, tested in Node.
 */
import type { EpochRecord, RunState } from './state';

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
  /**
   * Columns of the chart. With more than 4 batches per column, the raw values are thinned to the
   * first, lowest, highest and last batch of each column (the drawn line is the same) and the
   * smoothed line keeps one point per column (a smooth line needs no more; a 2 px line through
   * thousands of points per column takes a frame to draw). Absent: every batch is kept.
   */
  buckets?: number;
  /** The x range the chart is zoomed to: thinned on `buckets` columns of its own, so zooming shows detail. */
  focus?: { min: number; max: number };
}

/**
 * The chart rows of one quantity: batches and epoch ends merged on x, batches thinned per column
 * when `options.buckets` asks for it. Values drawn are the stored ones (hover reads exact values).
 * One pass over the batches without copying the columns: it runs on every redraw of a live run.
 */
export function curveData(state: RunState, quantity: string, options: CurveOptions): CurveData {
  const rows = curveRows(state, quantity, options);
  for (;;) {
    const next = rows.next();
    if (next.done) return next.value;
  }
}

/** Batches `curveRows` goes through between two pauses. */
export const CURVE_SLICE = 10_000;

/**
 * `curveData` in slices: pauses (yields) after every CURVE_SLICE batches, so that a caller can
 * spread the pass over several frames; returns the rows when done.
 */
export function* curveRows(state: RunState, quantity: string, options: CurveOptions): Generator<void, CurveData> {
  const perEpoch = state.run?.batchesPerEpoch || 1;
  const { batches, epochs } = state;
  const n = batches.length;
  const raw = batches.values[quantity];
  const out: CurveData = { x: [], series: CURVE_SERIES.map(() => []), points: 0 };
  const drawable = (value: number | undefined): number | null =>
    value === undefined || !Number.isFinite(value) || (options.logScale && value <= 0) ? null : value;
  const xOf = (i: number): number => (batches.step[i] + 1) / perEpoch;

  let j = 0;
  const pushEpochsBefore = (x: number): void => {
    for (; j < epochs.length && epochs[j].epoch + 1 < x; j++) pushRow(out, epochs[j].epoch + 1, null, null, epochs[j], quantity, drawable);
  };
  const emit = (i: number, smoothed: number | null): void => {
    const x = xOf(i);
    pushEpochsBefore(x);
    const shared = j < epochs.length && epochs[j].epoch + 1 === x ? epochs[j++] : undefined;
    pushRow(out, x, drawable(raw?.[i]), smoothed, shared, quantity, drawable);
  };

  const bucketOf = bucketing(n > 1 ? xOf(0) : 0, n > 1 ? xOf(n - 1) : 0, n, options);
  const w = Math.min(Math.max(options.smoothing, 0), 0.999);
  const logScale = options.logScale;
  const steps = batches.step;
  let average = 0;
  let weightPower = 1; // w ** (finite values so far), for the bias correction
  // The column being gathered: its first, lowest, highest and last batch, and the smoothed value at its end.
  let bucket = Number.NaN;
  let [first, low, high, last] = [-1, -1, -1, -1];
  let [lowValue, highValue] = [Infinity, -Infinity];
  let smoothedAtLast: number | null = null;
  const flush = (): void => {
    if (first < 0) return;
    const picks = [first, low, high, last].filter((i) => i >= 0).sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k++) {
      if (k > 0 && picks[k] === picks[k - 1]) continue;
      emit(picks[k], picks[k] === last ? smoothedAtLast : null);
    }
  };
  // A plain loop over plain numbers: 100,000 batches in about a millisecond.
  for (let i = 0; i < n; i++) {
    const value = raw === undefined ? Number.NaN : raw[i];
    let smoothed: number | null = null;
    const finite = Number.isFinite(value);
    if (finite) {
      weightPower *= w;
      average = average * w + (1 - w) * value;
      const corrected = average / (1 - weightPower);
      if (!(logScale && corrected <= 0)) smoothed = corrected;
    }
    const rawDrawable = finite && !(logScale && value <= 0);
    if (rawDrawable) out.points += 1;
    if (smoothed !== null) out.points += 1;
    if (!bucketOf) {
      emit(i, smoothed);
      continue;
    }
    if (i % CURVE_SLICE === CURVE_SLICE - 1) yield;
    const id = bucketOf((steps[i] + 1) / perEpoch);
    if (id !== bucket) {
      flush();
      bucket = id;
      first = i;
      low = high = -1;
      lowValue = Infinity;
      highValue = -Infinity;
    }
    last = i;
    smoothedAtLast = smoothed;
    if (rawDrawable) {
      if (value < lowValue) [low, lowValue] = [i, value];
      if (value > highValue) [high, highValue] = [i, value];
    }
  }
  if (bucketOf) flush();
  pushEpochsBefore(Infinity);
  return out;
}

/** The column of each x (increasing with x), or undefined when every batch is drawn. */
function bucketing(first: number, last: number, batches: number, options: CurveOptions): ((x: number) => number) | undefined {
  const { buckets, focus } = options;
  if (!buckets || batches <= 4 * buckets || !(last > first)) return undefined;
  const coarse = (x: number): number => Math.floor(((x - first) / (last - first)) * buckets);
  if (!focus || !(focus.max > focus.min)) return coarse;
  const fine = (x: number): number => Math.floor(((x - focus.min) / (focus.max - focus.min)) * buckets);
  const start = coarse(focus.min);
  return (x) => (x < focus.min ? coarse(x) : x <= focus.max ? start + 1 + fine(x) : coarse(x) + buckets + 2);
}

function pushRow(
  out: CurveData,
  x: number,
  raw: number | null,
  smoothed: number | null,
  epoch: EpochRecord | undefined,
  quantity: string,
  drawable: (value: number | undefined) => number | null,
): void {
  const train = epoch ? drawable(epoch.train[quantity]) : null;
  const validation = epoch ? drawable(epoch.validation[quantity]) : null;
  if (train !== null) out.points += 1;
  if (validation !== null) out.points += 1;
  out.x.push(x);
  out.series[0].push(raw);
  out.series[1].push(smoothed);
  out.series[2].push(train);
  out.series[3].push(validation);
}

/**
 * The batches to draw of a chart of per-batch `series` (columns read up to `n`) on `buckets`
 * columns: all of them up to 4 per column, else each column's first and last batch and, per series,
 * the batch of its lowest and highest positive value (a log-scale chart's envelope, spikes included).
 * `xOf(i)` is batch i's x, increasing. Returns indices in order.
 */
export function envelopeIndices(xOf: (i: number) => number, n: number, series: readonly (readonly number[])[], buckets: number): number[] {
  const bucketOf = bucketing(n > 1 ? xOf(0) : 0, n > 1 ? xOf(n - 1) : 0, n, { smoothing: 0, logScale: true, buckets });
  if (!bucketOf) return Array.from({ length: n }, (_, i) => i);
  const kept: number[] = [];
  const picks = new Set<number>();
  const flush = (): void => {
    kept.push(...[...picks].sort((a, b) => a - b));
    picks.clear();
  };
  let bucket = Number.NaN;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const id = i < n ? bucketOf(xOf(i)) : Number.NaN;
    if (id === bucket) continue;
    if (i > 0) {
      // The column [start, i): its ends, and each series' extremes.
      picks.add(start).add(i - 1);
      for (const values of series) {
        let [low, high] = [-1, -1];
        for (let k = start; k < i; k++) {
          const value = values[k];
          if (!(value > 0) || !Number.isFinite(value)) continue;
          if (low < 0 || value < values[low]) low = k;
          if (high < 0 || value > values[high]) high = k;
        }
        if (low >= 0) picks.add(low).add(high);
      }
      flush();
    }
    bucket = id;
    start = i;
  }
  return kept;
}

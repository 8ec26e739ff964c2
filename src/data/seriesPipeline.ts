/**
 * A numeric series (one or several columns) -> normalised forecasting windows
 * (`[n, lookback, features]` -> `[n, horizon]` of the first column).
 */
import type { DataSpec } from '../language/types';
import { fitNormalization, normalize, slidingWindows, splitSeriesInTime, type Normalization, type Windows } from './forecast';
import type { PipelineResult } from './prepared';
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION, type AffineStats } from './preprocessing';
import { sliceRows, type ExampleLimits } from './selection';
import { columnOf, fillMissing, type FilledGaps, type Series } from './series';
import { DataError, type Split, type TargetSteps } from './types';

/** The column a forecast predicts: the first of `data.columns.value`. */
const TARGET_FEATURE = 0;

export function prepareSeries(rawTrain: Series, rawValidation: Series | undefined, fraction: number, data: DataSpec, limits: ExampleLimits): PipelineResult {
  const { window } = data;
  const filledTrain = fillMissing(rawTrain, data.missing);
  const filledValidation = rawValidation && fillMissing(rawValidation, data.missing);
  const train = filledTrain.series;
  const { features } = train;
  const parts = filledValidation ? { train: whole(train), validation: whole(filledValidation.series) } : splitInTime(train, fraction, window);
  const normalizations = Array.from({ length: features }, (_, feature) =>
    checkedNormalization(columnOf(train, feature, parts.train.start, parts.train.end), window.normalize, train, feature, parts.train.start),
  );
  const windowsOf = ({ series, start, end }: Steps): Windows => {
    const rows = new Float32Array((end - start) * features);
    normalizations.forEach((normalization, feature) => {
      const column = normalize(columnOf(series, feature, start, end), normalization);
      column.forEach((value, step) => (rows[step * features + feature] = value));
    });
    const target = normalize(columnOf(series, TARGET_FEATURE, start, end), normalizations[TARGET_FEATURE]!);
    return slidingWindows(rows, window, features, target);
  };
  const trainWindows = windowsOf(parts.train);
  const validationWindows = windowsOf(parts.validation);
  if (trainWindows.count === 0) {
    throw new DataError(
      `the training series has ${parts.train.end - parts.train.start} values, fewer than lookback ${window.lookback} + horizon ${window.horizon}. Use a longer series or a smaller lookback.`,
      train.file,
    );
  }
  // Caps keep the training windows nearest the validation period, and the first validation windows.
  const trainKept = { start: Math.max(0, trainWindows.count - limits.train), end: trainWindows.count };
  const validationKept = { start: 0, end: Math.min(validationWindows.count, limits.validation) };
  const toSplit = (windows: Windows, start: number, end: number): Split => {
    const count = end - start;
    return {
      x: sliceRows(windows.x, window.lookback * features, start, end),
      xShape: [count, window.lookback, features],
      y: sliceRows(windows.y, window.horizon, start, end),
      yShape: [count, window.horizon],
      count,
    };
  };
  const gaps = mergeGaps(filledTrain.gaps, filledValidation?.gaps);
  const inputs = window.normalize === 'none' ? undefined : normalizations.map((normalization, feature) => affine(normalization, train.columns?.[feature]));
  return {
    train: toSplit(trainWindows, trainKept.start, trainKept.end),
    validation: toSplit(validationWindows, validationKept.start, validationKept.end),
    forecastSteps: { train: targetSteps(parts.train, trainKept, window), validation: targetSteps(parts.validation, validationKept, window) },
    inputKind: 'values',
    timesteps: window.lookback,
    features,
    preprocessing: {
      format: PREPROCESSING_FORMAT,
      version: PREPROCESSING_VERSION,
      task: 'forecast',
      inputKind: 'values',
      timesteps: window.lookback,
      features,
      ...(inputs ? { normalization: { inputs, target: inputs[TARGET_FEATURE]! } } : {}),
      window: { lookback: window.lookback, horizon: window.horizon },
    },
    ...(gaps ? { stats: { missing: gaps } } : {}),
  };
}

/** Statistics that overflowed would turn every value into 0 or NaN: name the value that did it. */
function checkedNormalization(values: Float64Array, kind: DataSpec['window']['normalize'], series: Series, feature: number, start: number): Normalization {
  const normalization = fitNormalization(values, kind);
  if (Number.isFinite(normalization.offset) && Number.isFinite(normalization.scale) && normalization.scale > 0) return normalization;
  let largest = 0;
  values.forEach((value, step) => (largest = Math.abs(value) > Math.abs(values[largest]!) ? step : largest));
  const column = series.columns?.[feature];
  throw new DataError(
    `the ${kind} statistics of ${column ? `the column "${column}"` : 'the series'} are not finite numbers (mean or spread overflowed), because of values as large as ${values[largest]}. Fix that value, or rescale the column.`,
    series.file,
    series.lines[start + largest],
  );
}

function affine({ kind, offset, scale }: Normalization, column: string | undefined): AffineStats {
  if (kind === 'none') throw new Error('affine() is only called for a fitted normalisation');
  return { method: kind, offset, scale, ...(column !== undefined ? { column } : {}) };
}

/** Steps `[start, end)` of a series. */
interface Steps {
  series: Series;
  start: number;
  end: number;
}

function whole(series: Series): Steps {
  return { series, start: 0, end: series.values.length / series.features };
}

function splitInTime(series: Series, fraction: number, window: DataSpec['window']): { train: Steps; validation: Steps } {
  const steps = series.values.length / series.features;
  const { trainEnd, validationStart } = splitSeriesInTime(steps, fraction, window, series.file);
  return { train: { series, start: 0, end: trainEnd }, validation: { series, start: validationStart, end: steps } };
}

/** Where the kept windows' targets sit in their series: the first target step, and every target step's date. */
function targetSteps(steps: Steps, kept: { start: number; end: number }, window: DataSpec['window']): TargetSteps {
  const first = steps.start + kept.start + window.lookback;
  const count = Math.max(0, kept.end - kept.start + window.horizon - 1);
  const dates = steps.series.dates?.slice(first, first + count);
  return { first, ...(dates && kept.end > kept.start ? { dates } : {}) };
}

function mergeGaps(train: FilledGaps | undefined, validation: FilledGaps | undefined): FilledGaps | undefined {
  if (!train || !validation) return train ?? validation;
  return { count: train.count + validation.count, method: train.method, lines: [...train.lines, ...validation.lines].slice(0, 10) };
}

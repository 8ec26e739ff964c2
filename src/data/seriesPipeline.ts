/** A numeric series -> normalised forecasting windows (`[n, lookback, 1]` -> `[n, horizon]`). */
import type { DataSpec } from '../language/types';
import { fitNormalization, normalize, slidingWindows, splitSeriesInTime, type Normalization, type Windows } from './forecast';
import type { PipelineResult } from './prepared';
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION, type AffineStats } from './preprocessing';
import type { Series } from './records';
import { sliceRows, type ExampleLimits } from './selection';
import { DataError, type Split } from './types';

export function prepareSeries(train: Series, validation: Series | undefined, fraction: number, data: DataSpec, limits: ExampleLimits): PipelineResult {
  const { window } = data;
  const parts = validation
    ? { train: train.values, validation: validation.values }
    : splitSeriesInTime(train.values, fraction, window, train.file);
  const normalization = fitNormalization(parts.train, window.normalize);
  const trainWindows = slidingWindows(normalize(parts.train, normalization), window);
  const validationWindows = slidingWindows(normalize(parts.validation, normalization), window);
  if (trainWindows.count === 0) {
    throw new DataError(
      `the training series has ${parts.train.length} values, fewer than lookback ${window.lookback} + horizon ${window.horizon}. Use a longer series or a smaller lookback.`,
      train.file,
    );
  }
  // Caps keep the training windows nearest the validation period, and the first validation windows.
  const toSplit = (windows: Windows, start: number, end: number): Split => {
    const count = end - start;
    return {
      x: sliceRows(windows.x, window.lookback, start, end),
      xShape: [count, window.lookback, 1],
      y: sliceRows(windows.y, window.horizon, start, end),
      yShape: [count, window.horizon],
      count,
    };
  };
  return {
    train: toSplit(trainWindows, Math.max(0, trainWindows.count - limits.train), trainWindows.count),
    validation: toSplit(validationWindows, 0, Math.min(validationWindows.count, limits.validation)),
    inputKind: 'values',
    timesteps: window.lookback,
    features: 1,
    preprocessing: {
      format: PREPROCESSING_FORMAT,
      version: PREPROCESSING_VERSION,
      task: 'forecast',
      inputKind: 'values',
      timesteps: window.lookback,
      features: 1,
      ...(normalization.kind !== 'none' ? { normalization: { inputs: [affine(normalization, train.column)], target: affine(normalization, train.column) } } : {}),
      window: { lookback: window.lookback, horizon: window.horizon },
    },
  };
}

function affine({ kind, offset, scale }: Normalization, column: string | undefined): AffineStats {
  if (kind === 'none') throw new Error('affine() is only called for a fitted normalisation');
  return { method: kind, offset, scale, ...(column !== undefined ? { column } : {}) };
}

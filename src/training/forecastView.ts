/**
 * The forecast view (issue 8 §2): after each epoch, the model's forecasts of the validation windows
 * in the data's units, read from the trainer's validation pass; with the first event, the actual
 * values, their dates and the naive forecasts of the same windows (the baselines' own rules), which
 * do not change from epoch to epoch.
 */
import * as tf from '@tensorflow/tfjs';
import type { AffineStats } from '../data/preprocessing';
import type { PreparedData, Split } from '../data/types';
import { significant } from '../inspect/rounding';
import type { ForecastEvent, ForecastRange } from '../protocol';
import type { PredictionCollector } from './predictionCollector';

/** Validation windows shown (the first ones): a picture of a few hundred steps reads best. */
export const MAX_FORECAST_WINDOWS = 1000;

/** A naive forecast: `[horizon]` normalised values for row `row` of a split (a baseline's rule). */
export interface NaiveRule {
  name: string;
  predict(split: Split, row: number): ArrayLike<number>;
}

export interface ForecastView extends PredictionCollector {
  /** The event of the predictions collected since the last evaluation began (the range with the first). */
  event(epoch: number): ForecastEvent | undefined;
}

export function createForecastView(data: PreparedData, naive: readonly NaiveRule[]): ForecastView {
  const split = data.validation;
  const horizon = split.yShape[1] ?? 1;
  const windows = Math.min(split.count, MAX_FORECAST_WINDOWS);
  const target = data.preprocessing.normalization?.target;
  const predicted = new Array<number>(windows * horizon).fill(0);
  let collected = 0;
  let rangeSent = false;
  return {
    reduce: (prediction) => tf.reshape(prediction, [prediction.shape[0], -1]),
    add(firstRow, rows, reduced) {
      if (firstRow === 0) collected = 0;
      const end = Math.min(windows, firstRow + rows);
      for (let row = firstRow; row < end; row++) {
        for (let j = 0; j < horizon; j++) predicted[row * horizon + j] = significant(toDataUnits(reduced[(row - firstRow) * horizon + j], target));
      }
      collected = Math.max(collected, end);
    },
    event(epoch) {
      if (windows === 0 || collected < windows) return undefined;
      const event: ForecastEvent = { type: 'forecast', epoch, predicted: predicted.slice() };
      if (!rangeSent) event.range = forecastRange(data, naive, windows, horizon, target);
      rangeSent = true;
      return event;
    },
  };
}

function forecastRange(data: PreparedData, naive: readonly NaiveRule[], windows: number, horizon: number, target: AffineStats | undefined): ForecastRange {
  const split = data.validation;
  const steps = data.forecastSteps?.validation;
  // Step i + j is window i's j-th target: every window's first target, then the last window's others.
  const actual: number[] = [];
  for (let i = 0; i < windows; i++) actual.push(split.y[i * horizon]);
  for (let j = 1; j < horizon; j++) actual.push(split.y[(windows - 1) * horizon + j]);
  const perRule = (rule: NaiveRule) => {
    const values: number[] = [];
    for (let row = 0; row < windows; row++) for (const value of Array.from(rule.predict(split, row)).slice(0, horizon)) values.push(significant(toDataUnits(value, target)));
    return { name: rule.name, values };
  };
  return {
    horizon,
    windows,
    total: split.count,
    firstStep: steps?.first ?? 0,
    actual: actual.map((value) => significant(toDataUnits(value, target))),
    ...(steps?.dates ? { dates: steps.dates.slice(0, windows + horizon - 1) } : {}),
    naive: naive.map(perRule),
  };
}

function toDataUnits(value: number, stats: AffineStats | undefined): number {
  return stats ? value * stats.scale + stats.offset : value;
}

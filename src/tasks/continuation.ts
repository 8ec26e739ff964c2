/**
 * Continuing a series past its end with a forecast model (`seqlab forecast <run> --steps N`):
 * recursive multi-step forecasting. The model forecasts `horizon` steps from the last `lookback`
 * values; those forecasts join the series as if they had been observed, and the window moves on
 * until N steps are forecast. Errors compound: each step after the first `horizon` rests on
 * forecasts, not data. Pure: the model comes in as a function.
 */
import { continueDates } from '../data/dates';
import type { EncodedInput, Encoder } from '../data/preprocessing';
import type { PreparedData } from '../data/types';

/** Longest continuation a command may ask for. */
export const MAX_FORECAST_STEPS = 10_000;

/** A forecast model as continuation needs it: one column in, `horizon` values of it out, in the data's units. */
export interface SeriesForecaster {
  lookback: number;
  horizon: number;
  /** `[lookback]` values -> `[horizon]` forecasts. */
  forecast(window: readonly number[]): number[];
}

/** The series cannot be continued (several columns, too short, a bad step count); the message says why. */
export class ContinuationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContinuationError';
  }
}

/** The next `steps` values after `history` (at least `lookback` values, in the data's units). */
export function continueSeries(history: readonly number[], steps: number, forecaster: SeriesForecaster): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_FORECAST_STEPS) {
    throw new ContinuationError(`--steps must be a whole number from 1 to ${MAX_FORECAST_STEPS} (got ${steps}).`);
  }
  if (history.length < forecaster.lookback) {
    throw new ContinuationError(`The series has ${history.length} values, fewer than the model's lookback of ${forecaster.lookback}.`);
  }
  const series = history.slice(-forecaster.lookback);
  const forecasts: number[] = [];
  while (forecasts.length < steps) {
    const next = forecaster.forecast(series.slice(-forecaster.lookback)).slice(0, steps - forecasts.length);
    forecasts.push(...next);
    series.push(...next);
  }
  return forecasts;
}

/**
 * The forecaster of a saved model: its preprocessing state normalises the window as training did,
 * `outputFor` runs the model, and the target's statistics bring the forecast back to the data's
 * units. Throws a ContinuationError for a model that is not a one-column forecast.
 */
export function forecasterOf(predictor: { encoder: Encoder; outputFor(input: EncodedInput): number[] }): SeriesForecaster {
  const { state } = predictor.encoder;
  if (state.task !== 'forecast' || !state.window) {
    throw new ContinuationError(`This run's model is a ${state.task} model: only forecast models (data.task: forecast) continue a series.`);
  }
  if (state.features !== 1) {
    throw new ContinuationError(
      `This model reads ${state.features} columns per step but forecasts only the first: continuing the series would need forecasts of every column. Continue a one-column forecast model, or use \`seqlab predict\` for the next ${state.window.horizon} step(s).`,
    );
  }
  return {
    lookback: state.window.lookback,
    horizon: state.window.horizon,
    forecast: (window) => predictor.encoder.toDataUnits(predictor.outputFor(predictor.encoder.encodeSteps(window.map((value) => [value])))),
  };
}

/** The end of a forecast run's series: its last values in the data's units, and the dates of the steps after it. */
export interface SeriesEnd {
  /** The last `lookback + horizon` values of the series (of its validation part, when validation has its own file). */
  values: number[];
  /** The dates of the `steps` steps after the end, when the data has a date column of a steady step. */
  nextDates(steps: number): string[] | undefined;
  /** The dates of the last values, aligned at the end of `values` (there may be fewer), when the data has a date column. */
  dates?: string[];
}

/**
 * The last window of the prepared data (validation, else training) and its targets: the series'
 * last `lookback + horizon` values, back in the data's units.
 */
export function seriesEnd(data: PreparedData): SeriesEnd {
  const useValidation = data.validation.count > 0;
  const split = useValidation ? data.validation : data.train;
  const [count, lookback, features] = split.xShape;
  const horizon = split.yShape[1] ?? 1;
  const stats = data.preprocessing.normalization;
  const undo = (value: number, which: 'input' | 'target') => {
    const affine = which === 'input' ? stats?.inputs?.[0] : stats?.target;
    return affine ? value * affine.scale + affine.offset : value;
  };
  const last = count - 1;
  const values: number[] = [];
  for (let t = 0; t < lookback; t++) values.push(undo(split.x[(last * lookback + t) * (features ?? 1)], 'input'));
  for (let j = 0; j < horizon; j++) values.push(undo(split.y[last * horizon + j], 'target'));
  const targetDates = (useValidation ? data.forecastSteps?.validation : data.forecastSteps?.train)?.dates;
  return {
    values,
    ...(targetDates ? { dates: targetDates.slice(-values.length) } : {}),
    nextDates: (steps) => (targetDates ? continueDates(targetDates, steps) : undefined),
  };
}

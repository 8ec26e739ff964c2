/**
 * The forecast view's lines and figures from the run state (issue 8 §2). Pure, tested in Node.
 *
 * Window i of the validation split forecasts steps i .. i + horizon - 1 of the range (0-based from
 * `ForecastRange.firstStep`). The one-step-ahead line joins every window's first forecast; with a
 * horizon above 1 a fan, from a few evenly spaced windows, shows each window's whole forecast path.
 */
import type { Baseline, ForecastEvent, ForecastRange } from '../../src/protocol';
import type { RunState } from './state';

/** At most this many fans: more paths than that hide the data they forecast. */
export const MAX_FANS = 12;

export interface ForecastLine {
  label: string;
  role: 'actual' | 'model' | 'naive' | 'fan';
  /** One value per step of the range; null where the line has none. */
  values: (number | null)[];
}

export interface ForecastPicture {
  /** 0 .. steps - 1: positions in the range (`firstStep` + x in the series). */
  x: number[];
  /** The date under each step when the data has a date column, else its position in the series (1-based). */
  labels: string[];
  lines: ForecastLine[];
}

/** The lines of the range for the model's forecasts of one epoch. */
export function forecastPicture(range: ForecastRange, event: ForecastEvent | undefined): ForecastPicture {
  const { horizon, windows } = range;
  const steps = windows + horizon - 1;
  const x = Array.from({ length: steps }, (_, k) => k);
  const empty = (): (number | null)[] => new Array<number | null>(steps).fill(null);
  const oneStep = (values: readonly number[]): (number | null)[] => {
    const line = empty();
    for (let i = 0; i < windows; i++) line[i] = values[i * horizon] ?? null;
    return line;
  };
  const aheadWords = horizon > 1 ? ' (1 step ahead)' : '';
  const lines: ForecastLine[] = [{ label: 'actual', role: 'actual', values: range.actual.slice(0, steps) }];
  if (event) {
    lines.push({ label: `model${aheadWords}`, role: 'model', values: oneStep(event.predicted) });
    for (const origin of fanOrigins(windows, horizon)) {
      const fan = empty();
      for (let j = 0; j < horizon; j++) fan[origin + j] = event.predicted[origin * horizon + j] ?? null;
      lines.push({ label: `model from step ${origin + 1}`, role: 'fan', values: fan });
    }
  }
  for (const naive of range.naive) lines.push({ label: `${naive.name}${aheadWords}`, role: 'naive', values: oneStep(naive.values) });
  const labels = x.map((k) => range.dates?.[k] ?? String(range.firstStep + k + 1));
  return { x, labels, lines };
}

/** Windows whose whole forecast is drawn as a fan: none for horizon 1, else evenly spaced ones. */
export function fanOrigins(windows: number, horizon: number): number[] {
  if (horizon <= 1 || windows === 0) return [];
  const stride = Math.max(horizon, Math.ceil(windows / MAX_FANS));
  const origins: number[] = [];
  for (let origin = 0; origin < windows; origin += stride) origins.push(origin);
  return origins;
}

/** A row of the figures table: the model or a naive forecast, with its MAE and RMSE in the data's units. */
export interface ForecastFigure {
  name: string;
  mae?: number;
  rmse?: number;
  /** Where the figures come from: the epoch's validation metrics, the baselines, or the windows drawn. */
  source: 'metrics' | 'baselines' | 'drawn windows';
}

/**
 * MAE and RMSE over the validation split, side by side: the model's at `epoch` (its `data_mae`,
 * `data_rmse`) and each naive forecast's (the run's baselines of the same name). A run recorded
 * without them gets the figures of the windows drawn.
 */
export function forecastFigures(state: RunState, epoch: number | undefined): ForecastFigure[] {
  const range = state.forecastRange;
  if (!range) return [];
  const event = state.forecasts.find((f) => f.epoch === epoch);
  const validation = state.epochs.find((e) => e.epoch === epoch)?.validation ?? {};
  const model: ForecastFigure =
    validation.data_mae !== undefined
      ? { name: 'model', mae: validation.data_mae, rmse: validation.data_rmse, source: 'metrics' }
      : { name: 'model', ...errors(range, event?.predicted ?? []), source: 'drawn windows' };
  const baselines: readonly Baseline[] = state.baselines ?? [];
  const naive = range.naive.map((rule): ForecastFigure => {
    const figure = (metric: string) => baselines.find((b) => b.name === rule.name && b.metric === metric)?.value;
    const mae = figure('val_data_mae');
    return mae !== undefined ? { name: rule.name, mae, rmse: figure('val_data_rmse'), source: 'baselines' } : { name: rule.name, ...errors(range, rule.values), source: 'drawn windows' };
  });
  return event || model.source === 'metrics' ? [model, ...naive] : naive;
}

/** MAE and RMSE of `[windows * horizon]` forecasts against the range's actual values. */
export function errors(range: ForecastRange, forecasts: readonly number[]): { mae?: number; rmse?: number } {
  let absolute = 0;
  let squared = 0;
  let count = 0;
  for (let i = 0; i < range.windows; i++) {
    for (let j = 0; j < range.horizon; j++) {
      const forecast = forecasts[i * range.horizon + j];
      const actual = range.actual[i + j];
      if (forecast === undefined || actual === undefined) continue;
      absolute += Math.abs(forecast - actual);
      squared += (forecast - actual) ** 2;
      count++;
    }
  }
  return count === 0 ? {} : { mae: absolute / count, rmse: Math.sqrt(squared / count) };
}

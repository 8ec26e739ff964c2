import assert from 'node:assert/strict';
import { test } from 'node:test';
import { continueDates, findDateColumn } from '../../src/data/dates';
import { readSeries } from '../../src/data/series';
import { ContinuationError, continueSeries, forecasterOf, seriesEnd } from '../../src/tasks/continuation';
import { createEncoder, type PreprocessingState } from '../../src/data/preprocessing';
import { prepareSeries } from '../../src/data/seriesPipeline';
import { resolveSpec } from '../../src/language/resolve';

test('dates continue by the step of the last two: months, years, days, hours', () => {
  assert.deepEqual(continueDates(['1960-11', '1960-12'], 3), ['1961-01', '1961-02', '1961-03']);
  assert.deepEqual(continueDates(['1870', '1871'], 2), ['1872', '1873']);
  assert.deepEqual(continueDates(['2024-02-27', '2024-02-28'], 2), ['2024-02-29', '2024-03-01']);
  assert.deepEqual(continueDates(['2024/01/31', '2024/02/07'], 1), ['2024/02/14']);
  assert.deepEqual(continueDates(['2024-01-31 22:00', '2024-01-31 23:00'], 2), ['2024-02-01 00:00', '2024-02-01 01:00']);
  assert.deepEqual(continueDates(['2023-12-31', '2024-01-31'], 2), ['2024-02-29', '2024-03-31'], 'month ends stay in their month');
  assert.equal(continueDates(['Jan 60', 'Feb 60'], 2), undefined, 'not ISO-like: no guess');
  assert.equal(continueDates(['1960-12'], 2), undefined);
});

test('the date column is the one named so, else one of ISO dates only; never a value column', () => {
  assert.equal(findDateColumn(['Month', 'Passengers'], [['1949-01', '112']], ['Passengers']), 0);
  assert.equal(findDateColumn(['when', 'x'], [['2020-01-01', '1'], ['2020-01-02', '2']], ['x']), 0);
  assert.equal(findDateColumn(['id', 'x'], [['a', '1']], ['x']), undefined);
  assert.equal(findDateColumn(['year', 'flow'], [['1871', '1120'], ['', '1160']], ['flow']), undefined, 'a column with blanks is not a date column');
});

const airline = ['"Month","Passengers"', ...Array.from({ length: 36 }, (_, i) => `"${1949 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}",${100 + i}`)].join('\n');

test('a series table keeps its dates, and the windows know the dates of their targets', () => {
  const series = readSeries(airline, 'air.csv', 'csv', { text: 'text', label: 'label', value: 'Passengers' });
  assert.equal(series.dates?.[0], '1949-01');
  const spec = resolveSpec({ data: { source: 'air.csv', task: 'forecast', columns: { value: 'Passengers' }, window: { lookback: 12, horizon: 2 }, validation: 0.25 } });
  const result = prepareSeries(series, undefined, 0.25, spec.data, { train: Infinity, validation: Infinity });
  const validation = result.forecastSteps!.validation;
  // 36 steps, cut at 27; validation windows start at step 27 - (12 + 2) + 1 = 14, so their last targets are the validation steps.
  assert.equal(validation.first, 26);
  assert.equal(validation.dates?.[0], '1951-03');
  assert.equal(validation.dates?.length, result.validation.count + 1);
  assert.equal(validation.dates?.at(-1), '1951-12');
  const end = seriesEnd({ ...result, stats: {} as never, hash: '', encodeText: () => undefined as never, validationExample: () => undefined as never });
  assert.deepEqual(end.values.slice(-3).map((value) => Number(value.toFixed(4))), [133, 134, 135], 'the last values, back in the data\'s units (float32 windows)');
  assert.deepEqual(end.nextDates(2), ['1952-01', '1952-02']);
});

test('recursive continuation feeds each forecast back as input', () => {
  // A "model" that forecasts the next two steps of an arithmetic progression from the last two values.
  const forecaster = { lookback: 3, horizon: 2, forecast: (w: readonly number[]) => [2 * w[2] - w[1], 3 * w[2] - 2 * w[1]] };
  assert.deepEqual(continueSeries([1, 2, 3, 4], 5, forecaster), [5, 6, 7, 8, 9]);
  assert.throws(() => continueSeries([1, 2], 1, forecaster), ContinuationError);
  assert.throws(() => continueSeries([1, 2, 3], 0, forecaster), /--steps must be a whole number/);
});

const forecastState = (features: number): PreprocessingState => ({
  format: 'seqlab-preprocessing',
  version: 1,
  task: 'forecast',
  inputKind: 'values',
  timesteps: 2,
  features,
  normalization: { inputs: [{ method: 'zscore', offset: 100, scale: 10 }], target: { method: 'zscore', offset: 100, scale: 10 } },
  window: { lookback: 2, horizon: 1 },
});

test('a saved model forecasts in the data\'s units through its preprocessing state', () => {
  const encoder = createEncoder(forecastState(1));
  // The "model" returns the mean of its normalised inputs.
  const forecaster = forecasterOf({ encoder, outputFor: (input) => [(input.x[0] + input.x[1]) / 2] });
  assert.deepEqual(forecaster.forecast([110, 130]), [120]);
  assert.deepEqual(continueSeries([110, 130], 2, forecaster), [120, 125]);
});

test('several columns, or a model of another task, cannot continue a series', () => {
  assert.throws(() => forecasterOf({ encoder: createEncoder(forecastState(2)), outputFor: () => [0] }), /reads 2 columns per step but forecasts only the first/);
  const binary = { ...forecastState(1), task: 'binary' as const, window: undefined };
  assert.throws(() => forecasterOf({ encoder: createEncoder(binary), outputFor: () => [0] }), /binary model: only forecast models/);
});

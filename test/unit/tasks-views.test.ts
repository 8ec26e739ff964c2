/**
 * The task views' figures (issue 8 §2, §4, §1 on charts): what the trainer's validation pass
 * records for a forecast and a classifier, and what the panel draws from it, on small inputs with
 * answers worked out by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreparedData, Split } from '../../src/data/types';
import type { Baseline, ForecastRange, RunEvent } from '../../src/protocol';
import { createClassificationView } from '../../src/training/classificationView';
import { createForecastView } from '../../src/training/forecastView';
import { chartBaselines } from '../../webview/src/chartBaselines';
import { accuracyOf, classFigures, rowNormalised } from '../../webview/src/confusion';
import { errors, fanOrigins, forecastFigures, forecastPicture } from '../../webview/src/forecastSeries';
import { stateFromView } from '../../webview/src/state';

/**
 * A normalised series 0..5 (data = normalised · 2 + 10), cut into windows of lookback 2 and
 * horizon 2: row i reads steps i, i + 1 and forecasts steps i + 2, i + 3.
 */
function forecastData(): PreparedData {
  const series = [0, 1, 2, 3, 4, 5];
  const rows = 3;
  const x = new Float32Array(rows * 2);
  const y = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    x.set([series[i], series[i + 1]], i * 2);
    y.set([series[i + 2], series[i + 3]], i * 2);
  }
  const validation: Split = { x, xShape: [rows, 2, 1], y, yShape: [rows, 2], count: rows };
  return {
    validation,
    forecastSteps: { train: { first: 2 }, validation: { first: 40, dates: ['1950-01', '1950-02', '1950-03', '1950-04'] } },
    preprocessing: { normalization: { target: { method: 'zscore', offset: 10, scale: 2 } } },
  } as unknown as PreparedData;
}

const lastValue = { name: 'naive last value', predict: (split: Split, row: number) => new Float32Array(2).fill(split.x[row * 2 + 1]) };

test('the forecast view gives the model\'s forecasts, the actual values and the naive forecasts in the data\'s units', () => {
  const view = createForecastView(forecastData(), [lastValue]);
  assert.equal(view.event(0), undefined, 'nothing before a validation pass');
  view.add(0, 2, new Float32Array([2, 2, 3, 3]));
  assert.equal(view.event(0), undefined, 'nothing before every window is seen');
  view.add(2, 1, new Float32Array([4, 5]));
  const first = view.event(0)!;
  assert.deepEqual(first.predicted, [14, 14, 16, 16, 18, 20]);
  assert.deepEqual(first.range, {
    horizon: 2,
    windows: 3,
    total: 3,
    firstStep: 40,
    actual: [14, 16, 18, 20],
    dates: ['1950-01', '1950-02', '1950-03', '1950-04'],
    naive: [{ name: 'naive last value', values: [12, 12, 14, 14, 16, 16] }],
  });
  view.add(0, 3, new Float32Array([3, 3, 4, 4, 5, 5]));
  const second = view.event(1)!;
  assert.deepEqual(second.predicted, [16, 16, 18, 18, 20, 20], 'a new pass replaces the last');
  assert.equal(second.range, undefined, 'the range is sent once');
});

test('the panel\'s forecast picture: one-step lines, fans of whole forecasts, dates on the axis, errors side by side', () => {
  const view = createForecastView(forecastData(), [lastValue]);
  view.add(0, 3, new Float32Array([2, 2, 3, 3, 4, 5]));
  const event = view.event(3)!;
  const range = event.range as ForecastRange;
  const picture = forecastPicture(range, event);
  assert.deepEqual(picture.labels, ['1950-01', '1950-02', '1950-03', '1950-04']);
  const line = (label: string) => picture.lines.find((l) => l.label === label)?.values;
  assert.deepEqual(line('actual'), [14, 16, 18, 20]);
  assert.deepEqual(line('model (1 step ahead)'), [14, 16, 18, null]);
  assert.deepEqual(line('naive last value (1 step ahead)'), [12, 14, 16, null]);
  assert.deepEqual(line('model from step 1'), [14, 14, null, null], 'the fan of window 0 spans its horizon');
  // Model: errors 0, 2 | 0, 2 | 0, 0 → MAE 4/6, RMSE sqrt(8/6). Naive: 2, 4 | 2, 4 | 2, 4 → MAE 3, RMSE sqrt(10).
  const model = errors(range, event.predicted);
  assert.ok(Math.abs(model.mae! - 4 / 6) < 1e-12 && Math.abs(model.rmse! - Math.sqrt(8 / 6)) < 1e-12);
  const naive = errors(range, range.naive[0].values);
  assert.ok(Math.abs(naive.mae! - 3) < 1e-12 && Math.abs(naive.rmse! - Math.sqrt(10)) < 1e-12);
  // In the panel the model's figures are the epoch's metrics when recorded, the naive ones the baselines'.
  const baselines: Baseline[] = [
    { name: 'naive last value', metric: 'val_data_mae', value: 3, unit: 'data units', description: '' },
    { name: 'naive last value', metric: 'val_data_rmse', value: 3.1623, unit: 'data units', description: '' },
  ];
  const events: RunEvent[] = [
    { type: 'baselines', baselines },
    { type: 'epoch', epoch: 3, train: { loss: 1 }, validation: { loss: 1, data_mae: 0.6667, data_rmse: 1.1547 }, durationMs: 1, liveTensors: 0 },
    event,
  ];
  const state = stateFromView({ runId: 'r', runDir: '', events });
  assert.deepEqual(forecastFigures(state, 3), [
    { name: 'model', mae: 0.6667, rmse: 1.1547, source: 'metrics' },
    { name: 'naive last value', mae: 3, rmse: 3.1623, source: 'baselines' },
  ]);
});

test('fans: none for one-step forecasts, at most 12, never overlapping', () => {
  assert.deepEqual(fanOrigins(100, 1), []);
  assert.deepEqual(fanOrigins(10, 3), [0, 3, 6, 9]);
  const many = fanOrigins(1000, 4);
  assert.ok(many.length <= 12 && many.every((origin, i) => i === 0 || origin - many[i - 1] >= 4));
});

/** A validation split of 6 reviews, labels 1 1 1 0 0 0, as word ids. */
function classificationData(): PreparedData {
  const tokens = ['', '[UNK]', 'good', 'bad', 'film'];
  const x = new Int32Array([2, 4, 2, 2, 4, 0, 3, 4, 3, 3, 4, 0]);
  const y = new Float32Array([1, 1, 1, 0, 0, 0]);
  return {
    inputKind: 'tokens',
    vocabulary: { tokens, level: 'word' },
    validation: { x, xShape: [6, 2], y, yShape: [6, 1], count: 6 },
  } as unknown as PreparedData;
}

test('the classification view counts the confusion matrix at 0.5 and keeps the most confidently wrong examples, worst first', () => {
  const view = createClassificationView(classificationData(), ['negative', 'positive']);
  // Sigmoid outputs of the 6 examples, in two batches.
  view.add(0, 4, new Float32Array([0.9, 0.3, 0.6, 0.95]));
  view.add(4, 2, new Float32Array([0.2, 0.5]));
  const event = view.event(2)!;
  // actual 1: 0.9 ✓, 0.3 ✗ (0 at 0.7), 0.6 ✓ | actual 0: 0.95 ✗ (1 at 0.95), 0.2 ✓, 0.5 ✓ (not above 0.5).
  assert.deepEqual(event.confusion, [[2, 1], [1, 2]]);
  assert.deepEqual(
    event.wrong.map(({ index, actual, predicted, probability, text }) => ({ index, actual, predicted, probability, text })),
    [
      { index: 3, actual: 0, predicted: 1, probability: 0.95, text: 'bad film' },
      { index: 1, actual: 1, predicted: 0, probability: 0.7, text: 'good good' },
    ],
  );
  view.add(0, 6, new Float32Array([0.9, 0.9, 0.9, 0.1, 0.1, 0.1]));
  assert.deepEqual(view.event(3)!.confusion, [[3, 0], [0, 3]], 'each epoch starts a new count');
  assert.deepEqual(view.event(3)!.wrong, []);
});

test('a multiclass view takes the most probable class', () => {
  const data = classificationData();
  data.validation.y = new Int32Array([0, 1, 2, 2, 1, 0]);
  const view = createClassificationView(data, ['a', 'b', 'c']);
  view.add(0, 6, new Float32Array([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.1, 0.8, 0.6, 0.3, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4]));
  const event = view.event(0)!;
  assert.deepEqual(event.confusion, [[1, 0, 1], [0, 2, 0], [1, 0, 1]]);
  assert.deepEqual(event.wrong.map((w) => [w.index, w.predicted, w.probability]), [[3, 0, 0.6], [5, 2, 0.4]]);
});

test('confusion figures: row-normalised rows, per-class precision and recall, accuracy', () => {
  const confusion = [[8, 2], [3, 7]];
  assert.deepEqual(rowNormalised(confusion), [[0.8, 0.2], [0.3, 0.7]]);
  assert.deepEqual(classFigures(confusion, ['neg', 'pos']), [
    { name: 'neg', precision: 8 / 11, recall: 0.8, support: 10 },
    { name: 'pos', precision: 7 / 9, recall: 0.7, support: 10 },
  ]);
  assert.equal(accuracyOf(confusion), 0.75);
  assert.deepEqual(classFigures([[0, 0], [2, 0]], ['a', 'b']), [{ name: 'a', precision: 0, support: 0 }, { name: 'b', recall: 0, support: 2 }], 'no precision without a prediction, no recall without an example');
});

test('a chart draws the validation baselines of its quantity, else the training ones', () => {
  const baselines: Baseline[] = [
    { name: 'majority class', metric: 'val_accuracy', value: 0.7, unit: 'fraction', description: '' },
    { name: 'majority class', metric: 'accuracy', value: 0.72, unit: 'fraction', description: '' },
    { name: 'class frequencies', metric: 'val_loss', value: 0.6109, unit: 'nats per example', description: '' },
    { name: 'unigram', metric: 'loss', value: 2.5, unit: 'nats per token', description: '' },
  ];
  assert.deepEqual(chartBaselines(baselines, 'accuracy'), [{ label: 'majority class', value: 0.7 }]);
  assert.deepEqual(chartBaselines(baselines, 'loss'), [{ label: 'class frequencies', value: 0.6109 }]);
  assert.deepEqual(chartBaselines(baselines.slice(3), 'loss'), [{ label: 'unigram', value: 2.5 }]);
  assert.deepEqual(chartBaselines(undefined, 'loss'), []);
  assert.deepEqual(chartBaselines(baselines, 'data_mae'), []);
});

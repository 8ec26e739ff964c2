import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { createSplitMetrics, rocAuc } from '../../src/training/splitMetrics';

const close = (actual: number | undefined, expected: number): void => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} vs ${expected}`);
const reduce = (metrics: NonNullable<ReturnType<typeof createSplitMetrics>>, prediction: number[][]): Float32Array =>
  tf.tidy(() => metrics.reduce(tf.tensor2d(prediction))).dataSync() as Float32Array;

describe('split-level metrics', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  // Labels 1 1 1 0 0 0 0; scores put two positives and one negative above 0.5:
  // TP 2, FP 1, FN 1 -> precision 2/3, recall 2/3, F1 2/3.
  const labels = [1, 1, 1, 0, 0, 0, 0];
  const scores = [0.9, 0.6, 0.3, 0.7, 0.4, 0.2, 0.1];

  it('binary precision, recall, F1 (threshold 0.5) and exact ROC AUC over the whole split, not batch means', () => {
    const metrics = createSplitMetrics({ task: 'binary', metrics: ['accuracy', 'precision', 'recall', 'f1_score', 'auc'] })!;
    assert.deepEqual(metrics.names, ['precision', 'recall', 'f1_score', 'auc']);
    const whole = metrics.start();
    // Two batches whose own precisions (1/1 and 1/2) average to 0.75, not the split's 2/3.
    whole.add(labels.slice(0, 2), reduce(metrics, scores.slice(0, 2).map((s) => [s])));
    whole.add(labels.slice(2), reduce(metrics, scores.slice(2).map((s) => [s])));
    const values = whole.values();
    close(values.precision, 2 / 3);
    close(values.recall, 2 / 3);
    close(values.f1_score, 2 / 3);
    // Pairs (positive, negative) ordered right: 0.9 beats 4, 0.6 beats 3, 0.3 beats 2 -> 9 of 12.
    close(values.auc, 9 / 12);
  });

  it('reads the positive class of a two-unit softmax', () => {
    const metrics = createSplitMetrics({ task: 'binary', metrics: ['recall'] })!;
    const whole = metrics.start();
    whole.add([1, 0, 1], reduce(metrics, [[0.2, 0.8], [0.9, 0.1], [0.7, 0.3]]));
    assert.deepEqual(whole.values(), { recall: 0.5 });
  });

  it('AUC counts ties as half and is 0.5 without both classes', () => {
    close(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]), 0.5);
    close(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75); // the sklearn documentation's example
    close(rocAuc([0.3, 0.6], [1, 1]), 0.5);
  });

  it('precision is 0 when nothing is predicted positive (Keras), not NaN', () => {
    const metrics = createSplitMetrics({ task: 'binary', metrics: ['precision', 'f1_score'] })!;
    const whole = metrics.start();
    whole.add([1, 0], reduce(metrics, [[0.1], [0.2]]));
    assert.deepEqual(whole.values(), { precision: 0, f1_score: 0 });
  });

  it('multiclass f1_score is the unweighted mean of per-class F1', () => {
    const metrics = createSplitMetrics({ task: 'multiclass', metrics: ['accuracy', 'f1_score'], classes: 3 })!;
    const whole = metrics.start();
    // true 0 0 1 2, predicted 0 1 1 1: F1 class 0 = 2/3, class 1 = 2·1/(2+2+0) = 1/2, class 2 = 0.
    const onehot = (id: number) => [0, 1, 2].map((c) => (c === id ? 0.8 : 0.1));
    whole.add([0, 0, 1, 2], reduce(metrics, [0, 1, 1, 1].map(onehot)));
    close(whole.values().f1_score, (2 / 3 + 1 / 2 + 0) / 3);
  });

  it('regression and forecast errors in the data units: RMSE is the root of the split mean, scaled back', () => {
    const metrics = createSplitMetrics({ task: 'forecast', metrics: ['mae'], targetScale: 10 })!;
    const whole = metrics.start();
    // Normalised errors 1, -1 (batch 1) and 3, 0 (batch 2; horizon 2) -> data units x10.
    whole.add([0, 0], reduce(metrics, [[1], [-1]]).subarray(0, 2));
    whole.add([0, 0], reduce(metrics, [[3, 0]]));
    const values = whole.values();
    close(values.data_mae, (10 + 10 + 30 + 0) / 4);
    close(values.data_rmse, Math.sqrt((100 + 100 + 900 + 0) / 4));
  });

  it('has nothing to compute for accuracy alone or for next-token', () => {
    assert.equal(createSplitMetrics({ task: 'binary', metrics: ['accuracy'] }), undefined);
    assert.equal(createSplitMetrics({ task: 'next-token', metrics: ['accuracy'] }), undefined);
  });
});

/**
 * Metrics that are not a mean of per-example values, so they are computed over a whole epoch
 * (training) or split (validation) rather than averaged over batches, as Keras's stateful metrics
 * do: precision, recall, F1 and AUC of a binary classifier, macro-F1 of a multiclass one, and the
 * regression/forecast errors in the data's units (`data_mae`, `data_rmse`: RMSE is the root of the
 * split's mean squared error, not a mean of batch roots).
 *
 * Each batch's prediction is reduced on the device to a few numbers per example (the positive-class
 * probability, the arg-max class, the predicted values) and accumulated on the CPU with the batch's
 * targets.
 */
import * as tf from '@tensorflow/tfjs';
import type { MetricName, Task } from '../language/types';
import type { Metrics } from '../protocol';

export interface SplitMetrics {
  /** Metric names reported, in order. */
  readonly names: readonly string[];
  /** What leaves the device per batch: `[batch]` or `[batch, horizon]` floats. Call inside a tidy. */
  reduce(prediction: tf.Tensor): tf.Tensor;
  /** A fresh accumulator for one epoch or one evaluation. */
  start(): SplitAccumulator;
}

export interface SplitAccumulator {
  /** `targets`: the batch's rows of `Split.y` (row-major); `reduced`: what `reduce` returned. */
  add(targets: ArrayLike<number>, reduced: ArrayLike<number>): void;
  /** The metrics over everything added so far (Keras's running value of a stateful metric). */
  values(): Metrics;
}

export interface SplitMetricsSetup {
  task: Task;
  metrics: readonly MetricName[];
  /** multiclass: number of classes. */
  classes?: number;
  /** Regression/forecast: the scale targets were divided by (`normalization.target.scale`); absent: raw. */
  targetScale?: number;
}

const BINARY_METRICS: readonly MetricName[] = ['precision', 'recall', 'f1_score', 'auc'];

/** The split-level metrics a run reports, or undefined when it has none. */
export function createSplitMetrics(setup: SplitMetricsSetup): SplitMetrics | undefined {
  const { task, metrics } = setup;
  if (task === 'regression' || task === 'forecast') return dataUnitErrors(setup.targetScale ?? 1);
  if (task === 'binary') {
    const names = BINARY_METRICS.filter((name) => metrics.includes(name));
    return names.length > 0 ? binaryMetrics(names) : undefined;
  }
  if (task === 'multiclass' && metrics.includes('f1_score') && setup.classes !== undefined) return macroF1(setup.classes);
  return undefined;
}

/** `data_mae`, `data_rmse`: errors of normalised values times the scale (normalisation is affine). */
function dataUnitErrors(scale: number): SplitMetrics {
  return {
    names: ['data_mae', 'data_rmse'],
    reduce: (prediction) => tf.reshape(prediction, [prediction.shape[0], -1]),
    start: () => {
      let absolute = 0;
      let squared = 0;
      let count = 0;
      return {
        add(targets, reduced) {
          for (let i = 0; i < reduced.length; i++) {
            const error = (reduced[i] - targets[i]) * scale;
            absolute += Math.abs(error);
            squared += error * error;
          }
          count += reduced.length;
        },
        values: (): Metrics => (count === 0 ? {} : { data_mae: absolute / count, data_rmse: Math.sqrt(squared / count) }),
      };
    },
  };
}

/**
 * Binary classifiers: the positive-class probability (a sigmoid unit, or the second unit of a
 * two-unit softmax) against labels 0/1. Precision, recall and F1 at Keras's threshold 0.5.
 */
function binaryMetrics(names: readonly MetricName[]): SplitMetrics {
  return {
    names,
    reduce: (prediction) => {
      const units = prediction.shape[prediction.rank - 1];
      const positive = units === 1 ? prediction : tf.slice(prediction, [0, 1], [-1, 1]);
      return tf.reshape(positive, [-1]);
    },
    start: () => {
      const scores: number[] = [];
      const labels: number[] = [];
      return {
        add(targets, reduced) {
          for (let i = 0; i < reduced.length; i++) {
            scores.push(reduced[i]);
            labels.push(targets[i]);
          }
        },
        values: () => {
          if (scores.length === 0) return {};
          const counts = confusion(scores, labels);
          const all: Record<string, number> = {
            precision: ratio(counts.truePositive, counts.truePositive + counts.falsePositive),
            recall: ratio(counts.truePositive, counts.truePositive + counts.falseNegative),
            f1_score: f1(counts.truePositive, counts.falsePositive, counts.falseNegative),
            auc: rocAuc(scores, labels),
          };
          return Object.fromEntries(names.map((name) => [name, all[name]]));
        },
      };
    },
  };
}

function confusion(scores: readonly number[], labels: readonly number[]): { truePositive: number; falsePositive: number; falseNegative: number } {
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  scores.forEach((score, i) => {
    const predicted = score > 0.5;
    const actual = labels[i] === 1;
    if (predicted && actual) truePositive++;
    else if (predicted) falsePositive++;
    else if (actual) falseNegative++;
  });
  return { truePositive, falsePositive, falseNegative };
}

/** Keras returns 0 where a ratio's denominator is 0 (no positive prediction, no positive label). */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** F1 = 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, 0 when both are 0. */
function f1(truePositive: number, falsePositive: number, falseNegative: number): number {
  return ratio(2 * truePositive, 2 * truePositive + falsePositive + falseNegative);
}

/**
 * Exact area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting half (the Mann-Whitney U statistic). Keras's `AUC` approximates the same
 * area with 200 thresholds. 0.5 when one class is absent (the area is undefined then).
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start..end-1 (1-based: start+1..end) share their mean
    for (let i = start; i < end; i++) {
      if (labels[order[i]] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Multiclass `f1_score`: the unweighted mean over classes of each class's F1 (Keras `average='macro'`). */
function macroF1(classes: number): SplitMetrics {
  return {
    names: ['f1_score'],
    reduce: (prediction) => tf.cast(tf.argMax(prediction, -1), 'float32'),
    start: () => {
      const truePositive = new Float64Array(classes);
      const predicted = new Float64Array(classes);
      const actual = new Float64Array(classes);
      let count = 0;
      return {
        add(targets, reduced) {
          for (let i = 0; i < reduced.length; i++) {
            predicted[reduced[i]]++;
            actual[targets[i]]++;
            if (reduced[i] === targets[i]) truePositive[targets[i]]++;
          }
          count += reduced.length;
        },
        values: (): Metrics => {
          if (count === 0) return {};
          let sum = 0;
          for (let c = 0; c < classes; c++) sum += f1(truePositive[c], predicted[c] - truePositive[c], actual[c] - truePositive[c]);
          return { f1_score: sum / classes };
        },
      };
    },
  };
}

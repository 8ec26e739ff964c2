/**
 * Losses and metrics with Keras's formulas and names. The trainer evaluates them itself (its own
 * training step); `compile` gets the matching tfjs names so a saved model records the same setup.
 *
 * Classification targets are class ids, always (binary `[batch, 1]` 0/1, multiclass `[batch]`,
 * next-token `[batch, timesteps]`): `categorical_crossentropy` one-hot encodes them first, so it
 * trains on the same data as `sparse_categorical_crossentropy` (and gives the same values).
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName, MetricName } from '../language/types';
import type { ModelOutput } from './outputHead';

/** Per-example (per-timestep for sequences) values; the mean over everything is the batch value. */
export type ElementwiseFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** A loss per example (`[batch]`, or `[batch, timesteps]`), from the model's output and logits. */
export type LossFn = (yTrue: tf.Tensor, output: ModelOutput) => tf.Tensor;

/** Metrics that are a mean of per-example values; the others are computed over a whole split. */
export type MeanMetricName = Extract<MetricName, 'accuracy' | 'mae' | 'mse'>;

export interface Objective {
  loss: LossFn;
  metrics: { name: MeanMetricName; fn: ElementwiseFn }[];
}

/** Keras's `epsilon()`: probabilities are clipped to [1e-7, 1 - 1e-7] when there are no logits. */
const EPSILON = 1e-7;

/**
 * The class ids of `yTrue` shaped like the prediction without its class axis: binary targets
 * `[batch, 1]` become `[batch]` for a two-unit softmax.
 */
function classIds(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.cast(tf.reshape(yTrue, yPred.shape.slice(0, -1)), 'int32');
}

/** `-log p[id]` per example, from log-probabilities `[..., classes]`, without a one-hot tensor. */
function pickLogProbability(logProbabilities: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const classes = logProbabilities.shape[logProbabilities.rank - 1];
  const flatIds = tf.reshape(ids, [-1]);
  const offsets = tf.mul(tf.range(0, flatIds.shape[0], 1, 'int32'), tf.scalar(classes, 'int32'));
  const picked = tf.gather(tf.reshape(logProbabilities, [-1]), tf.add(offsets, flatIds));
  return tf.neg(tf.reshape(picked, ids.shape));
}

/**
 * Keras `binary_crossentropy`, mean over the last axis. From logits z (TensorFlow's
 * `sigmoid_cross_entropy_with_logits`): max(z, 0) - z·y + log(1 + exp(-|z|)), exact for any z.
 */
const binaryCrossentropy: LossFn = (yTrue, { prediction, logits, activation }) => {
  if (logits && activation === 'sigmoid') {
    const perUnit = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, yTrue)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(perUnit, -1);
  }
  return tf.metrics.binaryCrossentropy(yTrue, prediction);
};

/**
 * Keras `sparse_categorical_crossentropy` (and `categorical_crossentropy` on one-hot class ids,
 * which is the same number): -log p[id]; from logits through log-softmax, which never clips.
 */
const classCrossentropy: LossFn = (yTrue, { prediction, logits, activation }) => {
  const ids = classIds(yTrue, prediction);
  if (logits && activation === 'softmax') return pickLogProbability(tf.logSoftmax(logits), ids);
  const clipped = tf.clipByValue(tf.div(prediction, tf.sum(prediction, -1, true)), EPSILON, 1 - EPSILON);
  return pickLogProbability(tf.log(clipped), ids);
};

const LOSSES: Record<LossName, { fn: LossFn; tfName: string }> = {
  binary_crossentropy: { fn: binaryCrossentropy, tfName: 'binaryCrossentropy' },
  categorical_crossentropy: { fn: classCrossentropy, tfName: 'categoricalCrossentropy' },
  sparse_categorical_crossentropy: { fn: classCrossentropy, tfName: 'sparseCategoricalCrossentropy' },
  mse: { fn: (yTrue, { prediction }) => tf.metrics.meanSquaredError(yTrue, prediction), tfName: 'meanSquaredError' },
  mae: { fn: (yTrue, { prediction }) => tf.metrics.meanAbsoluteError(yTrue, prediction), tfName: 'meanAbsoluteError' },
};

/** Accuracy over class ids: the arg-max of the prediction equals the id. */
const classAccuracy: ElementwiseFn = (yTrue, yPred) => tf.cast(tf.equal(tf.argMax(yPred, -1), classIds(yTrue, yPred)), 'float32');

/** Keras resolves 'accuracy' by the loss: binary accuracy (threshold 0.5) or class-id accuracy. */
function accuracyFor(loss: LossName): ElementwiseFn {
  return loss === 'binary_crossentropy' ? tf.metrics.binaryAccuracy : classAccuracy;
}

const MEAN_METRICS: readonly MetricName[] = ['accuracy', 'mae', 'mse'];

export function isMeanMetric(name: MetricName): name is MeanMetricName {
  return MEAN_METRICS.includes(name);
}

/** The loss and the mean metrics of the spec; split-level metrics live in `training/splitMetrics`. */
export function createObjective(loss: LossName, metrics: readonly MetricName[]): Objective {
  const metricFn = (name: MeanMetricName): ElementwiseFn => {
    switch (name) {
      case 'accuracy':
        return accuracyFor(loss);
      case 'mae':
        return tf.metrics.meanAbsoluteError;
      case 'mse':
        return tf.metrics.meanSquaredError;
    }
  };
  return { loss: LOSSES[loss].fn, metrics: metrics.filter(isMeanMetric).map((name) => ({ name, fn: metricFn(name) })) };
}

/**
 * The loss from output probabilities alone (clipped, Keras's formula without logits), per example,
 * for code that only has the model's output, such as the views' gradient-flow recomputation.
 */
export function probabilityLoss(loss: LossName): ElementwiseFn {
  const fn = LOSSES[loss].fn;
  return (yTrue, yPred) => fn(yTrue, { prediction: yPred });
}

export function tfLossName(loss: LossName): string {
  return LOSSES[loss].tfName;
}

/** The metrics `compile` records in a saved model: tfjs knows 'accuracy', 'mae' and 'mse' by these names. */
export function tfMetricNames(metrics: readonly MetricName[]): string[] {
  return metrics.filter(isMeanMetric);
}

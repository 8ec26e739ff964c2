/**
 * Losses and metrics with Keras's formulas and names. The trainer evaluates them itself (its own
 * training step); `compile` gets the matching tfjs names so a saved model records the same setup.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName, MetricName } from '../language/types';

/** Per-example (per-timestep for sequences) values; the mean over everything is the batch value. */
export type ElementwiseFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export interface Objective {
  loss: ElementwiseFn;
  metrics: { name: MetricName; fn: ElementwiseFn }[];
}

const sparseCategoricalCrossentropy: ElementwiseFn = (yTrue, yPred) =>
  tf.metrics.categoricalCrossentropy(tf.oneHot(tf.cast(yTrue, 'int32'), yPred.shape[yPred.rank - 1]), yPred);

const LOSSES: Record<LossName, { fn: ElementwiseFn; tfName: string }> = {
  binary_crossentropy: { fn: tf.metrics.binaryCrossentropy, tfName: 'binaryCrossentropy' },
  categorical_crossentropy: { fn: tf.metrics.categoricalCrossentropy, tfName: 'categoricalCrossentropy' },
  sparse_categorical_crossentropy: { fn: sparseCategoricalCrossentropy, tfName: 'sparseCategoricalCrossentropy' },
  mse: { fn: tf.metrics.meanSquaredError, tfName: 'meanSquaredError' },
  mae: { fn: tf.metrics.meanAbsoluteError, tfName: 'meanAbsoluteError' },
};

/** Keras resolves 'accuracy' by the loss: binary, sparse categorical or categorical accuracy. */
function accuracyFor(loss: LossName): ElementwiseFn {
  switch (loss) {
    case 'sparse_categorical_crossentropy':
      return tf.metrics.sparseCategoricalAccuracy;
    case 'categorical_crossentropy':
      return tf.metrics.categoricalAccuracy;
    default:
      return tf.metrics.binaryAccuracy;
  }
}

export function createObjective(loss: LossName, metrics: readonly MetricName[]): Objective {
  const metricFn = (name: MetricName): ElementwiseFn => {
    switch (name) {
      case 'accuracy':
        return accuracyFor(loss);
      case 'mae':
        return tf.metrics.meanAbsoluteError;
      case 'mse':
        return tf.metrics.meanSquaredError;
    }
  };
  return { loss: LOSSES[loss].fn, metrics: metrics.map((name) => ({ name, fn: metricFn(name) })) };
}

export function tfLossName(loss: LossName): string {
  return LOSSES[loss].tfName;
}

export function tfMetricName(metric: MetricName): string {
  return metric; // tfjs knows 'accuracy', 'mae' and 'mse' by these names
}

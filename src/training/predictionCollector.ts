/**
 * What the task views read of the trainer's validation pass: each batch's prediction, reduced on
 * the device to what a view needs and handed over in split order. The views cost no second pass
 * over the validation data.
 */
import type * as tf from '@tensorflow/tfjs';

export interface PredictionCollector {
  /** Inside the evaluation's `tf.tidy`: what leaves the device of a `[batch, ...]` prediction. */
  reduce(prediction: tf.Tensor): tf.Tensor;
  /**
   * The reduced prediction of validation rows `firstRow .. firstRow + rows - 1`, row-major. Batches
   * arrive in split order; `firstRow` 0 starts a new evaluation.
   */
  add(firstRow: number, rows: number, reduced: Float32Array): void;
}

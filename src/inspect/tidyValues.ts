import * as tf from '@tensorflow/tfjs';

/**
 * Runs `fn` in a `tf.tidy` scope and returns its plain (non-tensor) result: every tensor made on
 * the way is freed. `tf.tidy` itself only accepts tensor containers as results.
 */
export function tidyValues<T>(fn: () => T): T {
  let result: { value: T } | undefined;
  tf.tidy(() => {
    result = { value: fn() };
  });
  return (result as { value: T }).value;
}

/** The spec's optimizer section as a tfjs optimizer (Keras parameter names mapped to tfjs's). */
import * as tf from '@tensorflow/tfjs';
import type { TrainSpec } from '../language/types';
import { KerasAdamOptimizer } from './kerasAdam';

export function createOptimizer(train: TrainSpec): tf.Optimizer {
  const { optimizer, learning_rate: lr } = train;
  switch (optimizer.name) {
    case 'adam':
      return new KerasAdamOptimizer(lr, optimizer.beta_1, optimizer.beta_2, optimizer.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(lr, optimizer.rho, optimizer.momentum, optimizer.epsilon);
    case 'sgd':
      return optimizer.momentum > 0 ? tf.train.momentum(lr, optimizer.momentum) : tf.train.sgd(lr);
  }
}

/**
 * Keras `clipnorm`: each gradient is rescaled on its own so that its L2 norm is at most `clipnorm`
 * (Keras's `global_clipnorm` would scale them together; the spec follows Keras's `clipnorm`).
 * tfjs optimizers have no such option, hence this step between computing and applying gradients.
 */
export function clipByNorm(grads: tf.NamedTensorMap, clipnorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const clipped: tf.NamedTensorMap = {};
    for (const [name, grad] of Object.entries(grads)) {
      const norm = tf.norm(grad);
      clipped[name] = tf.mul(grad, tf.div(clipnorm, tf.maximum(norm, clipnorm)));
    }
    return clipped;
  });
}

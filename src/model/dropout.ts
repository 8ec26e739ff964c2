/**
 * Keras's `Dropout` layer with a fresh, seeded mask for every training batch. tfjs's Dropout takes
 * a `seed`, but reseeds its generator with it on every call, so a seeded tfjs Dropout drops the
 * same units in every batch; unseeded, it draws from a source the run's seed does not govern.
 */
import * as tf from '@tensorflow/tfjs';
import type { SeedSequence } from '../data/random';

/**
 * A stock tfjs Dropout layer (same config and saved format, so `tf.loadLayersModel` needs nothing
 * of ours) whose training-mode call draws its mask from `masks.next()`: mask k of a run is the same
 * on every re-run and every backend. Inference passes the input through unchanged, as Keras does.
 */
export function seededDropout(args: { name: string; rate: number }, masks: SeedSequence): tf.layers.Layer {
  const layer = tf.layers.dropout(args);
  const stockCall = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    if (kwargs.training !== true || args.rate <= 0 || args.rate >= 1) return stockCall(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.dropout(x, args.rate, undefined, masks.next());
  };
  return layer;
}

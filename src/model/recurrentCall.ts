/**
 * Replaces a stock tfjs recurrent layer's `call` with ours. The layer stays tfjs's SimpleRNN / LSTM
 * / GRU (same weights, config and saved format, so `tf.loadLayersModel` needs nothing of ours); only
 * the computation changes: Keras 2's per-gate dropout masks drawn from the run's seed, and a faster
 * implementation where one applies. Which implementation ran last is recorded per layer, so tests
 * (and the bench) can check that the fast path is really taken.
 */
import * as tf from '@tensorflow/tfjs';
import type { RecurrentLayerSpec } from '../language/types';
import { kernelSequence, kernelSupports } from './kernelSequence';
import { DropoutMaskSource, type DropoutMasks } from './recurrentDropout';
import { referenceSequence, type SequenceOptions, type TfActivation } from './recurrentReference';

/**
 * `wasm`: the WebAssembly kernel (recurrentKernel.ts), forward and backward pass in one call each;
 * `wasm-projected`: the same kernel in inference on an embedding's output, its input products
 * read from the table's product with the layer's kernel (inputProjectionCache.ts);
 * `reference`: our step-by-step unroll under tfjs autodiff (activations the kernel lacks: elu, selu,
 * softmax); `stock`: tfjs's own layer (the `SEQLAB_RECURRENT=stock` switch, or an initial state).
 */
export type RecurrentImplementation = 'wasm' | 'wasm-projected' | 'reference' | 'stock';

const lastImplementation = new WeakMap<tf.layers.Layer, RecurrentImplementation>();

/** The implementation the layer's last call ran; undefined before its first call. */
export function implementationOf(layer: tf.layers.Layer): RecurrentImplementation | undefined {
  return lastImplementation.get(layer);
}

interface CallArgs {
  training?: boolean;
  mask?: tf.Tensor | tf.Tensor[] | null;
  initialState?: tf.Tensor[] | null;
}

/**
 * Installs our `call` on `layer` (built from `spec`, with `activation` / `recurrentActivation` in
 * tfjs spelling). Dropout masks come from `seed` (a new set per training call).
 */
export function installRecurrentCall(
  layer: tf.RNN,
  spec: RecurrentLayerSpec,
  activations: { activation: TfActivation; recurrentActivation: TfActivation },
  seed: number,
): tf.RNN {
  const stockCall = layer.call.bind(layer);
  const masks = new DropoutMaskSource(spec, seed);
  layer.call = (inputs, kwargs) => {
    const { mask, initialState, training } = kwargs as CallArgs;
    if (initialState && initialState.length > 0) {
      lastImplementation.set(layer, 'stock');
      return stockCall(inputs, kwargs);
    }
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const sequenceMask = Array.isArray(mask) ? mask[0] : mask;
    const [batch, , features] = x.shape;
    const drawn: DropoutMasks = training === true ? masks.draw(batch as number, features as number) : { input: [], recurrent: [] };
    return tf.tidy(() => {
      const [kernel, recurrentKernel, bias] = layer.weights.map((weight) => weight.read()); // all weights: trainable or frozen
      const options: SequenceOptions = {
        cell: spec.type,
        ...activations,
        goBackwards: spec.go_backwards,
        returnSequences: layer.returnSequences,
        inputMasks: drawn.input.map((values) => tf.tensor2d(values, [batch as number, features as number])),
        recurrentMasks: drawn.recurrent.map((values) => tf.tensor2d(values, [batch as number, spec.units])),
        ...(sequenceMask ? { sequenceMask: tf.cast(tf.cast(sequenceMask, 'bool'), 'float32') } : {}),
      };
      const { output, implementation } = recurrentSequence(x, kernel, recurrentKernel, bias, options);
      lastImplementation.set(layer, implementation);
      return output;
    });
  };
  return layer;
}

/**
 * The layer's output (see `referenceSequence` for the definition and shapes), computed by the
 * fastest implementation that covers `options`; tfjs autodiff differentiates it.
 */
export function recurrentSequence(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  options: SequenceOptions,
): { output: tf.Tensor; implementation: RecurrentImplementation } {
  if (kernelSupports(options)) return kernelSequence(x, kernel, recurrentKernel, bias, options);
  return { output: referenceSequence(x, kernel, recurrentKernel, bias, options), implementation: 'reference' };
}

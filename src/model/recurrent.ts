/**
 * The one place recurrent layers are constructed: the model builder and the probes both come here,
 * so the recurrent implementation can be swapped by changing this folder only.
 *
 * Every random draw of a layer derives from its `seed` (the caller passes
 * `deriveSeed(data.seed, 'layer', <Keras layer name>)`): the kernel and recurrent-kernel
 * initialisers and the dropout masks. `SEQLAB_RECURRENT=stock` in the environment builds tfjs's
 * stock layers instead (seeded initialisers, but tfjs's own unseeded dropout), so the stock
 * implementation can be measured and compared.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../data/random';
import type { Activation, BidirectionalLayerSpec, RecurrentLayerSpec } from '../language/types';
import { installRecurrentCall } from './recurrentCall';
import type { TfActivation } from './recurrentReference';

export type { TfActivation } from './recurrentReference';

export function tfActivation(activation: Activation): TfActivation {
  return activation === 'hard_sigmoid' ? 'hardSigmoid' : activation;
}

export interface RecurrentOptions {
  name: string;
  /** Seed of every random draw of the layer: `deriveSeed(data.seed, 'layer', <Keras layer name>)`. */
  seed: number;
  /** Overrides the spec's `return_sequences` (probes need every timestep). */
  returnSequences?: boolean;
  /** The caller overwrites the weights right after building: skip the (QR-based) initialisers. */
  weightsCopiedLater?: boolean;
}

/** True when `SEQLAB_RECURRENT=stock` asks for tfjs's stock recurrent layers. */
export function stockRecurrentRequested(): boolean {
  return process.env.SEQLAB_RECURRENT === 'stock';
}

/**
 * Keras's recurrent-kernel initialiser, seeded. tfjs's warns on every matrix over 2,000 values
 * (every LSTM of 23+ units) about the QR it runs; Keras runs the same QR silently, and so do we.
 */
function orthogonal(seed: number): ReturnType<typeof tf.initializers.orthogonal> {
  return Object.assign(tf.initializers.orthogonal({ seed }), { ELEMENTS_WARN_SLOW: Infinity });
}

/**
 * Builds a SimpleRNN / LSTM / GRU layer with Keras's defaults where tfjs's differ: glorot-uniform
 * kernels (tfjs: glorot-normal), sigmoid recurrent activation (tfjs: hard sigmoid), unit forget
 * bias for LSTM, and per-gate dropout masks (see recurrentDropout.ts). The spec resolver fills
 * these in; they are passed explicitly so nothing falls back to a tfjs default.
 */
export function createRecurrentLayer(spec: RecurrentLayerSpec, options: RecurrentOptions): tf.RNN {
  const returnSequences = options.returnSequences ?? spec.return_sequences;
  const activation = tfActivation(spec.activation);
  const recurrentActivation = tfActivation(spec.recurrent_activation);
  const common = {
    name: options.name,
    units: spec.units,
    activation,
    returnSequences,
    goBackwards: spec.go_backwards,
    dropout: spec.dropout,
    recurrentDropout: spec.recurrent_dropout,
    kernelInitializer: options.weightsCopiedLater ? 'zeros' : tf.initializers.glorotUniform({ seed: deriveSeed(options.seed, 'kernel') }),
    recurrentInitializer: options.weightsCopiedLater ? 'zeros' : orthogonal(deriveSeed(options.seed, 'recurrent_kernel')),
    biasInitializer: 'zeros',
  } as const;
  let layer: tf.RNN;
  switch (spec.type) {
    case 'simple_rnn':
      layer = tf.layers.simpleRNN(common) as tf.RNN;
      break;
    case 'lstm':
      layer = tf.layers.lstm({ ...common, recurrentActivation, unitForgetBias: spec.unit_forget_bias });
      break;
    case 'gru':
      // tfjs implements GRU with reset_after=False (Keras 1 / `GRU(reset_after=False)`): 3u(i+u+1) params.
      layer = tf.layers.gru({ ...common, recurrentActivation }) as tf.RNN;
      break;
  }
  if (stockRecurrentRequested()) return layer;
  return installRecurrentCall(layer, { ...spec, return_sequences: returnSequences }, { activation, recurrentActivation }, options.seed);
}

/**
 * Keras's `Bidirectional(layer)`. tfjs's wrapper rebuilds its two inner layers from the wrapped
 * layer's config, which would drop our implementation and give both directions the same seeds;
 * so its forward and backward layers are replaced by our own (seeds `forward` / `backward` derived
 * from `seed`), named as tfjs names them (`forward_<name>`, `backward_<name>`).
 */
export function createBidirectionalLayer(spec: Pick<BidirectionalLayerSpec, 'layer' | 'merge_mode'>, options: RecurrentOptions & { innerName: string }): tf.layers.Layer {
  const { innerName, ...inner } = options;
  const wrapper = tf.layers.bidirectional({
    name: options.name,
    layer: createRecurrentLayer(spec.layer, { ...inner, name: innerName }),
    mergeMode: spec.merge_mode,
  });
  const direction = (prefix: 'forward' | 'backward', goBackwards: boolean): tf.RNN =>
    createRecurrentLayer({ ...spec.layer, go_backwards: goBackwards }, { ...inner, name: `${prefix}_${innerName}`, seed: deriveSeed(options.seed, prefix) });
  Object.assign(wrapper, {
    forwardLayer: direction('forward', spec.layer.go_backwards),
    backwardLayer: direction('backward', !spec.layer.go_backwards),
  });
  return wrapper;
}

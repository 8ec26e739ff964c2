/**
 * The one place recurrent layers are constructed: the model builder and the probes both come here,
 * so a faster recurrent implementation can replace tfjs's stock layers by changing this file only.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation, RecurrentLayerSpec } from '../language/types';
import { useFusedLstm } from './fusedLstm';

/** tfjs spells activations in camelCase. */
export type TfActivation = 'tanh' | 'relu' | 'sigmoid' | 'linear' | 'softmax' | 'hardSigmoid' | 'elu' | 'selu';

export function tfActivation(activation: Activation): TfActivation {
  return activation === 'hard_sigmoid' ? 'hardSigmoid' : activation;
}

export interface RecurrentOptions {
  name: string;
  /** Overrides the spec's `return_sequences` (probes need every timestep). */
  returnSequences?: boolean;
  /** The caller overwrites the weights right after building: skip the (QR-based) initialisers. */
  weightsCopiedLater?: boolean;
}

/**
 * Keras's recurrent-kernel initialiser. tfjs's warns on every matrix over 2,000 values (every
 * LSTM of 23+ units) about the QR it runs; Keras runs the same QR silently, and so do we.
 */
function orthogonal(): ReturnType<typeof tf.initializers.orthogonal> {
  return Object.assign(tf.initializers.orthogonal({}), { ELEMENTS_WARN_SLOW: Infinity });
}

/**
 * Builds a SimpleRNN / LSTM / GRU layer with Keras's defaults where tfjs's differ: glorot-uniform
 * kernels (tfjs: glorot-normal), sigmoid recurrent activation (tfjs: hard sigmoid), unit forget
 * bias for LSTM. The spec resolver fills these in; they are passed explicitly so nothing falls
 * back to a tfjs default.
 */
export function createRecurrentLayer(spec: RecurrentLayerSpec, options: RecurrentOptions): tf.RNN {
  const common = {
    name: options.name,
    units: spec.units,
    activation: tfActivation(spec.activation),
    returnSequences: options.returnSequences ?? spec.return_sequences,
    goBackwards: spec.go_backwards,
    dropout: spec.dropout,
    recurrentDropout: spec.recurrent_dropout,
    kernelInitializer: options.weightsCopiedLater ? 'zeros' : 'glorotUniform',
    recurrentInitializer: options.weightsCopiedLater ? 'zeros' : orthogonal(),
    biasInitializer: 'zeros',
  } as const;
  switch (spec.type) {
    case 'simple_rnn':
      return tf.layers.simpleRNN(common) as tf.RNN;
    case 'lstm': {
      const layer = tf.layers.lstm({
        ...common,
        recurrentActivation: tfActivation(spec.recurrent_activation),
        unitForgetBias: spec.unit_forget_bias,
      });
      return useFusedLstm(layer, { ...spec, return_sequences: common.returnSequences });
    }
    case 'gru':
      // tfjs implements GRU with reset_after=False (Keras 1 / `GRU(reset_after=False)`): 3u(i+u+1) params.
      return tf.layers.gru({ ...common, recurrentActivation: tfActivation(spec.recurrent_activation) }) as tf.RNN;
  }
}

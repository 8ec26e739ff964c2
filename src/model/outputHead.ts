/**
 * The model's forward pass as the training loop needs it: the probabilities the saved model
 * outputs, and, when the output layer is a sigmoid or softmax `dense` (or a `time_distributed`
 * one), the logits it applies that activation to. Keras on TensorFlow computes cross-entropy from
 * those logits (`keras/backend.py`, `binary_crossentropy` / `categorical_crossentropy` look through a
 * Sigmoid/Softmax op); computing it from clipped probabilities, as tfjs does, loses the gradient
 * once |logit| passes about 16. The saved model is untouched: it still ends in its activation.
 */
import * as tf from '@tensorflow/tfjs';

export type OutputActivation = 'sigmoid' | 'softmax';

export interface ModelOutput {
  /** What the model outputs: `[batch, units]`, or `[batch, timesteps, units]` for sequences. */
  prediction: tf.Tensor;
  /** The output layer's pre-activation, same shape; present when `activation` is. */
  logits?: tf.Tensor;
  activation?: OutputActivation;
}

export type ForwardPass = (x: tf.Tensor, training: boolean) => ModelOutput;

/**
 * A forward pass that keeps the logits of a sigmoid/softmax output layer, or plain `model.apply`
 * for any other output. The body model shares the trained layers (and their variables), so
 * gradients reach every weight; it must not be disposed on its own.
 */
export function createForwardPass(model: tf.LayersModel): ForwardPass {
  const head = outputDense(model);
  if (!head) return (x, training) => ({ prediction: model.apply(x, { training }) as tf.Tensor });
  const { dense, activation, input } = head;
  const body = tf.model({ inputs: model.inputs, outputs: input });
  return (x, training) => {
    const hidden = body.apply(x, { training }) as tf.Tensor;
    const logits = denseLogits(hidden, dense);
    const prediction = activation === 'sigmoid' ? tf.sigmoid(logits) : tf.softmax(logits);
    return { prediction, logits, activation };
  };
}

interface OutputDense {
  dense: tf.layers.Layer;
  activation: OutputActivation;
  /** The symbolic input of the output layer (the body's output). */
  input: tf.SymbolicTensor;
}

function outputDense(model: tf.LayersModel): OutputDense | undefined {
  const last = model.layers[model.layers.length - 1];
  if (!last) return undefined;
  const dense = last.getClassName() === 'TimeDistributed' ? (last as unknown as { layer: tf.layers.Layer }).layer : last;
  if (dense.getClassName() !== 'Dense') return undefined;
  const activation = (dense.getConfig().activation as string | undefined) ?? 'linear';
  if (activation !== 'sigmoid' && activation !== 'softmax') return undefined;
  return { dense, activation, input: last.input as tf.SymbolicTensor };
}

/** `hidden · kernel + bias` over the last axis: `[..., inputUnits]` -> `[..., units]`. */
function denseLogits(hidden: tf.Tensor, dense: tf.layers.Layer): tf.Tensor {
  const [kernel, bias] = dense.trainableWeights.map((weight) => weight.read());
  const inputUnits = hidden.shape[hidden.rank - 1];
  const units = kernel.shape[kernel.rank - 1];
  const flat = tf.matMul(tf.reshape(hidden, [-1, inputUnits]), kernel);
  const withBias = bias ? tf.add(flat, bias) : flat;
  return tf.reshape(withBias, [...hidden.shape.slice(0, -1), units]);
}

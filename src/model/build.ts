/**
 * Turns a resolved spec into a compiled tfjs LayersModel, with Keras's layer names and defaults,
 * and reads the built model back as a ModelSummary.
 */
import * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../data/types';
import type { Activation, LayerSpec, LayerType, ModelSpec, ModelSummary, Shape } from '../language/types';
import { kerasLayerNames, type LayerNames } from './layerNames';
import { tfLossName, tfMetricNames } from './objective';
import { createOptimizer } from './optimizer';
import { createRecurrentLayer, tfActivation } from './recurrent';

export type ModelDataShape = Pick<PreparedData, 'inputKind' | 'timesteps' | 'features' | 'vocabulary' | 'classes'>;

/**
 * The compiled model. Its optimizer belongs to the caller (`model.optimizer.dispose()`): tfjs only
 * disposes optimizers it created from a name, and ours carries the spec's parameters.
 */
export function buildModel(spec: ModelSpec, data: ModelDataShape): tf.LayersModel {
  let model: tf.LayersModel | undefined;
  // tfjs's unit-forget-bias initialiser leaks 4 intermediate tensors per LSTM; weights are
  // variables, which tidy keeps.
  tf.tidy(() => {
    model = assemble(spec, data);
  });
  return model as tf.LayersModel;
}

function assemble(spec: ModelSpec, data: ModelDataShape): tf.LayersModel {
  const names = kerasLayerNames(spec.model);
  const input =
    data.inputKind === 'tokens'
      ? tf.input({ shape: [data.timesteps], dtype: 'int32', name: 'input' })
      : tf.input({ shape: [data.timesteps, data.features], name: 'input' });
  let output = input;
  spec.model.forEach((layerSpec, i) => {
    output = createLayer(layerSpec, names[i], data).apply(output) as tf.SymbolicTensor;
  });
  const model = tf.model({ inputs: input, outputs: output, name: spec.name });
  model.compile({
    optimizer: createOptimizer(spec.train),
    loss: tfLossName(spec.train.loss),
    metrics: tfMetricNames(spec.train.metrics),
  });
  return model;
}

function createLayer(spec: LayerSpec, names: LayerNames, data: ModelDataShape): tf.layers.Layer {
  const name = names.name;
  switch (spec.type) {
    case 'embedding': {
      const inputDim = spec.input_dim ?? data.vocabulary?.tokens.length;
      if (inputDim === undefined) throw new Error('An embedding layer needs token input: set `input_dim` or use a tokenizer.');
      return tf.layers.embedding({
        name,
        inputDim,
        outputDim: spec.output_dim,
        maskZero: spec.mask_zero,
        embeddingsInitializer: 'randomUniform', // Keras 'uniform': U(-0.05, 0.05)
      });
    }
    case 'simple_rnn':
    case 'lstm':
    case 'gru':
      return createRecurrentLayer(spec, { name });
    case 'bidirectional':
      return tf.layers.bidirectional({
        name,
        layer: createRecurrentLayer(spec.layer, { name: names.inner ?? `${name}_layer` }),
        mergeMode: spec.merge_mode,
      });
    case 'dense':
      return denseLayer(spec.units, spec.activation, name);
    case 'dropout':
      return tf.layers.dropout({ name, rate: spec.rate });
    case 'time_distributed':
      return tf.layers.timeDistributed({
        name,
        layer: denseLayer(spec.layer.units, spec.layer.activation, names.inner ?? `${name}_dense`),
      });
  }
}

function denseLayer(units: number, activation: Activation, name: string): tf.layers.Layer {
  return tf.layers.dense({
    name,
    units,
    activation: tfActivation(activation),
    kernelInitializer: 'glorotUniform',
    biasInitializer: 'zeros',
  });
}

const LAYER_TYPE_BY_CLASS: Record<string, LayerType> = {
  Embedding: 'embedding',
  SimpleRNN: 'simple_rnn',
  LSTM: 'lstm',
  GRU: 'gru',
  Bidirectional: 'bidirectional',
  Dense: 'dense',
  Dropout: 'dropout',
  TimeDistributed: 'time_distributed',
};

export function layerType(layer: tf.layers.Layer): LayerType | undefined {
  return LAYER_TYPE_BY_CLASS[layer.getClassName()];
}

/** The layers as tfjs built them: real output shapes and parameter counts, input layer omitted. */
export function modelSummary(model: tf.LayersModel): ModelSummary {
  const layers = model.layers.flatMap((layer) => {
    const type = layerType(layer);
    if (!type) return [];
    return [{ name: layer.name, type, outputShape: layer.outputShape as Shape, params: layer.countParams() }];
  });
  return {
    inputShape: model.inputs[0].shape,
    layers,
    totalParams: layers.reduce((sum, layer) => sum + layer.params, 0),
  };
}

/**
 * Turns a resolved spec into a compiled tfjs LayersModel, with Keras's layer names and defaults,
 * and reads the built model back as a ModelSummary.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, SeedSequence } from '../data/random';
import type { PreparedData } from '../data/types';
import type { Activation, LayerSpec, LayerType, ModelSpec, ModelSummary, Shape } from '../language/types';
import { kerasLayerNames, type LayerNames } from './layerNames';
import { tfLossName, tfMetricNames } from './objective';
import { seededDropout } from './dropout';
import { createOptimizer } from './optimizer';
import { createBidirectionalLayer, createRecurrentLayer, tfActivation } from './recurrent';

export type ModelDataShape = Pick<PreparedData, 'inputKind' | 'timesteps' | 'features' | 'vocabulary' | 'classes'>;

/**
 * The compiled model. Its optimizer belongs to the caller (`model.optimizer.dispose()`): tfjs only
 * disposes optimizers it created from a name, and ours carries the spec's parameters. Every random
 * draw it makes (initial weights, dropout masks) is seeded from `spec.data.seed`, by layer name.
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
    output = createLayer(layerSpec, names[i], data, spec.data.seed).apply(output) as tf.SymbolicTensor;
  });
  const model = tf.model({ inputs: input, outputs: output, name: spec.name });
  model.compile({
    optimizer: createOptimizer(spec.train),
    loss: tfLossName(spec.train.loss),
    metrics: tfMetricNames(spec.train.metrics),
  });
  return model;
}

function createLayer(spec: LayerSpec, names: LayerNames, data: ModelDataShape, runSeed: number): tf.layers.Layer {
  const name = names.name;
  const seed = deriveSeed(runSeed, 'layer', name);
  switch (spec.type) {
    case 'embedding': {
      const inputDim = spec.input_dim ?? data.vocabulary?.tokens.length;
      if (inputDim === undefined) throw new Error('An embedding layer needs token input: set `input_dim` or use a tokenizer.');
      return tf.layers.embedding({
        name,
        inputDim,
        outputDim: spec.output_dim,
        maskZero: spec.mask_zero,
        // Keras 'uniform': U(-0.05, 0.05)
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: deriveSeed(seed, 'embeddings') }),
      });
    }
    case 'simple_rnn':
    case 'lstm':
    case 'gru':
      return createRecurrentLayer(spec, { name, seed });
    case 'bidirectional':
      return createBidirectionalLayer(spec, { name, innerName: names.inner ?? `${name}_layer`, seed });
    case 'dense':
      return denseLayer(spec.units, spec.activation, name, seed);
    case 'dropout':
      return seededDropout({ name, rate: spec.rate }, new SeedSequence(seed, 'mask'));
    case 'time_distributed':
      return tf.layers.timeDistributed({
        name,
        layer: denseLayer(spec.layer.units, spec.layer.activation, names.inner ?? `${name}_dense`, seed),
      });
  }
}

/** `seed`: the layer's own (`deriveSeed(data.seed, 'layer', <Keras layer name>)`), as recurrent layers take it. */
function denseLayer(units: number, activation: Activation, name: string, seed: number): tf.layers.Layer {
  return tf.layers.dense({
    name,
    units,
    activation: tfActivation(activation),
    kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'kernel') }),
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

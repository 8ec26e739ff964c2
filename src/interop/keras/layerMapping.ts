/**
 * One Keras layer (a KerasObject with Keras' argument names) -> one spec layer, with every setting
 * the spec cannot express reported where it sits in the Keras file. Keras defaults are per the
 * layer signatures of Keras 2 and 3 (`keras/src/layers/rnn/lstm.py`, `gru.py`, `simple_rnn.py`,
 * `core/dense.py`, `core/embedding.py`, `rnn/bidirectional.py`).
 */
import { describeValue, isKerasObject, type ImportIssue, type KerasObject, type KerasSourceFormat, type Origin } from './kerasModel';
import { isDefaultInitializer, isFalse, isTrue, KerasSettings } from './kerasSettings';
import { activationsOf, layerHasField } from './specVocabulary';

/** A spec layer as it is written in YAML (snake_case keys, `type` first). */
export type SpecLayerYaml = { type: string } & Record<string, unknown>;

export interface MappedLayer {
  kind: 'layer';
  layer: SpecLayerYaml;
  /** The Keras layer it came from, for a YAML comment: `LSTM "lstm"`. */
  label: string;
  /** Settings without a place in the spec, for YAML comments on the layer. */
  notes: string[];
  origin: Origin;
  /** Parameters the Keras layer has beyond the spec's (a GRU with `reset_after=True` the spec cannot express). */
  extraKerasParams: number;
}

export interface OmittedLayer {
  kind: 'omitted';
  label: string;
  origin: Origin;
  /** Why, for the comment standing in its place: `no Sequence Lab equivalent`. */
  reason: string;
}

export interface MappingContext {
  format: KerasSourceFormat;
  issues: ImportIssue[];
}

const RECURRENT_TYPES: Record<string, 'simple_rnn' | 'lstm' | 'gru'> = {
  SimpleRNN: 'simple_rnn',
  LSTM: 'lstm',
  GRU: 'gru',
  CuDNNLSTM: 'lstm',
  CuDNNGRU: 'gru',
};

/** What to do instead, for layers people put in recurrent models that the spec has no kind for. */
const UNSUPPORTED_ADVICE: Record<string, string> = {
  Activation: 'put the activation on the layer before it (`activation:`)',
  Masking: 'use `mask_zero: true` on the embedding for padded token ids',
  SpatialDropout1D: 'a `dropout` layer or the recurrent layer\'s `dropout` is the nearest',
  RNN: 'use `simple_rnn`, `lstm` or `gru` directly',
  ConvLSTM1D: 'there is no convolutional recurrent layer',
};

/** Keras class name -> the spec layer; null for an InputLayer (handled as the input shape). */
export function mapLayer(object: KerasObject, context: MappingContext): MappedLayer | OmittedLayer {
  const label = layerLabel(object);
  const recurrent = RECURRENT_TYPES[object.className];
  if (recurrent) return recurrentLayer(object, recurrent, label, context);
  switch (object.className) {
    case 'Embedding':
      return embeddingLayer(object, label, context);
    case 'Dense':
      return denseLayer(object, label, context);
    case 'Dropout':
      return dropoutLayer(object, label, context);
    case 'Bidirectional':
      return bidirectionalLayer(object, label, context);
    case 'TimeDistributed':
      return timeDistributedLayer(object, label, context);
    default:
      return omitted(object, label, context);
  }
}

function omitted(object: KerasObject, label: string, context: MappingContext): OmittedLayer {
  const advice = UNSUPPORTED_ADVICE[object.className];
  context.issues.push({
    severity: 'error',
    message: `${label}: Sequence Lab has no ${object.className} layer (its layers: Embedding, SimpleRNN, LSTM, GRU, Bidirectional, Dense, Dropout, TimeDistributed(Dense)); it was left out${advice ? `: ${advice}` : ''}.`,
    origin: object.origin,
  });
  return { kind: 'omitted', label, origin: object.origin, reason: 'no Sequence Lab equivalent' };
}

/** A layer whose required settings (units, sizes) could not be read; they were reported already. */
function unreadableLayer(label: string, object: KerasObject): OmittedLayer {
  return { kind: 'omitted', label, origin: object.origin, reason: 'its required settings could not be read' };
}

export function layerLabel(object: KerasObject): string {
  const name = object.config.name;
  return typeof name === 'string' ? `${object.className} "${name}"` : object.className;
}

function layer(settings: KerasSettings, spec: SpecLayerYaml, extraKerasParams = 0): MappedLayer {
  settings.finish();
  return { kind: 'layer', layer: spec, label: settings.label, notes: settings.notes, origin: settings.object.origin, extraKerasParams };
}

function embeddingLayer(object: KerasObject, label: string, context: MappingContext): MappedLayer | OmittedLayer {
  const settings = new KerasSettings(object, context.issues, label);
  const inputDim = settings.integer('input_dim');
  const outputDim = settings.integer('output_dim');
  if (inputDim === undefined || outputDim === undefined) return unreadableLayer(label, object);
  const maskZero = settings.boolean('mask_zero', false);
  settings.requireDefault('embeddings_initializer', isDefaultInitializer('uniform'), 'warning', 'the spec initialises with U(-0.05, 0.05), Keras\' default.');
  regularizersAndConstraints(settings, ['embeddings_regularizer', 'activity_regularizer', 'embeddings_constraint']);
  settings.ignore('input_length', 'lora_rank', 'lora_alpha', 'weights');
  return layer(settings, { type: 'embedding', input_dim: inputDim, output_dim: outputDim, mask_zero: maskZero });
}

function recurrentLayer(object: KerasObject, type: 'simple_rnn' | 'lstm' | 'gru', label: string, context: MappingContext): MappedLayer | OmittedLayer {
  const settings = new KerasSettings(object, context.issues, label);
  const units = settings.integer('units');
  if (units === undefined) return unreadableLayer(label, object);
  const spec: SpecLayerYaml = {
    type,
    units,
    activation: activation(settings, 'activation', type, 'tanh', context),
    ...(type === 'simple_rnn' ? {} : { recurrent_activation: activation(settings, 'recurrent_activation', type, 'sigmoid', context) }),
    return_sequences: settings.boolean('return_sequences', false),
    dropout: settings.number('dropout', 0),
    recurrent_dropout: settings.number('recurrent_dropout', 0),
    go_backwards: settings.boolean('go_backwards', false),
    ...(type === 'lstm' ? { unit_forget_bias: settings.boolean('unit_forget_bias', true) } : {}),
  };
  let extraKerasParams = 0;
  if (type === 'gru') extraKerasParams = resetAfter(settings, spec, units, object.className === 'CuDNNGRU');
  if (object.className.startsWith('CuDNN')) {
    settings.report('info', undefined, `is the GPU-only Keras 2 layer; imported as \`${type}\` (same parameters; Keras' CuDNN layers use sigmoid gates and no dropout).`);
  }
  settings.requireDefault('use_bias', isTrue, 'error', 'the spec\'s layer has biases, so it has more parameters than the Keras layer.');
  settings.requireDefault('kernel_initializer', isDefaultInitializer('glorot_uniform'), 'warning', 'the spec initialises with glorot_uniform, Keras\' default.');
  settings.requireDefault('recurrent_initializer', isDefaultInitializer('orthogonal'), 'warning', 'the spec initialises with orthogonal, Keras\' default.');
  settings.requireDefault('bias_initializer', isDefaultInitializer('zeros'), 'warning', 'the spec initialises biases with zeros, Keras\' default.');
  regularizersAndConstraints(settings, [
    'kernel_regularizer',
    'recurrent_regularizer',
    'bias_regularizer',
    'activity_regularizer',
    'kernel_constraint',
    'recurrent_constraint',
    'bias_constraint',
  ]);
  settings.requireDefault('return_state', isFalse, 'error', 'a Sequential model passes only the output on.');
  settings.requireDefault('stateful', isFalse, 'error', 'every batch starts from a zero state in Sequence Lab.');
  settings.requireDefault('time_major', isFalse, 'error', 'the spec\'s sequences are batch-major (batch, timesteps, features).');
  // Speed and bookkeeping only: unrolling, the kernel implementation, cuDNN, the dropout seed
  // (Sequence Lab seeds every draw from `data.seed`), masked outputs.
  settings.ignore('unroll', 'implementation', 'use_cudnn', 'seed', 'zero_output_for_mask', 'cell');
  return layer(settings, spec, extraKerasParams);
}

/**
 * GRU `reset_after`: Keras' default is True (cuDNN-compatible: the reset gate applies after the
 * recurrent matmul, which needs a second bias, 3u more parameters); TensorFlow.js implements False.
 * Carried over when the spec has the field; otherwise reported with the parameter difference.
 */
function resetAfter(settings: KerasSettings, spec: SpecLayerYaml, units: number, cudnn: boolean): number {
  const value = cudnn ? true : settings.boolean('reset_after', true);
  if (layerHasField('gru', 'reset_after')) {
    spec.reset_after = value;
    return 0;
  }
  if (!value) return 0;
  const extra = 3 * units;
  const explicit = settings.has('reset_after');
  settings.report(
    'error',
    explicit ? 'reset_after' : undefined,
    `${explicit ? 'is True' : 'uses reset_after=True'} (Keras' default: the reset gate is applied after the recurrent matmul, with a second bias vector). Sequence Lab's GRU is reset_after=False, as in TensorFlow.js: it has ${extra.toLocaleString('en-US')} fewer parameters (3 × ${units}) and computes the candidate state slightly differently. The spec's summary shows that smaller count; Keras counts the same with GRU(..., reset_after=False).`,
  );
  settings.notes.push(`Keras: reset_after=True; this GRU is reset_after=False (${extra} fewer parameters)`);
  return extra;
}

function denseLayer(object: KerasObject, label: string, context: MappingContext): MappedLayer | OmittedLayer {
  const settings = new KerasSettings(object, context.issues, label);
  const units = settings.integer('units');
  if (units === undefined) return unreadableLayer(label, object);
  const spec: SpecLayerYaml = { type: 'dense', units, activation: activation(settings, 'activation', 'dense', 'linear', context) };
  settings.requireDefault('use_bias', isTrue, 'error', 'the spec\'s layer has a bias, so it has more parameters than the Keras layer.');
  settings.requireDefault('kernel_initializer', isDefaultInitializer('glorot_uniform'), 'warning', 'the spec initialises with glorot_uniform, Keras\' default.');
  settings.requireDefault('bias_initializer', isDefaultInitializer('zeros'), 'warning', 'the spec initialises biases with zeros, Keras\' default.');
  regularizersAndConstraints(settings, ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']);
  settings.ignore('lora_rank', 'lora_alpha');
  return layer(settings, spec);
}

function dropoutLayer(object: KerasObject, label: string, context: MappingContext): MappedLayer | OmittedLayer {
  const settings = new KerasSettings(object, context.issues, label);
  const rate = settings.number('rate', 0);
  settings.requireDefault('noise_shape', () => false, 'warning', 'the spec drops each value independently.');
  settings.ignore('seed');
  return layer(settings, { type: 'dropout', rate });
}

function bidirectionalLayer(object: KerasObject, label: string, context: MappingContext): MappedLayer | OmittedLayer {
  const settings = new KerasSettings(object, context.issues, label);
  const inner = settings.value('layer');
  const recurrentType = isKerasObject(inner) ? RECURRENT_TYPES[inner.className] : undefined;
  if (!isKerasObject(inner) || !recurrentType) {
    settings.report('error', 'layer', `wraps ${isKerasObject(inner) ? `a ${inner.className}` : 'no layer'}; Sequence Lab's bidirectional wraps a SimpleRNN, LSTM or GRU. The layer was left out.`);
    settings.finish();
    return unreadableLayer(label, object);
  }
  const wrapped = recurrentLayer(inner, recurrentType, layerLabel(inner), context);
  if (wrapped.kind === 'omitted') return unreadableLayer(label, object);
  const mergeMode = settings.value('merge_mode');
  let merge = 'concat';
  if (typeof mergeMode === 'string' && ['concat', 'sum', 'mul', 'ave'].includes(mergeMode)) merge = mergeMode;
  else if (mergeMode !== undefined) {
    settings.report('error', 'merge_mode', `is ${describeValue(mergeMode)}; the spec merges with 'concat', 'sum', 'mul' or 'ave' and uses 'concat'.`);
  }
  checkBackwardLayer(settings, inner);
  return {
    ...layer(settings, { type: 'bidirectional', layer: wrapped.layer, merge_mode: merge }, 2 * wrapped.extraKerasParams),
    notes: [...settings.notes, ...wrapped.notes],
  };
}

/** Keras 3 always writes the backward layer; the spec's is the forward one, mirrored. */
function checkBackwardLayer(settings: KerasSettings, forward: KerasObject): void {
  const backward = settings.value('backward_layer');
  if (backward === undefined || backward === null) return;
  if (!isKerasObject(backward)) return;
  const differing = Object.keys({ ...forward.config, ...backward.config }).filter(
    (key) => !['name', 'go_backwards', 'seed'].includes(key) && JSON.stringify(forward.config[key]) !== JSON.stringify(backward.config[key]),
  );
  if (backward.className !== forward.className || differing.length > 0) {
    settings.report(
      'error',
      'backward_layer',
      `differs from the forward layer (${backward.className !== forward.className ? `${backward.className} vs ${forward.className}` : differing.join(', ')}); the spec's backward layer mirrors the forward one.`,
    );
  }
}

function timeDistributedLayer(object: KerasObject, label: string, context: MappingContext): MappedLayer | OmittedLayer {
  const settings = new KerasSettings(object, context.issues, label);
  const inner = settings.value('layer');
  if (!isKerasObject(inner) || inner.className !== 'Dense') {
    settings.report('error', 'layer', `wraps ${isKerasObject(inner) ? `a ${inner.className}` : 'no layer'}; Sequence Lab's time_distributed wraps a Dense layer. The layer was left out.`);
    settings.finish();
    return unreadableLayer(label, object);
  }
  const dense = denseLayer(inner, layerLabel(inner), context);
  if (dense.kind === 'omitted') return unreadableLayer(label, object);
  return { ...layer(settings, { type: 'time_distributed', layer: dense.layer }), notes: [...settings.notes, ...dense.notes] };
}

function regularizersAndConstraints(settings: KerasSettings, keys: string[]): void {
  for (const key of keys) {
    const what = key.endsWith('constraint') ? 'constraints' : 'regularizers';
    settings.requireDefault(key, () => false, 'warning', `Sequence Lab has no ${what}; the spec trains without it.`);
  }
}

/**
 * An activation by Keras name (`None` is linear). One the spec lacks is reported and replaced by
 * the layer's default, so the spec stays valid and the difference is said out loud.
 */
function activation(settings: KerasSettings, key: string, layerType: string, fallback: string, context: MappingContext): string {
  const value = settings.value(key);
  if (value === undefined) return fallback;
  const name = value === null ? 'linear' : typeof value === 'string' ? value : isKerasObject(value) ? value.className : undefined;
  const supported = activationsOf(layerType, key);
  if (name !== undefined && supported.includes(name)) {
    if (name === 'hard_sigmoid' && (context.format === 'Keras 3 JSON' || context.format === 'Python')) {
      settings.report('info', key, "is 'hard_sigmoid': Keras 3 defines it as relu6(x + 3) / 6, Sequence Lab (like Keras 2 and TensorFlow.js) as clip(0.2x + 0.5, 0, 1).");
    }
    return name;
  }
  settings.report('error', key, `is ${describeValue(value)}, which Sequence Lab does not have (it has ${supported.join(', ')}); the spec uses '${fallback}'.`);
  settings.notes.push(`Keras: ${key}=${describeValue(value)}; the spec uses ${fallback}`);
  return fallback;
}

/**
 * Turns the parsed YAML into a complete ModelSpec by applying the defaults (Keras's where Keras has
 * one). Lenient on purpose: a value of the wrong type falls back to its default and an unusable
 * layer becomes `undefined`, so the semantic checks can still run on the rest while the schema
 * check reports the bad value itself.
 */
import { findBuiltin } from '../data/builtinCatalog';
import type {
  Activation,
  ClassWeightSpec,
  DataSpec,
  DenseLayerSpec,
  EarlyStoppingSpec,
  InspectSpec,
  LayerSpec,
  LossName,
  MetricName,
  OptimizerName,
  OptimizerSpec,
  ProbeSpec,
  RecurrentLayerSpec,
  RecurrentType,
  Task,
  TrainSpec,
  ValidationSpec,
} from './types';

type Raw = Record<string, unknown>;

const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { adam: 0.001, rmsprop: 0.001, sgd: 0.01 };

export const DEFAULT_LOSS: Record<Task, LossName> = {
  binary: 'binary_crossentropy',
  multiclass: 'sparse_categorical_crossentropy',
  'next-token': 'sparse_categorical_crossentropy',
  regression: 'mse',
  forecast: 'mse',
};

const DEFAULT_METRICS: Record<Task, MetricName[]> = {
  binary: ['accuracy'],
  multiclass: ['accuracy'],
  'next-token': ['accuracy'],
  regression: ['mae'],
  forecast: ['mae'],
};

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression', 'forecast', 'next-token'];
const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'sigmoid', 'linear', 'softmax', 'hard_sigmoid', 'elu', 'selu'];
const RECURRENT_TYPES: readonly RecurrentType[] = ['simple_rnn', 'lstm', 'gru'];
const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'rmsprop', 'sgd'];
const LOSSES: readonly LossName[] = ['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'mse', 'mae'];
const METRICS: readonly MetricName[] = ['accuracy', 'precision', 'recall', 'f1_score', 'auc', 'mae', 'mse'];

export interface ResolvedSpec {
  name: string;
  description?: string;
  data: DataSpec;
  /** One entry per YAML layer; `undefined` where the layer cannot be understood. */
  model: (LayerSpec | undefined)[];
  train: TrainSpec;
  inspect: InspectSpec;
}

export function resolveSpec(raw: unknown, specPath?: string): ResolvedSpec {
  const root = record(raw);
  const data = resolveData(record(root.data));
  const vocabulary = findBuiltin(data.source)?.vocabularySize ?? data.tokenizer.vocab_size;
  const description = optionalString(root.description);
  return {
    name: optionalString(root.name) ?? nameFromPath(specPath),
    ...(description !== undefined ? { description } : {}),
    data,
    model: (Array.isArray(root.model) ? root.model : []).map((layer) => resolveLayer(layer, vocabulary)),
    train: resolveTrain(record(root.train), data.task),
    inspect: resolveInspect(record(root.inspect)),
  };
}

function nameFromPath(specPath: string | undefined): string {
  const file = specPath?.split(/[\\/]/).pop()?.replace(/\.seqlab\.ya?ml$|\.ya?ml$/, '');
  return file || 'untitled';
}

function resolveData(data: Raw): DataSpec {
  const source = optionalString(data.source) ?? '';
  const columns = record(data.columns);
  const tokenizer = record(data.tokenizer);
  const window = record(data.window);
  const generator = record(data.generator);
  const season = optionalInteger(window.season);
  const level = choice(tokenizer.level, ['word', 'char'] as const, 'word');
  // A character vocabulary is sized from the data (its alphabet + 2); words default to Keras' usual 10,000.
  const vocabSize = optionalInteger(tokenizer.vocab_size) ?? (level === 'word' ? 10000 : undefined);
  const maxLen = optionalInteger(data.max_len);
  const numClasses = optionalInteger(data.num_classes);
  const limit = optionalInteger(data.limit);
  const imdbPath = optionalString(data.imdb_path);
  return {
    source,
    ...(imdbPath !== undefined ? { imdb_path: imdbPath } : {}),
    imdb_preprocessing: choice(data.imdb_preprocessing, ['tokenizer', 'keras'] as const, 'tokenizer'),
    task: choice(data.task, TASKS, defaultTask(source)),
    columns: {
      text: text(columns.text, 'text'),
      label: text(columns.label, 'label'),
      value: valueColumns(columns.value),
      ...(optionalString(columns.date) ? { date: optionalString(columns.date) } : {}),
    },
    missing: choice(data.missing, ['error', 'interpolate', 'ffill'] as const, 'error'),
    normalize_target: choice(data.normalize_target, ['zscore', 'minmax', 'none'] as const, 'none'),
    tokenizer: {
      level,
      ...(vocabSize !== undefined ? { vocab_size: vocabSize } : {}),
      lowercase: boolean(tokenizer.lowercase, true),
      strip_html: boolean(tokenizer.strip_html, true),
      oov_token: text(tokenizer.oov_token, '<OOV>'),
    },
    ...(maxLen !== undefined ? { max_len: maxLen } : {}),
    padding: choice(data.padding, ['pre', 'post'] as const, 'pre'),
    truncating: choice(data.truncating, ['pre', 'post'] as const, 'pre'),
    window: {
      lookback: integer(window.lookback, 30),
      horizon: integer(window.horizon, 1),
      normalize: choice(window.normalize, ['zscore', 'minmax', 'none'] as const, 'zscore'),
      ...(season !== undefined ? { season } : {}),
    },
    validation: resolveValidation(data.validation),
    ...(numClasses !== undefined ? { num_classes: numClasses } : {}),
    ...(limit !== undefined ? { limit } : {}),
    generator: { samples: integer(generator.samples, 2000), length: integer(generator.length, 50) },
    seed: integer(data.seed, 42),
  };
}

/** The value columns of `data.columns.value` (one name or a list), in feature order. */
export function valueColumnNames(columns: DataSpec['columns']): string[] {
  return Array.isArray(columns.value) ? columns.value : [columns.value];
}

/** One column name, or a list of them (several features per step). */
function valueColumns(value: unknown): string | string[] {
  const names = Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string' && name.length > 0) : [];
  if (names.length > 1) return names;
  return names[0] ?? text(value, 'value');
}

/** A built-in generator's own task; every other source defaults to binary classification. */
function defaultTask(source: string): Task {
  return findBuiltin(source)?.tasks[0] ?? 'binary';
}

function resolveValidation(value: unknown): ValidationSpec {
  if (typeof value === 'number') return { split: value };
  const mapping = record(value);
  if (typeof mapping.source === 'string') return { source: mapping.source };
  return { split: number(mapping.split, 0.2) };
}

/** `vocabulary`: the token ids the data gives, when known before reading it (an embedding's default `input_dim`). */
export function resolveLayer(value: unknown, vocabulary: number | undefined): LayerSpec | undefined {
  const layer = record(value);
  switch (layer.type) {
    case 'embedding': {
      const outputDim = optionalInteger(layer.output_dim);
      if (outputDim === undefined) return undefined;
      const inputDim = optionalInteger(layer.input_dim) ?? vocabulary;
      return { type: 'embedding', output_dim: outputDim, ...(inputDim !== undefined ? { input_dim: inputDim } : {}), mask_zero: boolean(layer.mask_zero, false) };
    }
    case 'simple_rnn':
    case 'lstm':
    case 'gru':
      return resolveRecurrent(layer);
    case 'bidirectional': {
      const inner = resolveRecurrent(record(layer.layer));
      if (!inner) return undefined;
      return { type: 'bidirectional', layer: inner, merge_mode: choice(layer.merge_mode, ['concat', 'sum', 'mul', 'ave'] as const, 'concat') };
    }
    case 'dense':
      return resolveDense(layer);
    case 'dropout': {
      const rate = typeof layer.rate === 'number' ? layer.rate : undefined;
      return rate === undefined ? undefined : { type: 'dropout', rate };
    }
    case 'time_distributed': {
      const inner = record(layer.layer);
      const dense = inner.type === 'dense' ? resolveDense(inner) : undefined;
      return dense ? { type: 'time_distributed', layer: dense } : undefined;
    }
    default:
      return undefined;
  }
}

function resolveRecurrent(layer: Raw): RecurrentLayerSpec | undefined {
  const units = optionalInteger(layer.units);
  const type = RECURRENT_TYPES.find((kind) => kind === layer.type);
  if (units === undefined || !type) return undefined;
  return {
    type,
    units,
    activation: choice(layer.activation, ACTIVATIONS, 'tanh'),
    recurrent_activation: choice(layer.recurrent_activation, ACTIVATIONS, 'sigmoid'),
    return_sequences: boolean(layer.return_sequences, false),
    dropout: number(layer.dropout, 0),
    recurrent_dropout: number(layer.recurrent_dropout, 0),
    go_backwards: boolean(layer.go_backwards, false),
    unit_forget_bias: boolean(layer.unit_forget_bias, true),
  };
}

function resolveDense(layer: Raw): DenseLayerSpec | undefined {
  const units = optionalInteger(layer.units);
  return units === undefined ? undefined : { type: 'dense', units, activation: choice(layer.activation, ACTIVATIONS, 'linear') };
}

function resolveTrain(train: Raw, task: Task): TrainSpec {
  const optimizer = resolveOptimizer(train.optimizer);
  const clipnorm = typeof train.clipnorm === 'number' ? train.clipnorm : undefined;
  const metrics = Array.isArray(train.metrics) ? train.metrics.filter((metric): metric is MetricName => METRICS.includes(metric as MetricName)) : undefined;
  const earlyStopping = train.early_stopping === undefined ? undefined : resolveEarlyStopping(record(train.early_stopping));
  const classWeight = resolveClassWeight(train.class_weight);
  return {
    optimizer,
    learning_rate: number(train.learning_rate, DEFAULT_LEARNING_RATE[optimizer.name]),
    ...(clipnorm !== undefined ? { clipnorm } : {}),
    loss: choice(train.loss, LOSSES, DEFAULT_LOSS[task]),
    metrics: metrics ?? DEFAULT_METRICS[task],
    epochs: integer(train.epochs, 10),
    batch_size: integer(train.batch_size, 32),
    shuffle: boolean(train.shuffle, true),
    ...(classWeight ? { class_weight: classWeight } : {}),
    ...(earlyStopping ? { early_stopping: earlyStopping } : {}),
  };
}

function resolveOptimizer(value: unknown): OptimizerSpec {
  const mapping = typeof value === 'string' ? { name: value } : record(value);
  return {
    name: choice(mapping.name, OPTIMIZERS, 'adam'),
    beta_1: number(mapping.beta_1, 0.9),
    beta_2: number(mapping.beta_2, 0.999),
    epsilon: number(mapping.epsilon, 1e-7),
    rho: number(mapping.rho, 0.9),
    momentum: number(mapping.momentum, 0),
  };
}

function resolveEarlyStopping(value: Raw): EarlyStoppingSpec {
  return {
    monitor: text(value.monitor, 'val_loss'),
    patience: integer(value.patience, 3),
    min_delta: number(value.min_delta, 0),
    restore_best_weights: boolean(value.restore_best_weights, false),
  };
}

/** `balanced`, or the mapping's numeric weights keyed by label (YAML may give numeric keys). */
function resolveClassWeight(value: unknown): ClassWeightSpec | undefined {
  if (value === 'balanced') return 'balanced';
  const entries = Object.entries(record(value)).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]) && entry[1] >= 0);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function resolveInspect(inspect: Raw): InspectSpec {
  const probes = Array.isArray(inspect.probes) ? inspect.probes.flatMap(resolveProbe) : [{ index: 0 }, { index: 1 }];
  return { probes, max_units: integer(inspect.max_units, 32) };
}

function resolveProbe(value: unknown): ProbeSpec[] {
  const probe = record(value);
  if (typeof probe.text === 'string') return [{ text: probe.text }];
  if (Number.isInteger(probe.index)) return [{ index: probe.index as number }];
  return [];
}

function record(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function text(value: unknown, fallback: string): string {
  return optionalString(value) ?? fallback;
}

function optionalInteger(value: unknown): number | undefined {
  return Number.isInteger(value) ? (value as number) : undefined;
}

function integer(value: unknown, fallback: number): number {
  return optionalInteger(value) ?? fallback;
}

function number(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function boolean(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function choice<T extends string>(value: unknown, choices: readonly T[], fallback: T): T {
  return choices.find((candidate) => candidate === value) ?? fallback;
}

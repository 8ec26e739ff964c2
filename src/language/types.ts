/**
 * The resolved model spec: what a `*.seqlab.yaml` file means once it has been parsed, checked and
 * completed with defaults. Keys keep the YAML's Keras vocabulary (snake_case) so that the file, the
 * docs and the code read alike. Everything downstream (data, model, training, extension, webview)
 * consumes these types, never raw YAML.
 */

export type Task = 'binary' | 'multiclass' | 'regression' | 'forecast' | 'next-token';

export type PadSide = 'pre' | 'post';

export interface TokenizerSpec {
  level: 'word' | 'char';
  /**
   * Keras `num_words`: the most frequent `vocab_size - 2` tokens are kept (0 = padding, 1 = OOV).
   * Undefined (char level without `vocab_size`): every character of the training data is kept.
   */
  vocab_size?: number;
  lowercase: boolean;
  strip_html: boolean;
  oov_token: string;
}

export interface WindowSpec {
  /** Timesteps of history fed to the model. */
  lookback: number;
  /** How many steps ahead the target is. */
  horizon: number;
  normalize: NormalizeMethod;
  /** Steps per season for the seasonal-naive baseline; undefined: detected from the training series. */
  season?: number;
}

export type ValidationSpec = { split: number } | { source: string };

/** What to do with missing values (blank or NA) in a series: refuse, or fill them. */
export type MissingPolicy = 'error' | 'interpolate' | 'ffill';

export type NormalizeMethod = 'zscore' | 'minmax' | 'none';

/** Options of a `builtin:*` generator; each generator documents which ones it reads. */
export interface GeneratorSpec {
  samples: number;
  length: number;
}

export interface DataSpec {
  /** A path relative to the spec file, `builtin:<name>`, or `imdb`. */
  source: string;
  /**
   * `source: imdb` only: a local copy (relative to the spec file) — an extracted `aclImdb/` folder,
   * `aclImdb_v1.tar.gz`, or a folder with `imdb_train.csv.gz` + `imdb_test.csv.gz`. Without it the
   * env var SEQLAB_IMDB, then a download cache, are used.
   */
  imdb_path?: string;
  /**
   * `source: imdb` only: `keras` mirrors `keras.datasets.imdb.load_data` (src/data/imdbKeras.ts);
   * `tokenizer` applies `tokenizer` as for any text file.
   */
  imdb_preprocessing: 'tokenizer' | 'keras';
  task: Task;
  /**
   * `value`: one column, or several (features per step; a forecast predicts the first). `date`: the
   * steps' dates (forecast); absent: a column named like a date, or holding only ISO dates, if any.
   */
  columns: { text: string; label: string; value: string | string[]; date?: string };
  /** Missing values in a series: `error` (default) lists them all; `interpolate` / `ffill` fill them. */
  missing: MissingPolicy;
  /** regression: scale the targets for training (metrics and predictions stay in the data's units). */
  normalize_target: NormalizeMethod;
  tokenizer: TokenizerSpec;
  /** Sequence length after `pad_sequences`; undefined means "longest sequence". */
  max_len?: number;
  padding: PadSide;
  truncating: PadSide;
  window: WindowSpec;
  validation: ValidationSpec;
  /** Number of classes for `multiclass` when the checker cannot see the data. */
  num_classes?: number;
  /** Use at most this many training examples (after shuffling with `seed`). */
  limit?: number;
  generator: GeneratorSpec;
  seed: number;
}

export type RecurrentType = 'simple_rnn' | 'lstm' | 'gru';

export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear' | 'softmax' | 'hard_sigmoid' | 'elu' | 'selu';

export interface EmbeddingLayerSpec {
  type: 'embedding';
  output_dim: number;
  /** Inferred from the vocabulary when omitted. */
  input_dim?: number;
  mask_zero: boolean;
}

export interface RecurrentLayerSpec {
  type: RecurrentType;
  units: number;
  activation: Activation;
  /** LSTM/GRU only; Keras default `sigmoid` (tfjs's default is `hard_sigmoid`). */
  recurrent_activation: Activation;
  return_sequences: boolean;
  dropout: number;
  recurrent_dropout: number;
  go_backwards: boolean;
  /** LSTM only; Keras default true. */
  unit_forget_bias: boolean;
}

export interface BidirectionalLayerSpec {
  type: 'bidirectional';
  layer: RecurrentLayerSpec;
  merge_mode: 'concat' | 'sum' | 'mul' | 'ave';
}

export interface DenseLayerSpec {
  type: 'dense';
  units: number;
  activation: Activation;
}

export interface DropoutLayerSpec {
  type: 'dropout';
  rate: number;
}

export interface TimeDistributedLayerSpec {
  type: 'time_distributed';
  layer: DenseLayerSpec;
}

export type LayerSpec =
  | EmbeddingLayerSpec
  | RecurrentLayerSpec
  | BidirectionalLayerSpec
  | DenseLayerSpec
  | DropoutLayerSpec
  | TimeDistributedLayerSpec;

export type LayerType = LayerSpec['type'];

export type OptimizerName = 'adam' | 'rmsprop' | 'sgd';

export interface OptimizerSpec {
  name: OptimizerName;
  /** adam */
  beta_1: number;
  beta_2: number;
  epsilon: number;
  /** rmsprop */
  rho: number;
  /** sgd / rmsprop */
  momentum: number;
}

export type LossName =
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'mse'
  | 'mae';

/**
 * Keras metric names. `accuracy`, `mae`, `mse` are means over examples; `precision`, `recall`,
 * `auc` (binary) and `f1_score` (binary: positive class; multiclass: macro average) are computed
 * over a whole epoch or split.
 */
export type MetricName = 'accuracy' | 'precision' | 'recall' | 'f1_score' | 'auc' | 'mae' | 'mse';

export interface EarlyStoppingSpec {
  monitor: string;
  patience: number;
  min_delta: number;
  /** Keras name: restore the best epoch's weights before the model is saved. */
  restore_best_weights: boolean;
}

/**
 * Keras `class_weight`: `balanced` (n / (classes x n_c)) or a weight per label as written in the
 * data (class names, or class ids as strings); unlisted classes weigh 1.
 */
export type ClassWeightSpec = 'balanced' | Record<string, number>;

export interface TrainSpec {
  optimizer: OptimizerSpec;
  learning_rate: number;
  clipnorm?: number;
  loss: LossName;
  metrics: MetricName[];
  epochs: number;
  batch_size: number;
  shuffle: boolean;
  class_weight?: ClassWeightSpec;
  early_stopping?: EarlyStoppingSpec;
}

export type ProbeSpec = { text: string } | { index: number };

export interface InspectSpec {
  probes: ProbeSpec[];
  /** Heatmaps show at most this many units per layer (the first ones). */
  max_units: number;
}

export interface ModelSpec {
  name: string;
  description?: string;
  data: DataSpec;
  model: LayerSpec[];
  train: TrainSpec;
  inspect: InspectSpec;
}

/** Zero-based position, as in LSP; printed one-based by the CLI. */
export interface SourcePosition {
  line: number;
  character: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface SpecDiagnostic {
  severity: Severity;
  /** Stable identifier, e.g. `yaml-syntax`, `schema`, `unknown-key`, `shape`, `loss-output`. */
  code: string;
  message: string;
  range: SourceRange;
  fixes?: QuickFix[];
}

/** Output shape with `null` for the batch dimension and for unknown timesteps, as Keras prints. */
export type Shape = (number | null)[];

export interface LayerSummary {
  /** Keras-style name, e.g. `lstm`, `lstm_1`, `dense`. */
  name: string;
  type: LayerType;
  outputShape: Shape;
  params: number;
  /** Where the layer is declared in the spec (its list item), for inline decorations. */
  range?: SourceRange;
}

export interface ModelSummary {
  inputShape: Shape;
  layers: LayerSummary[];
  totalParams: number;
}

export interface CheckResult {
  /** Present when there is no error (warnings allowed). */
  spec?: ModelSpec;
  diagnostics: SpecDiagnostic[];
  /** Present whenever the layer stack could be inferred, even with errors elsewhere. */
  summary?: ModelSummary;
}

/**
 * The one protocol of Sequence Lab: every message between the training worker, its parent (the
 * extension host or the CLI) and the webview. Discriminated unions on `type`; bump
 * PROTOCOL_VERSION on any incompatible change. Nothing else may define messages.
 *
 * This module is imported by the webview bundle too, so it must stay free of Node and vscode.
 */
import type { ModelSummary } from './language/types';

export const PROTOCOL_VERSION = 1;

export type Metrics = Record<string, number>;

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

// ---------------------------------------------------------------- worker -> parent (run events)

export interface HelloEvent {
  type: 'hello';
  protocol: number;
  backend: BackendName;
  versions: { seqlab: string; tfjs: string; node: string };
  /** Why a preferred backend was not used, if it was not. */
  backendNote?: string;
  /** Threads the recurrent layers' kernel uses (absent in runs recorded before it existed). */
  threads?: number;
  /** Which recurrent implementation trains: our WebAssembly kernel, or tfjs's stock layers (`SEQLAB_RECURRENT=stock`). */
  recurrent?: RecurrentEngine;
}

export type RecurrentEngine = 'wasm-kernel' | 'tfjs-stock';

/** One class of a classification dataset: which label got which id, and how many examples it has. */
export interface ClassCount {
  /** The label as written in the data (`spam`, `3`). */
  label: string;
  /** The class id the model predicts for it (an output unit for softmax). */
  id: number;
  train: number;
  validation: number;
}

export interface DataStats {
  source: string;
  task: string;
  trainSamples: number;
  validationSamples: number;
  timesteps: number;
  /** Input features per step for numeric series; absent for token input. */
  features?: number;
  vocabSize?: number;
  classes?: number;
  /** binary / multiclass: every class in id order, with its label and example counts. */
  classCounts?: ClassCount[];
  /** What `tokenizer.strip_html` removed from the training texts (real tags only). */
  htmlRemoved?: { tags: number; characters: number; fraction: number };
  /** Missing values in a series and how `data.missing` filled them (first lines only). */
  missing?: { count: number; method: 'interpolate' | 'ffill'; lines: number[] };
  /** Regression / forecast targets normalised for training: their statistics, in the data's units. */
  targetScale?: { method: 'zscore' | 'minmax'; offset: number; scale: number };
  /** Things worth knowing before training (one class dominates, numbers in a text column...). */
  warnings?: string[];
  loadMs: number;
}

export interface DataEvent {
  type: 'data';
  stats: DataStats;
}

export interface ModelEvent {
  type: 'model';
  summary: ModelSummary;
}

export interface RunStartedEvent {
  type: 'run';
  runId: string;
  runDir: string;
  name: string;
  epochs: number;
  /** 0 when the run ended while reading its data (it failed or was stopped before training). */
  batchesPerEpoch: number;
  batchSize: number;
  quick: boolean;
  startedAt: string;
  /** The spec's `description` (an example's lesson), shown under the run's title. */
  description?: string;
}

export interface BatchEvent {
  type: 'batch';
  /** Zero-based epoch and batch within it; `step` counts batches across epochs. */
  epoch: number;
  batch: number;
  step: number;
  loss: number;
  metrics: Metrics;
  samplesPerSec: number;
  /** Global L2 norm of all gradients of the batch, before clipping. */
  gradNorm?: number;
  /** The same after `clipnorm` (present when it is set). */
  clippedGradNorm?: number;
}

export interface EpochEvent {
  type: 'epoch';
  epoch: number;
  /** `loss` plus each metric, on the training set (running mean over the epoch). */
  train: Metrics;
  /** Same keys, on the validation set; empty when there is none. */
  validation: Metrics;
  durationMs: number;
  liveTensors: number;
}

/**
 * A figure the model should beat, to draw as a labelled horizontal line on the chart of `metric`
 * and to show beside that metric in tables.
 */
export interface Baseline {
  /** Short label: `majority class`, `naive last value`, `seasonal naive (12)`, `unigram`... */
  name: string;
  /**
   * The metric it compares to, named as in `DoneEvent.finalMetrics` (`val_` = on the validation
   * split): `val_accuracy`, `loss`, `val_data_rmse`...
   */
  metric: string;
  value: number;
  /** `fraction`, `nats per example`, `nats per token`, `data units`, `normalised units`. */
  unit: string;
  /** One sentence: the rule, and which split it was measured on. */
  description: string;
}

/** Baselines computed once from the training data before the first batch. */
export interface BaselinesEvent {
  type: 'baselines';
  baselines: Baseline[];
  /** Why an expected baseline is missing, for people. */
  notes?: string[];
}

export interface LayerStates {
  /** Layer name as in the summary, e.g. `lstm`. */
  layer: string;
  /** Units recorded (the first `max_units` of the layer). */
  units: number;
  /** `states[t][u]`: hidden state of unit u after timestep t (for bidirectional: concatenated). */
  states: number[][];
}

export interface ProbeSnapshot {
  /** Stable id across epochs, e.g. `probe-0`. */
  id: string;
  label: string;
  /** One token per timestep (padding shown as an empty string). */
  tokens: string[];
  /** Model output for this probe, e.g. the positive-class probability. */
  prediction?: number[];
  /** The prediction as people read it (absent in runs recorded before it existed). */
  summary?: PredictionSummary;
  layers: LayerStates[];
}

/**
 * A prediction in the words of its task: a class name, the next token, a value in the data's units.
 * Formatted once, in the worker, so the panel, the HTML report and the CLI show the same text.
 */
export interface PredictionSummary {
  kind: 'class' | 'token' | 'value';
  /** E.g. `positive · 82.3%`, `“e” · 41.0%`, `412.5`. */
  text: string;
  /** Class and token predictions: the most likely outputs, best first (at most 5). */
  alternatives?: { label: string; probability: number; text: string }[];
}

export interface ProbesEvent {
  type: 'probes';
  /** -1 for the snapshot taken before training, then 0, 1, ... after each epoch. */
  epoch: number;
  probes: ProbeSnapshot[];
}

// ---------------------------------------------------------------- views: gates, gradient flow, maps

export type CellKind = 'simple_rnn' | 'lstm' | 'gru';
/** LSTM: input, forget, cell (the candidate g), output. GRU: update (z), reset (r), candidate. */
export type GateName = 'input' | 'forget' | 'cell' | 'output' | 'update' | 'reset' | 'candidate';
export type Direction = 'forward' | 'backward';

/**
 * A timesteps x units matrix quantised to one byte per value (heatmaps need no more):
 * `value = min + (max - min) * byte / 255`, bytes row-major (`[t][u]`), base64-encoded.
 */
export interface QuantizedMatrix {
  rows: number;
  cols: number;
  min: number;
  max: number;
  data: string;
}

export interface LayerGates {
  /** Layer name as in the summary. */
  layer: string;
  cell: CellKind;
  direction: Direction;
  /** Input timestep of the first stored row (padding before a probe's text is not stored). */
  start: number;
  /** One matrix per gate of the cell, rows = timesteps from `start`, cols = the first units. */
  gates: { gate: GateName; values: QuantizedMatrix }[];
  /**
   * Mean over all units of the gate that keeps memory (LSTM forget, GRU update) per stored
   * timestep: 1 keeps everything, 0 forgets everything. Absent for SimpleRNN.
   */
  keep?: number[];
}

export interface ProbeGates {
  /** The probe's id in the `probes` event of the same epoch. */
  id: string;
  layers: LayerGates[];
}

export interface GatesEvent {
  type: 'gates';
  /** -1 before training, then the zero-based epoch. */
  epoch: number;
  probes: ProbeGates[];
}

export interface GradientFlowLayer {
  layer: string;
  cell: CellKind;
  direction: Direction;
  /** ‖∂L/∂h_t‖ (L2 over the batch and the units) per input timestep t. */
  norms: number[];
}

/**
 * The gradient of the loss (mean over a fixed, seeded batch of validation sequences) with respect
 * to every hidden state h_t: how much each timestep can still learn from the loss.
 */
export interface GradientFlowEvent {
  type: 'gradients';
  epoch: number;
  /** Sequences in the batch. */
  sequences: number;
  loss: number;
  layers: GradientFlowLayer[];
}

/** What the representation map colours its points by. */
export type RepresentationColour =
  | { kind: 'class'; classes: string[]; of: number[] }
  | { kind: 'value'; values: number[]; name: string };

export interface RepresentationSample {
  /** Validation indices of the sampled sequences, in the order of the points. */
  indices: number[];
  /** The sequences as text (tokens joined, cut to a few hundred characters) or values. */
  texts: string[];
  colour: RepresentationColour;
}

/** A 2-D projection of the final hidden state of a fixed, seeded sample of validation sequences. */
export interface RepresentationEvent {
  type: 'representation';
  epoch: number;
  layer: string;
  method: 'PCA';
  /** Fraction of the variance along each axis. */
  explained: [number, number];
  /** `[x0, y0, x1, y1, ...]`, one pair per sampled sequence. */
  points: number[];
  /** The sample itself, sent with the first event of a run only. */
  sample?: RepresentationSample;
}

/** Which input positions pushed the prediction which way. */
export interface Attribution {
  method: 'integrated-gradients' | 'gradient-x-input';
  /** E.g. `integrated gradients over the embedding (32 steps from a zero embedding)`. */
  description: string;
  /** What is attributed, e.g. `probability of “positive”`. */
  target: string;
  /** Per input timestep, signed (positive: towards the target). */
  scores: number[];
  /** The target's value minus its value at the baseline: the scores sum to about this. */
  total: number;
}

/** A sequence typed in the panel or given to `seqlab probe`, run through the model. */
export interface InspectionEvent {
  type: 'inspection';
  /** Request id, unique within the run. */
  id: string;
  input: string;
  /** Weights used: `final` (the saved model) or those after `epoch` of a live run. */
  weights: { kind: 'final' } | { kind: 'epoch'; epoch: number };
  probe: ProbeSnapshot;
  gates: LayerGates[];
  attribution?: Attribution;
  /** Set when the run already keeps its maximum of probes: this one was shown but not stored. */
  notKept?: true;
}

// ---------------------------------------------------------------- task views: forecast, classes, text

/**
 * The forecast view's fixed part, sent with the first `forecast` event of a run: the validation
 * windows' targets and the naive forecasts over them, in the data's units.
 */
export interface ForecastRange {
  /** Steps predicted per window (`data.window.horizon`). */
  horizon: number;
  /** Windows shown: the first ones of the validation split (all of them up to a cap). */
  windows: number;
  /** Windows in the validation split. */
  total: number;
  /** Position in the whole series (0-based) of the first window's first target step. */
  firstStep: number;
  /** The actual value of every target step in order, `[windows + horizon - 1]`: step `i + j` is window i's j-th target. */
  actual: number[];
  /** The date of each of those steps as written in the data's date column, when it has one. */
  dates?: string[];
  /** Naive forecasts of the same windows, `[windows * horizon]` row-major; names as in the baselines. */
  naive: { name: string; values: number[] }[];
}

/** Forecast runs, after each epoch: the model's forecasts of the validation windows. */
export interface ForecastEvent {
  type: 'forecast';
  epoch: number;
  /** `[windows * horizon]` row-major, in the data's units. */
  predicted: number[];
  /** Sent with the first event of a run only. */
  range?: ForecastRange;
}

/** A validation example the model got wrong. */
export interface MisclassifiedExample {
  /** Index in the validation split. */
  index: number;
  /** Its input as text (tokens joined, or the values of a series), cut to a few hundred characters. */
  text: string;
  /** Class ids: the label, and the model's prediction. */
  actual: number;
  predicted: number;
  /** The probability the model gave its (wrong) prediction. */
  probability: number;
}

/** Binary and multiclass runs, after each epoch: the validation split's confusion matrix. */
export interface ClassificationEvent {
  type: 'classification';
  epoch: number;
  /** Class names in id order. */
  classes: string[];
  /** `confusion[actual][predicted]`: validation examples per (label, prediction); binary predicts at 0.5. */
  confusion: number[][];
  /** The most confidently wrong validation examples, most confident first (at most 10). */
  wrong: MisclassifiedExample[];
}

/** One generated token: what was drawn, the probability the model gave it, and the likeliest tokens there. */
export interface GeneratedToken {
  token: string;
  id: number;
  /** The model's probability of this token (its softmax, before temperature and top-k). */
  p: number;
  /** The most probable tokens at this step, best first (at most 5). */
  top: { token: string; p: number }[];
}

/** What a generation was asked for. */
export interface GenerationSettings {
  /** The text generation continues. */
  seed: string;
  /** Tokens generated. */
  length: number;
  /** 0 always takes the most probable token; 1 samples the model's distribution as it is. */
  temperature: number;
  /** Draw among the k most probable tokens; 0: all. */
  topK: number;
  /** Which draw (0, 1, 2...): its random stream is derived from `data.seed` and this number. */
  sample: number;
}

/** Next-token runs, after each epoch: a text generated with the same settings and random stream every epoch. */
export interface TextSampleEvent {
  type: 'textSample';
  epoch: number;
  level: 'word' | 'char';
  settings: GenerationSettings;
  tokens: GeneratedToken[];
}

/**
 * A text generated on request (the panel's generation box, `seqlab generate`). Streamed: events
 * with `complete: false` carry the tokens so far and reach the panel only; the complete one is kept
 * with the run.
 */
export interface GenerationEvent {
  type: 'generation';
  /** Request id, unique within the run. */
  id: string;
  level: 'word' | 'char';
  settings: GenerationSettings;
  weights: InspectionEvent['weights'];
  tokens: GeneratedToken[];
  complete: boolean;
}

export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed';

export interface DoneEvent {
  type: 'done';
  status: 'completed' | 'stopped';
  /** Last epoch's train and validation metrics, keys prefixed `val_` for validation. */
  finalMetrics: Metrics;
  durationMs: number;
  modelPath?: string;
  reason?: string;
}

export type ErrorKind = 'spec' | 'data' | 'numeric' | 'backend' | 'internal' | 'crash';

export interface ErrorEvent {
  type: 'error';
  kind: ErrorKind;
  /** For people: what happened and what to do about it. */
  message: string;
  /** For developers: a stack or raw error text, never shown first. */
  detail?: string;
}

export type RunEvent =
  | HelloEvent
  | RunStartedEvent
  | DataEvent
  | ModelEvent
  | BaselinesEvent
  | BatchEvent
  | EpochEvent
  | ProbesEvent
  | GatesEvent
  | GradientFlowEvent
  | RepresentationEvent
  | InspectionEvent
  | ForecastEvent
  | ClassificationEvent
  | TextSampleEvent
  | GenerationEvent
  | DoneEvent
  | ErrorEvent;

export type RunEventType = RunEvent['type'];

// ---------------------------------------------------------------- parent -> worker

export interface TrainOptions {
  /** Absolute path of the spec file; data paths resolve against its folder. */
  specPath: string;
  /** Spec text to use instead of reading `specPath` (an unsaved editor buffer). */
  specText?: string;
  epochs?: number;
  /** Bounded preview on a slice of the data. */
  quick?: boolean;
  /** Training examples of a quick preview (validation gets a quarter as many); default 2,000. */
  previewExamples?: number;
  /** Folder that receives the run folder; default `.seqlab/runs` beside the spec. */
  runsDir?: string;
  backend?: BackendPreference;
  /** Overrides `inspect.probes` count (extension setting). */
  maxProbes?: number;
  /** At most this many threads for the recurrent layers; default every core. */
  threads?: number;
  /** The id of the run this one re-runs (recorded in run.json). */
  rerunOf?: string;
  views?: ViewOptions;
}

/** Switches and caps of the per-epoch views (the `sequenceLab.views.*` settings document them). */
export interface ViewOptions {
  /** Gates, gradient flow, gradient norms and the representation map; hidden states are kept either way. Default true. */
  enabled?: boolean;
  /** Epochs whose heatmaps (hidden states and gates) are kept: before training, the last, and evenly spaced ones between. Default 21. */
  snapshots?: number;
  /** Validation sequences on the representation map. Default 300. */
  mapSamples?: number;
}

export type WorkerCommand =
  | { type: 'start'; protocol: number; options: TrainOptions }
  | { type: 'stop' }
  /** Run `text` through the model with the weights of its latest epoch; answered by an `inspection` event or a ProbeFailedMessage. */
  | { type: 'probe'; requestId: string; text: string };

/** A probe that could not run (input that does not fit the model, no model yet); sent by the worker and the probe process. */
export interface ProbeFailedMessage {
  type: 'probeFailed';
  requestId: string;
  /** For people: what is wrong and what to do. */
  message: string;
}

/** Commands of the probe process (dist/probe.js), which answers for finished runs from their saved model. */
export type ProbeCommand = { type: 'probe'; runDir: string; requestId: string; text: string };

/** Its answers: the inspection (already appended to the run folder), or why there is none. */
export type ProbeReply = { type: 'inspection'; runDir: string; event: InspectionEvent } | (ProbeFailedMessage & { runDir: string });

/** Commands of the generation process (dist/generate.js): the panel's generation box, from a run's saved model. */
export type GenerationCommand = { type: 'generate'; runDir: string; requestId: string; settings: GenerationSettings };

/**
 * Its answers: the text so far (`event.complete` false, every few tokens) and the complete text
 * (already appended to the run folder), or why there is none (a sentence for people).
 */
export type GenerationReply =
  | { type: 'generation'; runDir: string; requestId: string; event: GenerationEvent }
  | { type: 'generationFailed'; runDir: string; requestId: string; message: string };

// ---------------------------------------------------------------- comparing runs

/** What the comparison shows of one run's run.json (the fields that can explain a difference). */
export interface ComparedRunMeta {
  name: string;
  status: RunStatus;
  startedAt: string;
  task?: string;
  seed: number;
  dataHash?: string;
  backend: BackendName;
  recurrent?: RecurrentEngine;
  versions: { seqlab: string; tfjs: string; node: string };
  threads?: number;
  epochs: number;
  quick: boolean;
}

/** One run of a comparison: its events without the per-epoch heatmaps and probe results (large, not compared). */
export interface ComparedRun {
  runId: string;
  runDir: string;
  meta: ComparedRunMeta;
  events: RunEvent[];
}

/** A field that differs between the runs: its value in each run, as text (absent: not set, or not applicable). */
export interface ComparedField {
  /** A spec path (`model[1].units`, `train.learning_rate`) or a run.json field (`seed`, `versions.tfjs`). */
  field: string;
  values: (string | null)[];
}

/** Two or more runs side by side (`seqlab compare`, *Compare Runs…*). */
export interface CompareView {
  runs: ComparedRun[];
  /** The resolved specs' fields that differ (defaults filled in: a default and the same value written out do not differ). */
  specDifferences: ComparedField[];
  /** What else differed: seed, data hash, backend, versions, threads, epochs. */
  runDifferences: ComparedField[];
  /** What is not comparable and why (different tasks, different data), for people. */
  notes: string[];
  /** Runs whose curves are drawn: the first `plotted` (more lines than that cannot be told apart). */
  plotted: number;
}

// ---------------------------------------------------------------- extension host <-> webview

/** What the panel shows: a run, as the ordered list of its events. */
export interface RunView {
  runId: string;
  runDir: string;
  events: RunEvent[];
  /** The spec's `name`, known before the worker's `run` event (which carries it too) arrives. */
  name?: string;
  /** Set when the spec has never been trained: the panel shows the spec itself, and offers to train it. */
  untrained?: UntrainedSpec;
}

/** A spec without a run, as the checker sees it now. */
export interface UntrainedSpec {
  /** Errors the checker reports; training is refused while there are any. */
  errors: number;
  /** The model summary, when the layer stack builds. */
  summary?: ModelSummary;
  /** The spec's `description`. */
  description?: string;
}

export type HostToWebview =
  | { type: 'reset'; view: RunView }
  | { type: 'event'; runId: string; event: RunEvent }
  /**
   * Several events of a run in order, as one message: the host gathers the batch events of a fast
   * run (thousands a second) so the panel handles a few messages per frame, not thousands.
   */
  | { type: 'events'; runId: string; events: RunEvent[] }
  | { type: 'theme'; kind: 'light' | 'dark' | 'high-contrast' }
  /** A probe typed in the panel could not run; its result otherwise arrives as an `inspection` event. */
  | { type: 'probeFailed'; runId: string; requestId: string; message: string }
  /** A generation asked for in the panel could not run; its text otherwise arrives as `generation` events. */
  | { type: 'generationFailed'; runId: string; requestId: string; message: string }
  /** Show a comparison of runs instead of one run. */
  | { type: 'compare'; view: CompareView };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'stop'; runId: string }
  /** Train the untrained spec the panel shows, in full or as a quick preview. */
  | { type: 'train'; kind: 'train' | 'preview' }
  | { type: 'exportCsv'; runId: string; csv: string }
  | { type: 'openRun' }
  /** Run `text` through the run's model (its latest epoch while training, else the saved model). */
  | { type: 'probe'; runId: string; requestId: string; text: string }
  /** Generate text with the run's next-token model (its latest epoch while training, else the saved model). */
  | { type: 'generate'; runId: string; requestId: string; settings: GenerationSettings };

/** Longest text the probe box sends (a pasted review or series fits many times over). */
export const MAX_PROBE_TEXT = 100_000;
/** Most tokens one generation may ask for. */
export const MAX_GENERATION_TOKENS = 2000;

// ---------------------------------------------------------------- validation of untrusted input

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const RUN_EVENT_TYPES: ReadonlySet<string> = new Set<RunEventType>([
  'hello',
  'run',
  'data',
  'model',
  'baselines',
  'batch',
  'epoch',
  'probes',
  'gates',
  'gradients',
  'representation',
  'inspection',
  'forecast',
  'classification',
  'textSample',
  'generation',
  'done',
  'error',
]);

/** Structural check of a message received from the worker process or read from a run folder. */
export function isRunEvent(value: unknown): value is RunEvent {
  if (!isObject(value) || typeof value.type !== 'string' || !RUN_EVENT_TYPES.has(value.type)) return false;
  // The views' events carry arrays the panel indexes into: check those shapes, not just the type.
  switch (value.type) {
    case 'gates':
      return typeof value.epoch === 'number' && isArrayOf(value.probes, (p) => isObject(p) && typeof p.id === 'string' && isArrayOf(p.layers, isLayerGates));
    case 'gradients':
      return typeof value.epoch === 'number' && isArrayOf(value.layers, (l) => isObject(l) && typeof l.layer === 'string' && isNumbers(l.norms));
    case 'representation':
      return typeof value.epoch === 'number' && typeof value.layer === 'string' && isNumbers(value.points) && (value.sample === undefined || isRepresentationSample(value.sample));
    case 'inspection':
      return typeof value.id === 'string' && typeof value.input === 'string' && isObject(value.probe) && Array.isArray(value.probe.tokens) && isArrayOf(value.gates, isLayerGates);
    case 'forecast':
      return typeof value.epoch === 'number' && isNumbers(value.predicted) && (value.range === undefined || isForecastRange(value.range));
    case 'classification':
      return (
        typeof value.epoch === 'number' &&
        Array.isArray(value.classes) &&
        Array.isArray(value.confusion) &&
        value.confusion.every(isNumbers) &&
        isArrayOf(value.wrong, (w) => typeof w.text === 'string' && typeof w.actual === 'number' && typeof w.predicted === 'number')
      );
    case 'textSample':
      return typeof value.epoch === 'number' && isObject(value.settings) && isArrayOf(value.tokens, isGeneratedToken);
    case 'generation':
      return typeof value.id === 'string' && isObject(value.settings) && isObject(value.weights) && isArrayOf(value.tokens, isGeneratedToken);
    default:
      return true;
  }
}

function isForecastRange(value: unknown): boolean {
  return (
    isObject(value) &&
    Number.isInteger(value.horizon) &&
    Number.isInteger(value.windows) &&
    isNumbers(value.actual) &&
    (value.dates === undefined || (Array.isArray(value.dates) && value.dates.every((d) => typeof d === 'string'))) &&
    isArrayOf(value.naive, (n) => typeof n.name === 'string' && isNumbers(n.values))
  );
}

function isGeneratedToken(value: Record<string, unknown>): boolean {
  return typeof value.token === 'string' && typeof value.p === 'number' && isArrayOf(value.top, (t) => typeof t.token === 'string' && typeof t.p === 'number');
}

function isArrayOf(value: unknown, check: (item: Record<string, unknown>) => boolean): boolean {
  return Array.isArray(value) && value.every((item) => isObject(item) && check(item));
}

function isNumbers(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

function isQuantizedMatrix(value: unknown): boolean {
  return (
    isObject(value) &&
    Number.isInteger(value.rows) &&
    Number.isInteger(value.cols) &&
    typeof value.min === 'number' &&
    typeof value.max === 'number' &&
    typeof value.data === 'string'
  );
}

function isLayerGates(value: Record<string, unknown>): boolean {
  return (
    typeof value.layer === 'string' &&
    typeof value.start === 'number' &&
    isArrayOf(value.gates, (g) => typeof g.gate === 'string' && isQuantizedMatrix(g.values)) &&
    (value.keep === undefined || isNumbers(value.keep))
  );
}

function isRepresentationSample(value: unknown): boolean {
  return isObject(value) && isNumbers(value.indices) && Array.isArray(value.texts) && isObject(value.colour);
}

export function isWorkerCommand(value: unknown): value is WorkerCommand {
  if (!isObject(value)) return false;
  if (value.type === 'stop') return true;
  if (value.type === 'probe') return isProbeText(value);
  return (
    value.type === 'start' &&
    value.protocol === PROTOCOL_VERSION &&
    isObject(value.options) &&
    typeof value.options.specPath === 'string'
  );
}

function isProbeText(value: Record<string, unknown>): boolean {
  return typeof value.requestId === 'string' && typeof value.text === 'string' && value.text.trim().length > 0 && value.text.length <= MAX_PROBE_TEXT;
}

export function isProbeFailedMessage(value: unknown): value is ProbeFailedMessage {
  return isObject(value) && value.type === 'probeFailed' && typeof value.requestId === 'string' && typeof value.message === 'string';
}

export function isProbeCommand(value: unknown): value is ProbeCommand {
  return isObject(value) && value.type === 'probe' && typeof value.runDir === 'string' && isProbeText(value);
}

export function isGenerationCommand(value: unknown): value is GenerationCommand {
  return isObject(value) && value.type === 'generate' && typeof value.runDir === 'string' && typeof value.requestId === 'string' && isGenerationSettings(value.settings);
}

export function isGenerationReply(value: unknown): value is GenerationReply {
  if (!isObject(value) || typeof value.runDir !== 'string' || typeof value.requestId !== 'string') return false;
  if (value.type === 'generationFailed') return typeof value.message === 'string';
  return value.type === 'generation' && isRunEvent(value.event) && value.event.type === 'generation';
}

export function isProbeReply(value: unknown): value is ProbeReply {
  if (!isObject(value) || typeof value.runDir !== 'string') return false;
  return value.type === 'inspection' ? isRunEvent(value.event) && value.event.type === 'inspection' : isProbeFailedMessage(value);
}

/** Every message from a webview is untrusted: accept only the exact shapes above. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'openRun':
      return true;
    case 'stop':
      return typeof value.runId === 'string';
    case 'train':
      return value.kind === 'train' || value.kind === 'preview';
    case 'exportCsv':
      return typeof value.runId === 'string' && typeof value.csv === 'string' && value.csv.length < 50_000_000;
    case 'generate':
      return typeof value.runId === 'string' && typeof value.requestId === 'string' && isGenerationSettings(value.settings);
    case 'probe':
      return typeof value.runId === 'string' && isProbeText(value);
    default:
      return false;
  }
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'reset':
      return isObject(value.view) && Array.isArray(value.view.events);
    case 'event':
      return typeof value.runId === 'string' && isRunEvent(value.event);
    case 'events':
      return typeof value.runId === 'string' && Array.isArray(value.events) && value.events.every(isRunEvent);
    case 'theme':
      return typeof value.kind === 'string';
    case 'probeFailed':
      return typeof value.runId === 'string' && typeof value.requestId === 'string' && typeof value.message === 'string';
    case 'generationFailed':
      return typeof value.runId === 'string' && typeof value.requestId === 'string' && typeof value.message === 'string';
    case 'compare':
      return isCompareView(value.view);
    default:
      return false;
  }
}

/** A generation request from an untrusted webview: a seed text and settings in range. */
export function isGenerationSettings(value: unknown): value is GenerationSettings {
  const whole = (n: unknown, max: number) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max;
  return (
    isObject(value) &&
    typeof value.seed === 'string' &&
    value.seed.trim().length > 0 &&
    value.seed.length <= MAX_PROBE_TEXT &&
    whole(value.length, MAX_GENERATION_TOKENS) &&
    (value.length as number) >= 1 &&
    typeof value.temperature === 'number' &&
    Number.isFinite(value.temperature) &&
    value.temperature >= 0 &&
    whole(value.topK, 1_000_000) &&
    whole(value.sample, 2 ** 31)
  );
}

/** A comparison from the host or embedded in a report: the shapes its views index into (events are filtered one by one). */
export function isCompareView(value: unknown): value is CompareView {
  const fields = (list: unknown) => isArrayOf(list, (f) => typeof f.field === 'string' && Array.isArray(f.values));
  return (
    isObject(value) &&
    isArrayOf(value.runs, (run) => typeof run.runId === 'string' && isObject(run.meta) && typeof run.meta.name === 'string' && Array.isArray(run.events)) &&
    fields(value.specDifferences) &&
    fields(value.runDifferences) &&
    Array.isArray(value.notes) &&
    typeof value.plotted === 'number'
  );
}

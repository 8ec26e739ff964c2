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
}

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
  layers: LayerStates[];
}

export interface ProbesEvent {
  type: 'probes';
  /** -1 for the snapshot taken before training, then 0, 1, ... after each epoch. */
  epoch: number;
  probes: ProbeSnapshot[];
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
}

export type WorkerCommand = { type: 'start'; protocol: number; options: TrainOptions } | { type: 'stop' };

// ---------------------------------------------------------------- extension host <-> webview

/** What the panel shows: a run, as the ordered list of its events. */
export interface RunView {
  runId: string;
  runDir: string;
  events: RunEvent[];
}

export type HostToWebview =
  | { type: 'reset'; view: RunView }
  | { type: 'event'; runId: string; event: RunEvent }
  | { type: 'theme'; kind: 'light' | 'dark' | 'high-contrast' };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'stop'; runId: string }
  | { type: 'exportCsv'; runId: string; csv: string }
  | { type: 'openRun' };

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
  'done',
  'error',
]);

/** Structural check of a message received from the worker process. */
export function isRunEvent(value: unknown): value is RunEvent {
  return isObject(value) && typeof value.type === 'string' && RUN_EVENT_TYPES.has(value.type);
}

export function isWorkerCommand(value: unknown): value is WorkerCommand {
  if (!isObject(value)) return false;
  if (value.type === 'stop') return true;
  return (
    value.type === 'start' &&
    value.protocol === PROTOCOL_VERSION &&
    isObject(value.options) &&
    typeof value.options.specPath === 'string'
  );
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
    case 'exportCsv':
      return typeof value.runId === 'string' && typeof value.csv === 'string' && value.csv.length < 50_000_000;
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
    case 'theme':
      return typeof value.kind === 'string';
    default:
      return false;
  }
}

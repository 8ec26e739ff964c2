/**
 * The panel's state: a pure fold over the events of one run. The live panel and the HTML report feed
 * the same events through `reduce`, which is why a reopened run shows exactly what the live one did.
 *
 * No DOM here: this module is unit tested in Node.
 */
import type {
  BackendName,
  BatchEvent,
  Baseline,
  ClassificationEvent,
  DataStats,
  EpochEvent,
  ForecastEvent,
  ForecastRange,
  GatesEvent,
  GenerationEvent,
  GradientFlowEvent,
  InspectionEvent,
  Metrics,
  ProbeSnapshot,
  RepresentationEvent,
  RepresentationSample,
  RunEvent,
  RunStartedEvent,
  RunStatus,
  RunView,
  TextSampleEvent,
  UntrainedSpec,
} from '../../src/protocol';
import type { ModelSummary } from '../../src/language/types';

/**
 * Per-batch training values as columns. The columns are append-only and shared by successive states:
 * copying them on every batch would make a 10k-batch run quadratic. A state reads only its first
 * `length` entries, so an older state still sees exactly what it saw.
 */
export interface BatchColumns {
  readonly length: number;
  readonly step: readonly number[];
  readonly epoch: readonly number[];
  readonly batch: readonly number[];
  /** `loss` and every metric, keyed by name; NaN where a batch did not report the metric. */
  readonly values: Readonly<Record<string, readonly number[]>>;
}

export interface EpochRecord {
  epoch: number;
  train: Metrics;
  validation: Metrics;
  durationMs: number;
}

export interface ProbeEpoch {
  /** -1 before training, then the zero-based epoch after which the snapshot was taken. */
  epoch: number;
  probes: ProbeSnapshot[];
}

export interface RunState {
  runId: string;
  runDir: string;
  /** The spec's name, from the host at once, then from the run itself. */
  name?: string;
  /** The spec has no run yet: the panel shows the spec and offers to train it. */
  untrained?: UntrainedSpec;
  run?: RunStartedEvent;
  backend?: BackendName;
  backendNote?: string;
  versions?: { seqlab: string; tfjs: string; node: string };
  data?: DataStats;
  summary?: ModelSummary;
  /** What the model should beat, each tied to the metric it compares to. */
  baselines?: readonly Baseline[];
  /** 'running' until a done or error event arrives. */
  status: RunStatus;
  error?: { kind: string; message: string; detail?: string };
  stopReason?: string;
  finalMetrics?: Metrics;
  durationMs?: number;
  batches: BatchColumns;
  /** Names of the quantities to chart, `loss` first, in the order they were first seen. */
  quantities: readonly string[];
  epochs: readonly EpochRecord[];
  /** Hidden-state snapshots sorted by epoch. */
  snapshots: readonly ProbeEpoch[];
  /** Gate snapshots sorted by epoch (fewer than `snapshots` in runs recorded before gates existed). */
  gates: readonly GatesEvent[];
  /** Gradient flow per epoch, sorted by epoch. */
  gradients: readonly GradientFlowEvent[];
  /** Representation map per epoch, sorted by epoch; the sample comes with the first one. */
  representations: readonly RepresentationEvent[];
  representationSample?: RepresentationSample;
  /** Sequences probed by hand, in the order they were run. */
  inspections: readonly InspectionEvent[];
  /** Forecast runs: the model's validation forecasts per epoch, sorted by epoch; the range comes with the first. */
  forecasts: readonly ForecastEvent[];
  forecastRange?: ForecastRange;
  /** Classifiers: the confusion matrix per epoch, sorted by epoch. */
  classifications: readonly ClassificationEvent[];
  /** Next-token runs: the text sample per epoch, sorted by epoch. */
  textSamples: readonly TextSampleEvent[];
  /** Texts generated on request, in the order they were asked for (a streaming one grows in place). */
  generations: readonly GenerationEvent[];
  samplesPerSec?: number;
  /** The latest position reached: zero-based epoch and batch. */
  position?: { epoch: number; batch: number; step: number };
}

/** Batch columns of the global gradient norm before and after `clipnorm`. */
export const GRAD_NORM = 'grad_norm';
export const CLIPPED_GRAD_NORM = 'grad_norm_clipped';

export function initialState(runId = '', runDir = ''): RunState {
  return {
    runId,
    runDir,
    status: 'running',
    batches: { length: 0, step: [], epoch: [], batch: [], values: {} },
    quantities: [],
    epochs: [],
    snapshots: [],
    gates: [],
    gradients: [],
    representations: [],
    inspections: [],
    forecasts: [],
    classifications: [],
    textSamples: [],
    generations: [],
  };
}

export function stateFromView(view: RunView): RunState {
  const start: RunState = {
    ...initialState(view.runId, view.runDir),
    ...(view.name ? { name: view.name } : {}),
    ...(view.untrained ? { untrained: view.untrained, summary: view.untrained.summary } : {}),
  };
  return reduceAll(start, view.events);
}

export function reduce(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'hello':
      return { ...state, backend: event.backend, backendNote: event.backendNote, versions: event.versions };
    case 'run':
      return { ...state, run: event, name: event.name, runId: event.runId || state.runId, runDir: event.runDir || state.runDir };
    case 'data':
      return { ...state, data: event.stats };
    case 'model':
      return { ...state, summary: event.summary };
    case 'baselines':
      return { ...state, baselines: event.baselines };
    case 'batch':
      return withBatches(state, [event]);
    case 'epoch':
      return {
        ...state,
        epochs: upsertBy(state.epochs, epochRecord(event), (record) => record.epoch),
        quantities: withQuantities(state.quantities, [...Object.keys(event.train), ...Object.keys(event.validation)]),
      };
    case 'probes':
      return {
        ...state,
        snapshots: upsertBy(state.snapshots, { epoch: event.epoch, probes: event.probes }, (s) => s.epoch),
      };
    case 'gates':
      return { ...state, gates: upsertBy(state.gates, event, (e) => e.epoch) };
    case 'gradients':
      return { ...state, gradients: upsertBy(state.gradients, event, (e) => e.epoch) };
    case 'representation':
      return {
        ...state,
        representations: upsertBy(state.representations, event, (e) => e.epoch),
        representationSample: event.sample ?? state.representationSample,
      };
    case 'inspection':
      return { ...state, inspections: [...state.inspections.filter((i) => i.id !== event.id), event] };
    case 'forecast':
      return { ...state, forecasts: upsertBy(state.forecasts, event, (e) => e.epoch), forecastRange: event.range ?? state.forecastRange };
    case 'classification':
      return { ...state, classifications: upsertBy(state.classifications, event, (e) => e.epoch) };
    case 'textSample':
      return { ...state, textSamples: upsertBy(state.textSamples, event, (e) => e.epoch) };
    case 'generation': {
      // A streamed generation grows in place; a late partial never replaces the complete text.
      const index = state.generations.findIndex((g) => g.id === event.id);
      if (index === -1) return { ...state, generations: [...state.generations, event] };
      if (state.generations[index].complete && !event.complete) return state;
      return { ...state, generations: state.generations.map((g, i) => (i === index ? event : g)) };
    }
    case 'done':
      return {
        ...state,
        status: event.status,
        stopReason: event.reason,
        finalMetrics: event.finalMetrics,
        durationMs: event.durationMs,
      };
    case 'error':
      return { ...state, status: 'failed', error: { kind: event.kind, message: event.message, detail: event.detail } };
  }
}

/**
 * Folds `events` into `state` as `events.reduce(reduce, state)` does, with one new state per run of
 * batch events rather than one per batch: a live run's batches arrive by the thousand.
 */
export function reduceAll(state: RunState, events: readonly RunEvent[]): RunState {
  let current = state;
  for (let i = 0; i < events.length; ) {
    const run: BatchEvent[] = [];
    for (let event = events[i]; event?.type === 'batch'; event = events[++i]) run.push(event);
    if (run.length > 0) current = withBatches(current, run);
    else current = reduce(current, events[i++]);
  }
  return current;
}

/** The state with `events` (batch events, in order) appended. */
function withBatches(state: RunState, events: readonly BatchEvent[]): RunState {
  let { batches, quantities } = state;
  for (const event of events) {
    const values: Metrics = { loss: event.loss, ...event.metrics };
    // Gradient norms ride in the batch columns but are not charted as a quantity (their own view draws them).
    if (event.gradNorm !== undefined) values[GRAD_NORM] = event.gradNorm;
    if (event.clippedGradNorm !== undefined) values[CLIPPED_GRAD_NORM] = event.clippedGradNorm;
    batches = appendBatch(batches, event.step, event.epoch, event.batch, values);
    quantities = withQuantities(quantities, ['loss', ...Object.keys(event.metrics)]);
  }
  const last = events[events.length - 1];
  return {
    ...state,
    batches,
    quantities,
    samplesPerSec: last.samplesPerSec,
    position: { epoch: last.epoch, batch: last.batch, step: last.step },
  };
}

function appendBatch(columns: BatchColumns, step: number, epoch: number, batch: number, values: Metrics): BatchColumns {
  const { length } = columns;
  // Another state already appended past our length (a replay from an older state): fork the columns.
  const owned = columns.step.length === length ? columns : copyColumns(columns);
  (owned.step as number[]).push(step);
  (owned.epoch as number[]).push(epoch);
  (owned.batch as number[]).push(batch);
  let columnValues = owned.values as Record<string, number[]>;
  for (const name of Object.keys(values)) {
    if (columnValues[name]) continue;
    // A metric first seen mid-run gets NaN for the batches before it.
    columnValues = { ...columnValues, [name]: new Array<number>(length).fill(Number.NaN) };
  }
  for (const name in columnValues) columnValues[name].push(values[name] ?? Number.NaN);
  return { length: length + 1, step: owned.step, epoch: owned.epoch, batch: owned.batch, values: columnValues };
}

function copyColumns(columns: BatchColumns): BatchColumns {
  const n = columns.length;
  const values: Record<string, number[]> = {};
  for (const [name, column] of Object.entries(columns.values)) values[name] = column.slice(0, n);
  return {
    length: n,
    step: columns.step.slice(0, n),
    epoch: columns.epoch.slice(0, n),
    batch: columns.batch.slice(0, n),
    values,
  };
}

function withQuantities(known: readonly string[], names: readonly string[]): readonly string[] {
  // Every batch event comes through here: nothing to allocate when all its names are known.
  if (names.every((name) => known.includes(name))) return known;
  const fresh = [...new Set(names)].filter((name) => !known.includes(name));
  if (fresh.length === 0) return known;
  return [...known, ...fresh].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
}

function epochRecord(event: EpochEvent): EpochRecord {
  return { epoch: event.epoch, train: event.train, validation: event.validation, durationMs: event.durationMs };
}

/** Inserts or replaces the item with the same key, keeping the list sorted by key. */
function upsertBy<T>(items: readonly T[], item: T, key: (item: T) => number): readonly T[] {
  const k = key(item);
  const rest = items.filter((existing) => key(existing) !== k);
  return [...rest, item].sort((a, b) => key(a) - key(b));
}

/** Reads the first `length` entries of a column (the ones this state owns). */
export function columnOf(columns: BatchColumns, name: string): readonly number[] {
  const column = columns.values[name];
  return column ? column.slice(0, columns.length) : [];
}

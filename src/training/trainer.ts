/**
 * The training loop. It is our own rather than `model.fit` because tfjs optimizers cannot clip
 * gradients (Keras `clipnorm`), and a loop we own checks for NaN, honours stop requests and
 * measures throughput after every batch without fighting fit's callbacks.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, seededRandom, shuffleInPlace } from '../data/random';
import type { PreparedData, Split } from '../data/types';
import { buildModel, modelSummary } from '../model/build';
import { createObjective, type Objective } from '../model/objective';
import { clipByNorm } from '../model/optimizer';
import { createInspector, type InspectionEvents } from '../inspect/inspector';
import type { BatchEvent, EpochEvent, Metrics, ModelEvent, ViewOptions } from '../protocol';
import type { EarlyStoppingSpec, ModelSpec } from '../language/types';
import { NumericError } from './errors';

export interface TrainerContext {
  spec: ModelSpec;
  data: PreparedData;
  epochs: number;
  emit(event: BatchEvent | EpochEvent | InspectionEvents | ModelEvent): void;
  /** Checked after every batch; training stops within one batch of it turning true. */
  shouldStop(): boolean;
  maxProbes?: number;
  /** Gates, gradient flow and norms, representation map (src/inspect); on unless `enabled: false`. */
  views?: ViewOptions;
}

export interface TrainerResult {
  status: 'completed' | 'stopped';
  /** Train metrics plus validation metrics prefixed `val_` (Keras history names). */
  finalMetrics: Metrics;
  model: tf.LayersModel;
  reason?: string;
}

/** Inference needs no activations for a backward pass: bigger batches cost less per-kernel overhead. */
const MIN_EVAL_BATCH = 256;

export async function train(ctx: TrainerContext): Promise<TrainerResult> {
  const { spec, data } = ctx;
  const model = buildModel(spec, data);
  ctx.emit({ type: 'model', summary: modelSummary(model) });
  const objective = createObjective(spec.train.loss, spec.train.metrics);
  const inspector = createInspector(model, spec, data, { maxProbes: ctx.maxProbes, views: ctx.views, epochs: ctx.epochs });
  const emitViews = (epoch: number, last = false): void => inspector.snapshot(epoch, last).forEach((event) => ctx.emit(event));
  const gradNorms = ctx.views?.enabled !== false;
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const batchSize = spec.train.batch_size;
  const batchesPerEpoch = Math.ceil(data.train.count / batchSize);
  const earlyStopping = spec.train.early_stopping && new EarlyStopping(spec.train.early_stopping);
  const random = seededRandom(deriveSeed(spec.data.seed, 'shuffle'));

  let finalMetrics: Metrics = {};
  let step = 0;
  try {
    emitViews(-1);
    for (let epoch = 0; epoch < ctx.epochs; epoch++) {
      const epochStart = performance.now();
      const running = new WeightedMeans();
      const order = spec.train.shuffle ? shuffleInPlace(identity(data.train.count), random) : identity(data.train.count);
      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        const batchStart = performance.now();
        const rows = order.subarray(batch * batchSize, (batch + 1) * batchSize);
        const { values, norms } = trainStep(model, objective, variables, data.train, rows, spec.train.clipnorm, gradNorms);
        if (!Number.isFinite(values.loss)) throw new NumericError({ epoch, batch, loss: values.loss }, spec);
        running.add(values, rows.length);
        const { loss, ...metrics } = values;
        const seconds = (performance.now() - batchStart) / 1000;
        ctx.emit({ type: 'batch', epoch, batch, step: step++, loss, metrics, samplesPerSec: rows.length / seconds, ...norms });
        await yieldToEventLoop(); // lets a stop message from the parent arrive
        if (ctx.shouldStop()) {
          return { status: 'stopped', finalMetrics: { ...finalMetrics, ...running.means() }, model, reason: 'Stopped on request.' };
        }
      }
      const trainMetrics = running.means();
      const validation = data.validation.count > 0 ? evaluate(model, objective, data.validation, Math.max(batchSize, MIN_EVAL_BATCH)) : {};
      ctx.emit({
        type: 'epoch',
        epoch,
        train: trainMetrics,
        validation,
        durationMs: performance.now() - epochStart,
        liveTensors: tf.memory().numTensors,
      });
      finalMetrics = { ...trainMetrics, ...prefixKeys(validation, 'val_') };
      const reason = earlyStopping?.update(epoch, finalMetrics);
      emitViews(epoch, reason !== undefined || epoch === ctx.epochs - 1);
      if (reason) return { status: 'completed', finalMetrics, model, reason };
    }
    return { status: 'completed', finalMetrics, model };
  } finally {
    inspector.dispose();
    model.optimizer.dispose(); // its slot variables (Adam's moments) outlive the run otherwise
  }
}

type StepValues = { loss: number } & Metrics;

type GradNorms = Pick<BatchEvent, 'gradNorm' | 'clippedGradNorm'>;

/**
 * One optimiser step on the given rows; returns the batch's loss and metrics, and with `withNorms`
 * the global gradient norm before and after clipping (read in the same sync as the loss).
 */
function trainStep(
  model: tf.LayersModel,
  objective: Objective,
  variables: tf.Variable[],
  split: Split,
  rows: Int32Array,
  clipnorm: number | undefined,
  withNorms: boolean,
): { values: StepValues; norms: GradNorms } {
  const summary = tf.tidy(() => {
    const { x, y } = batchTensors(split, rows);
    let prediction: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      prediction = tf.keep(model.apply(x, { training: true }) as tf.Tensor);
      return tf.mean(objective.loss(y, prediction));
    }, variables);
    const applied = clipnorm === undefined ? grads : clipByNorm(grads, clipnorm);
    model.optimizer.applyGradients(applied);
    const predicted = prediction as tf.Tensor;
    const metrics = objective.metrics.map(({ fn }) => tf.mean(fn(y, predicted)));
    predicted.dispose(); // kept out of the gradient scope, so tidy will not free it
    const norms = withNorms ? [globalNorm(grads), ...(clipnorm === undefined ? [] : [globalNorm(applied)])] : [];
    return tf.stack([value, ...metrics, ...norms]);
  });
  const values = summary.dataSync();
  summary.dispose();
  const count = 1 + objective.metrics.length;
  const norms: GradNorms = withNorms ? { gradNorm: values[count], ...(clipnorm === undefined ? {} : { clippedGradNorm: values[count + 1] }) } : {};
  return { values: namedValues(objective, values), norms };
}

/** sqrt of the sum of every gradient's squared L2 norm. */
function globalNorm(grads: tf.NamedTensorMap): tf.Tensor {
  return tf.sqrt(tf.addN(Object.values(grads).map((grad) => tf.sum(tf.square(grad)))));
}

/** Loss and metrics over a whole split, in inference mode (no dropout). */
function evaluate(model: tf.LayersModel, objective: Objective, split: Split, batchSize: number): Metrics {
  const means = new WeightedMeans();
  for (let start = 0; start < split.count; start += batchSize) {
    const rows = identity(Math.min(batchSize, split.count - start)).map((i) => i + start);
    const summary = tf.tidy(() => {
      const { x, y } = batchTensors(split, rows);
      const prediction = model.apply(x) as tf.Tensor;
      return tf.stack([objective.loss, ...objective.metrics.map((m) => m.fn)].map((fn) => tf.mean(fn(y, prediction))));
    });
    means.add(namedValues(objective, summary.dataSync()), rows.length);
    summary.dispose();
  }
  return means.means();
}

function namedValues(objective: Objective, values: ArrayLike<number>): StepValues {
  const named: StepValues = { loss: values[0] };
  objective.metrics.forEach(({ name }, i) => (named[name] = values[i + 1]));
  return named;
}

/** The given rows of a split as tensors: x keeps its dtype, y is float32 (losses expect floats). */
function batchTensors(split: Split, rows: Int32Array): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.tensor(gatherRows(split.x, split.xShape, rows), [rows.length, ...split.xShape.slice(1)], split.x instanceof Int32Array ? 'int32' : 'float32'),
    y: tf.tensor(Float32Array.from(gatherRows(split.y, split.yShape, rows)), [rows.length, ...split.yShape.slice(1)], 'float32'),
  };
}

function gatherRows<T extends Int32Array | Float32Array>(values: T, shape: number[], rows: Int32Array): T {
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new (values.constructor as new (length: number) => T)(rows.length * rowSize);
  rows.forEach((row, i) => out.set(values.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return out;
}

function prefixKeys(metrics: Metrics, prefix: string): Metrics {
  return Object.fromEntries(Object.entries(metrics).map(([key, value]) => [prefix + key, value]));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Means weighted by batch size, as Keras reports epoch metrics. */
class WeightedMeans {
  private readonly sums = new Map<string, number>();
  private count = 0;

  add(values: Metrics, weight: number): void {
    for (const [key, value] of Object.entries(values)) this.sums.set(key, (this.sums.get(key) ?? 0) + value * weight);
    this.count += weight;
  }

  means(): Metrics {
    return Object.fromEntries([...this.sums].map(([key, sum]) => [key, sum / this.count]));
  }
}

/**
 * Keras `EarlyStopping` semantics: `monitor` improves when it beats the best value by more than
 * `min_delta` (downwards, or upwards for accuracies); after `patience` epochs without improvement
 * training ends.
 */
class EarlyStopping {
  private best: number | undefined;
  private wait = 0;
  private readonly higherIsBetter: boolean;

  constructor(private readonly spec: EarlyStoppingSpec) {
    this.higherIsBetter = spec.monitor.includes('acc');
  }

  /** Returns why training should stop now, or undefined to continue. */
  update(epoch: number, metrics: Metrics): string | undefined {
    const current = metrics[this.spec.monitor];
    if (current === undefined) return undefined;
    const delta = Math.abs(this.spec.min_delta);
    const improved =
      this.best === undefined || (this.higherIsBetter ? current - delta > this.best : current + delta < this.best);
    if (improved) {
      this.best = current;
      this.wait = 0;
      return undefined;
    }
    this.wait++;
    if (this.wait < this.spec.patience) return undefined;
    return `Early stopping after epoch ${epoch + 1}: ${this.spec.monitor} did not improve by more than ${delta} for ${this.wait} epoch(s) (best ${this.best}).`;
  }
}

function identity(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}

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
import { createForwardPass, type ForwardPass } from '../model/outputHead';
import { createInspector, type InspectionEvents, type Inspector } from '../inspect/inspector';
import type { BaselinesEvent, BatchEvent, EpochEvent, Metrics, ModelEvent, ViewOptions } from '../protocol';
import type { ModelSpec } from '../language/types';
import { computeBaselines, naiveForecasts } from './baselines';
import { classWeights } from './classWeights';
import { EarlyStopping } from './earlyStopping';
import { NumericError, SettingsError } from './errors';
import type { PredictionCollector } from './predictionCollector';
import { createSplitMetrics, type SplitMetrics } from './splitMetrics';
import { createTaskViews, type TaskViewEvent } from './taskViews';

export interface TrainerContext {
  spec: ModelSpec;
  data: PreparedData;
  epochs: number;
  emit(event: BatchEvent | EpochEvent | InspectionEvents | ModelEvent | BaselinesEvent | TaskViewEvent): void;
  /** Checked after every batch; training stops within one batch of it turning true. */
  shouldStop(): boolean;
  maxProbes?: number;
  /** Gates, gradient flow and norms, representation map (src/inspect); on unless `enabled: false`. */
  views?: ViewOptions;
  /** Receives, once the model exists, what answers probes typed during training (latest epoch's weights). */
  attachProbe?(probe: Inspector['probe']): void;
}

export interface TrainerResult {
  status: 'completed' | 'stopped';
  /**
   * Train metrics plus validation metrics prefixed `val_` (Keras history names): the last epoch's,
   * or the best epoch's when early stopping restored its weights.
   */
  finalMetrics: Metrics;
  model: tf.LayersModel;
  reason?: string;
}

/** Inference needs no activations for a backward pass: bigger batches cost less per-kernel overhead. */
const MIN_EVAL_BATCH = 256;

/** Everything one batch needs, fixed for the run. */
interface StepSetup {
  forward: ForwardPass;
  objective: Objective;
  splitMetrics: SplitMetrics | undefined;
  /** `[classes]` weights of the training loss (Keras `class_weight`), or none. */
  classWeights: tf.Tensor1D | undefined;
  /** Report the global gradient norm (before and after clipping) with each batch. */
  gradNorms: boolean;
}

/**
 * Trains the spec's model on the prepared data, emitting model, baselines, batch, epoch and
 * inspection events. Throws a SettingsError (before building anything) when the spec cannot train on this
 * data, and a NumericError when the loss stops being finite.
 */
export async function train(ctx: TrainerContext): Promise<TrainerResult> {
  const { spec, data } = ctx;
  const objective = createObjective(spec.train.loss, spec.train.metrics);
  const splitMetrics = createSplitMetrics({ task: spec.data.task, metrics: spec.train.metrics, classes: data.classes, targetScale: data.preprocessing.normalization?.target?.scale });
  checkMonitorAppears(spec, data, [...objective.metrics.map((metric) => metric.name), ...(splitMetrics?.names ?? [])]);
  const weights = classWeights(spec.train.class_weight, spec.data.task, data);
  const model = buildModel(spec, data);
  ctx.emit({ type: 'model', summary: modelSummary(model) });
  const { baselines, notes } = computeBaselines(spec, data);
  ctx.emit({ type: 'baselines', baselines, ...(notes.length > 0 ? { notes } : {}) });
  const setup: StepSetup = {
    forward: createForwardPass(model),
    objective,
    splitMetrics,
    classWeights: weights && tf.tensor1d(weights),
    gradNorms: ctx.views?.enabled !== false,
  };
  const taskViews = createTaskViews(spec, data, spec.data.task === 'forecast' ? naiveForecasts(spec, data).rules : []);
  const inspector = createInspector(model, spec, data, { maxProbes: ctx.maxProbes, views: ctx.views, epochs: ctx.epochs });
  const emitViews = (epoch: number, last = false): void => inspector.snapshot(epoch, last).forEach((event) => ctx.emit(event));
  ctx.attachProbe?.((id, raw) => inspector.probe(id, raw));
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const batchSize = spec.train.batch_size;
  const batchesPerEpoch = Math.ceil(data.train.count / batchSize);
  const earlyStopping = spec.train.early_stopping && new EarlyStopping(spec.train.early_stopping);
  const random = seededRandom(deriveSeed(spec.data.seed, 'shuffle'));

  let finalMetrics: Metrics = {};
  let step = 0;
  /** The run's result, with the best epoch's weights and metrics when early stopping keeps them. */
  const finish = (status: TrainerResult['status'], metrics: Metrics, reason?: string): TrainerResult => {
    const best = earlyStopping?.restoreBest(model);
    if (!best) return { status, finalMetrics: metrics, model, ...(reason ? { reason } : {}) };
    const restored = `Restored the weights of epoch ${best.epoch + 1} (${earlyStopping!.describeBest()}).`;
    return { status, finalMetrics: best.metrics, model, reason: reason ? `${reason} ${restored}` : restored };
  };
  try {
    emitViews(-1);
    for (let epoch = 0; epoch < ctx.epochs; epoch++) {
      const epochStart = performance.now();
      const running = new WeightedMeans();
      const wholeEpoch = splitMetrics?.start();
      const order = spec.train.shuffle ? shuffleInPlace(identity(data.train.count), random) : identity(data.train.count);
      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        const batchStart = performance.now();
        const rows = order.subarray(batch * batchSize, (batch + 1) * batchSize);
        const { values, targets, reduced, norms } = trainStep(model, setup, variables, data.train, rows, spec.train.clipnorm);
        if (!Number.isFinite(values.loss)) {
          throw new NumericError({ epoch, batch, loss: values.loss, ...targetMagnitude(spec, data) }, spec);
        }
        running.add(values, rows.length);
        if (reduced) wholeEpoch?.add(targets, reduced);
        const { loss, ...metrics } = values;
        const seconds = (performance.now() - batchStart) / 1000;
        ctx.emit({ type: 'batch', epoch, batch, step: step++, loss, metrics, samplesPerSec: rows.length / seconds, ...norms });
        await yieldToEventLoop(); // lets a stop message from the parent arrive
        if (ctx.shouldStop()) {
          return finish('stopped', { ...finalMetrics, ...running.means(), ...wholeEpoch?.values() }, 'Stopped on request.');
        }
      }
      const trainMetrics = { ...running.means(), ...wholeEpoch?.values() };
      const validation = data.validation.count > 0 ? evaluate(setup, data.validation, Math.max(batchSize, MIN_EVAL_BATCH), taskViews.collector) : {};
      ctx.emit({
        type: 'epoch',
        epoch,
        train: trainMetrics,
        validation,
        durationMs: performance.now() - epochStart,
        liveTensors: tf.memory().numTensors,
      });
      finalMetrics = { ...trainMetrics, ...prefixKeys(validation, 'val_') };
      const reason = earlyStopping?.update(epoch, finalMetrics, model);
      emitViews(epoch, reason !== undefined || epoch === ctx.epochs - 1);
      taskViews.snapshot(model, epoch).forEach((event) => ctx.emit(event));
      if (reason) return finish('completed', finalMetrics, reason);
    }
    return finish('completed', finalMetrics);
  } finally {
    earlyStopping?.dispose();
    setup.classWeights?.dispose();
    inspector.dispose();
    model.optimizer.dispose(); // its slot variables (Adam's moments) outlive the run otherwise
  }
}

/**
 * Early stopping on a quantity the run never reports would never fire: refuse it before training
 * (e.g. `val_loss` when the validation split rounded to zero examples).
 */
function checkMonitorAppears(spec: ModelSpec, data: PreparedData, metricNames: readonly string[]): void {
  const monitor = spec.train.early_stopping?.monitor;
  if (monitor === undefined) return;
  const reported = ['loss', ...metricNames];
  const validated = data.validation.count > 0 ? reported.map((name) => `val_${name}`) : [];
  if ([...reported, ...validated].includes(monitor)) return;
  if (monitor.startsWith('val_') && data.validation.count === 0 && reported.includes(monitor.slice(4))) {
    throw new SettingsError(
      `\`train.early_stopping.monitor\` is \`${monitor}\`, but there are no validation examples (${describeValidation(spec, data)}), so it would never be computed and early stopping would never fire: raise \`data.validation\` (e.g. 0.2) or monitor \`${monitor.slice(4)}\`.`,
    );
  }
  throw new SettingsError(
    `\`train.early_stopping.monitor\` is \`${monitor}\`, which this run never reports (it reports ${[...reported, ...validated].map((name) => `\`${name}\``).join(', ')}): monitor one of those.`,
  );
}

function describeValidation(spec: ModelSpec, data: PreparedData): string {
  const { validation } = spec.data;
  return 'split' in validation
    ? `a validation split of ${validation.split} of ${data.train.count + data.validation.count} examples rounds to none`
    : `\`${validation.source}\` gave none`;
}

/** Regression and forecast only: the largest |target| the loss sees, for the divergence message. */
function targetMagnitude(spec: ModelSpec, data: PreparedData): { targetMagnitude?: number } {
  if (spec.data.task !== 'regression' && spec.data.task !== 'forecast') return {};
  let largest = 0;
  for (const value of data.train.y) largest = Math.max(largest, Math.abs(value));
  return { targetMagnitude: largest };
}

type StepValues = { loss: number } & Metrics;

type GradNorms = Pick<BatchEvent, 'gradNorm' | 'clippedGradNorm'>;

interface BatchResult {
  values: StepValues;
  /** The global gradient norm before and after clipping, when the setup asks for it. */
  norms: GradNorms;
  /** The batch's rows of `split.y`. */
  targets: Int32Array | Float32Array;
  /** What the split-level metrics keep of the prediction. */
  reduced?: Float32Array;
}

/**
 * One optimiser step on the given rows; returns the batch's loss and metrics, and the global
 * gradient norm before and after clipping (read in the same sync as the loss).
 */
function trainStep(model: tf.LayersModel, setup: StepSetup, variables: tf.Variable[], split: Split, rows: Int32Array, clipnorm: number | undefined): BatchResult {
  const { forward, objective, splitMetrics, classWeights: weights, gradNorms } = setup;
  const targets = gatherRows(split.y, split.yShape, rows);
  const { summary, reduced } = tf.tidy(() => {
    const { x, y } = batchTensors(split, rows, targets);
    let prediction: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const output = forward(x, true);
      prediction = tf.keep(output.prediction);
      const perExample = objective.loss(y, output);
      return tf.mean(weights ? tf.mul(perExample, exampleWeights(y, weights, perExample.shape)) : perExample);
    }, variables);
    const applied = clipnorm === undefined ? grads : clipByNorm(grads, clipnorm);
    model.optimizer.applyGradients(applied);
    const predicted = prediction as tf.Tensor;
    const metrics = objective.metrics.map(({ fn }) => tf.mean(fn(y, predicted)));
    const kept = splitMetrics?.reduce(predicted);
    predicted.dispose(); // kept out of the gradient scope, so tidy will not free it
    const norms = gradNorms ? [globalNorm(grads), ...(clipnorm === undefined ? [] : [globalNorm(applied)])] : [];
    return { summary: tf.stack([value, ...metrics, ...norms]), ...(kept ? { reduced: kept } : {}) };
  });
  const values = download(summary);
  const count = 1 + objective.metrics.length;
  const norms: GradNorms = gradNorms ? { gradNorm: values[count], ...(clipnorm === undefined ? {} : { clippedGradNorm: values[count + 1] }) } : {};
  return { values: namedValues(objective, values), norms, targets, ...(reduced ? { reduced: download(reduced) } : {}) };
}

/** sqrt of the sum of every gradient's squared L2 norm. */
function globalNorm(grads: tf.NamedTensorMap): tf.Tensor {
  return tf.sqrt(tf.addN(Object.values(grads).map((grad) => tf.sum(tf.square(grad)))));
}

/** Each example's class weight, shaped like its loss (`[batch]`). */
function exampleWeights(y: tf.Tensor, weights: tf.Tensor1D, shape: number[]): tf.Tensor {
  return tf.reshape(tf.gather(weights, tf.reshape(tf.cast(y, 'int32'), [-1])), shape);
}

/**
 * Loss and metrics over a whole split, in inference mode (no dropout, no class weights). The task
 * views' `collector` sees each batch's prediction on the way (no second pass over the data).
 */
function evaluate({ forward, objective, splitMetrics }: StepSetup, split: Split, batchSize: number, collector?: PredictionCollector): Metrics {
  const means = new WeightedMeans();
  const whole = splitMetrics?.start();
  for (let start = 0; start < split.count; start += batchSize) {
    const rows = identity(Math.min(batchSize, split.count - start)).map((i) => i + start);
    const targets = gatherRows(split.y, split.yShape, rows);
    const { summary, reduced, observed } = tf.tidy(() => {
      const { x, y } = batchTensors(split, rows, targets);
      const output = forward(x, false);
      const values = [tf.mean(objective.loss(y, output)), ...objective.metrics.map((m) => tf.mean(m.fn(y, output.prediction)))];
      const kept = splitMetrics?.reduce(output.prediction);
      const seen = collector?.reduce(output.prediction);
      return { summary: tf.stack(values), ...(kept ? { reduced: kept } : {}), ...(seen ? { observed: seen } : {}) };
    });
    means.add(namedValues(objective, download(summary)), rows.length);
    if (reduced) whole?.add(targets, download(reduced));
    if (observed) collector?.add(start, rows.length, download(observed));
  }
  return { ...means.means(), ...whole?.values() };
}

/** A tensor's values, disposing it. */
function download(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

function namedValues(objective: Objective, values: ArrayLike<number>): StepValues {
  const named: StepValues = { loss: values[0] };
  objective.metrics.forEach(({ name }, i) => (named[name] = values[i + 1]));
  return named;
}

/** The given rows of a split as tensors: x keeps its dtype, y is float32 (losses expect floats). */
function batchTensors(split: Split, rows: Int32Array, targets: Int32Array | Float32Array): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.tensor(gatherRows(split.x, split.xShape, rows), [rows.length, ...split.xShape.slice(1)], split.x instanceof Int32Array ? 'int32' : 'float32'),
    y: tf.tensor(Float32Array.from(targets), [rows.length, ...split.yShape.slice(1)], 'float32'),
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

function identity(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}

/**
 * Turns a pipeline's arrays into the PreparedData handed to the trainer: statistics, a stable hash,
 * and probe encoding (literal texts and validation examples, with the token under each timestep).
 * Literal texts go through the encoder rebuilt from the preprocessing state, the same code that
 * applies a saved model to new input.
 */
import { createHash } from 'node:crypto';
import type { DataSpec, Task } from '../language/types';
import type { ClassCount, DataStats } from '../protocol';
import { dominantClassWarning } from './dataChecks';
import { createEncoder, type Encoder, type PreprocessingState } from './preprocessing';
import { PADDING_ID } from './tokenizer';
import { DataError, type EncodedProbe, type PreparedData, type Split, type Vocabulary } from './types';

/**
 * What every pipeline (text, series, corpus, generated values) produces: the prepared data before
 * its stats, hash and probe encoders are added, plus any statistics only the pipeline knows.
 */
export type PipelineResult = Omit<PreparedData, 'stats' | 'hash' | 'encodeText' | 'validationExample'> & {
  stats?: Partial<DataStats>;
};

export function assemblePreparedData(result: PipelineResult, data: DataSpec, loadMs: number): PreparedData {
  const { train, validation, inputKind, timesteps, features, vocabulary, classes, classNames, preprocessing, forecastSteps } = result;
  const encoder = createEncoder(preprocessing);
  const classCounts = countClasses(result);
  const dominant = classCounts && dominantClassWarning(classCounts);
  const warnings = [...(result.stats?.warnings ?? []), ...(dominant ? [dominant] : [])];
  return {
    train,
    validation,
    inputKind,
    timesteps,
    features,
    ...(vocabulary ? { vocabulary } : {}),
    ...(classes !== undefined ? { classes } : {}),
    ...(classNames ? { classNames } : {}),
    ...(forecastSteps ? { forecastSteps } : {}),
    preprocessing,
    stats: {
      source: data.source,
      task: data.task,
      trainSamples: train.count,
      validationSamples: validation.count,
      timesteps,
      ...(inputKind === 'values' ? { features } : {}),
      ...(vocabulary ? { vocabSize: vocabulary.tokens.length } : {}),
      ...(classes !== undefined ? { classes } : {}),
      ...(classCounts ? { classCounts } : {}),
      ...targetScale(preprocessing),
      ...result.stats,
      ...(warnings.length > 0 ? { warnings } : {}),
      loadMs,
    },
    hash: hashData(result),
    encodeText: (text) => encodeText(encoder, text),
    validationExample: (index) => validationExample(result, encoder, index, data.task),
  };
}

/** Forecast and regression: the target's statistics, so readers can tell normalised figures apart. */
function targetScale({ normalization }: PreprocessingState): Pick<DataStats, 'targetScale'> {
  const target = normalization?.target;
  return target ? { targetScale: { method: target.method, offset: target.offset, scale: target.scale } } : {};
}

function encodeText(encoder: Encoder, text: string): EncodedProbe {
  if (encoder.state.inputKind !== 'tokens') {
    throw new DataError('a probe with `text` needs text data; this dataset is numeric. Use `{index: n}` probes (validation examples) instead.');
  }
  const { x, shape, tokens } = encoder.encodeText(text);
  return { label: text, x, xShape: shape, tokens };
}

/** binary / multiclass: examples per class id in each split, with the label each id stands for. */
function countClasses({ train, validation, preprocessing }: PipelineResult): ClassCount[] | undefined {
  const names = preprocessing.classes?.names;
  if (!names) return undefined;
  const count = (split: Split) => {
    const counts = new Array<number>(names.length).fill(0);
    for (const id of split.y) counts[id] = (counts[id] ?? 0) + 1;
    return counts;
  };
  const trainCounts = count(train);
  const validationCounts = count(validation);
  return names.map((label, id) => ({ label, id, train: trainCounts[id]!, validation: validationCounts[id]! }));
}

function validationExample(result: PipelineResult, encoder: Encoder, index: number, task: Task): EncodedProbe {
  const { validation, timesteps, features, vocabulary } = result;
  if (!Number.isInteger(index) || index < 0 || index >= validation.count) {
    throw new DataError(
      `probe index ${index} is outside the validation set, which has ${validation.count} examples. Use an index from 0 to ${validation.count - 1}.`,
    );
  }
  const stepSize = timesteps * (vocabulary ? 1 : features);
  const x = validation.x.slice(index * stepSize, (index + 1) * stepSize);
  const tokens = vocabulary ? tokensOf(x, vocabulary) : stepLabels(x as Float32Array, encoder);
  return {
    label: `validation #${index}${targetDescription(result, encoder, index, task)}`,
    x,
    xShape: vocabulary ? [1, timesteps] : [1, timesteps, features],
    tokens,
  };
}

/** Padding shows as '' so that heatmaps leave those steps unlabelled. */
function tokensOf(ids: ArrayLike<number>, vocabulary: Vocabulary): string[] {
  return Array.from(ids, (id) => (id === PADDING_ID ? '' : (vocabulary.tokens[id] ?? vocabulary.tokens[1])));
}

/** Each step's values in the data's units (normalisation undone). */
function stepLabels(values: Float32Array, encoder: Encoder): string[] {
  const { features, normalization } = encoder.state;
  const labels: string[] = [];
  for (let t = 0; t < values.length; t += features) {
    const step = Array.from(values.subarray(t, t + features), (value, f) => {
      const stats = normalization?.inputs?.[f];
      return stats ? value * stats.scale + stats.offset : value;
    });
    labels.push(step.map(formatNumber).join(','));
  }
  return labels;
}

/** E.g. " (spam)", " (label 1)", " (target 0.42)"; nothing for next-token, whose target is the text itself. */
function targetDescription({ validation, classNames }: PipelineResult, encoder: Encoder, index: number, task: Task): string {
  if (task === 'next-token') return '';
  const perExample = validation.yShape.slice(1).reduce((a, b) => a * b, 1);
  const targets = Array.from(validation.y.subarray(index * perExample, (index + 1) * perExample));
  if (classNames) return ` (${classNames[targets[0]!]})`;
  if (task === 'binary' || task === 'multiclass') return ` (label ${targets[0]})`;
  return ` (target ${encoder.toDataUnits(targets).map(formatNumber).join(', ')})`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function hashData(result: PipelineResult): string {
  const hash = createHash('sha256');
  for (const split of [result.train, result.validation]) {
    hash.update(JSON.stringify([split.xShape, split.yShape]));
    hash.update(new Uint8Array(split.x.buffer, split.x.byteOffset, split.x.byteLength));
    hash.update(new Uint8Array(split.y.buffer, split.y.byteOffset, split.y.byteLength));
  }
  hash.update(JSON.stringify([result.vocabulary?.tokens ?? [], result.classNames ?? []]));
  return hash.digest('hex');
}

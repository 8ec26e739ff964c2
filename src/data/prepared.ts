/**
 * Turns a pipeline's arrays into the PreparedData handed to the trainer: statistics, a stable hash,
 * and probe encoding (literal texts and validation examples, with the token under each timestep).
 */
import { createHash } from 'node:crypto';
import type { ModelSpec, Task } from '../language/types';
import { padOne, type PadOptions } from './padding';
import { PADDING_ID } from './tokenizer';
import { DataError, type EncodedProbe, type PreparedData, type Vocabulary } from './types';

/**
 * What every pipeline (text, series, corpus, generated values) produces: the prepared data before
 * its stats, hash and probe encoders are added.
 */
export type PipelineResult = Omit<PreparedData, 'stats' | 'hash' | 'encodeText' | 'validationExample'> & {
  /** Token input: a literal text's ids before padding, with the training tokenizer. */
  encode?: (text: string) => Int32Array;
  /** Token input: how sequences were padded to `timesteps`. */
  padding?: PadOptions;
};

export function assemblePreparedData(result: PipelineResult, spec: ModelSpec, loadMs: number): PreparedData {
  const { train, validation, inputKind, timesteps, features, vocabulary, classes, classNames, targetNormalization } = result;
  return {
    train,
    validation,
    inputKind,
    timesteps,
    features,
    ...(vocabulary ? { vocabulary } : {}),
    ...(classes !== undefined ? { classes } : {}),
    ...(classNames ? { classNames } : {}),
    ...(targetNormalization ? { targetNormalization } : {}),
    stats: {
      source: spec.data.source,
      task: spec.data.task,
      trainSamples: train.count,
      validationSamples: validation.count,
      timesteps,
      ...(inputKind === 'values' ? { features } : {}),
      ...(vocabulary ? { vocabSize: vocabulary.tokens.length } : {}),
      ...(classes !== undefined ? { classes } : {}),
      ...(targetNormalization ? { targetNormalization } : {}),
      loadMs,
    },
    hash: hashData(result),
    encodeText: (text) => encodeText(result, text),
    validationExample: (index) => validationExample(result, index, spec.data.task),
  };
}

function encodeText(result: PipelineResult, text: string): EncodedProbe {
  const { encode, padding, vocabulary } = result;
  if (!encode || !padding || !vocabulary) {
    throw new DataError('a probe with `text` needs text data; this dataset is numeric. Use `{index: n}` probes (validation examples) instead.');
  }
  const x = padOne(encode(text), padding);
  return { label: text, x, xShape: [1, result.timesteps], tokens: tokensOf(x, vocabulary) };
}

function validationExample(result: PipelineResult, index: number, task: Task): EncodedProbe {
  const { validation, timesteps, features, vocabulary } = result;
  if (!Number.isInteger(index) || index < 0 || index >= validation.count) {
    throw new DataError(
      `probe index ${index} is outside the validation set, which has ${validation.count} examples. Use an index from 0 to ${validation.count - 1}.`,
    );
  }
  const stepSize = timesteps * (vocabulary ? 1 : features);
  const x = validation.x.slice(index * stepSize, (index + 1) * stepSize);
  const tokens = vocabulary ? tokensOf(x, vocabulary) : stepLabels(x as Float32Array, features);
  return {
    label: `validation #${index}${targetDescription(result, index, task)}`,
    x,
    xShape: vocabulary ? [1, timesteps] : [1, timesteps, features],
    tokens,
  };
}

/** Padding shows as '' so that heatmaps leave those steps unlabelled. */
function tokensOf(ids: ArrayLike<number>, vocabulary: Vocabulary): string[] {
  return Array.from(ids, (id) => (id === PADDING_ID ? '' : (vocabulary.tokens[id] ?? vocabulary.tokens[1])));
}

function stepLabels(values: Float32Array, features: number): string[] {
  const labels: string[] = [];
  for (let t = 0; t < values.length; t += features) {
    labels.push(Array.from(values.subarray(t, t + features), (value) => formatNumber(value)).join(','));
  }
  return labels;
}

/** E.g. " (spam)", " (label 1)", " (target 0.42)"; nothing for next-token, whose target is the text itself. */
function targetDescription({ validation, classNames }: PipelineResult, index: number, task: Task): string {
  if (task === 'next-token') return '';
  const perExample = validation.yShape.slice(1).reduce((a, b) => a * b, 1);
  const targets = Array.from(validation.y.subarray(index * perExample, (index + 1) * perExample));
  if (classNames) return ` (${classNames[targets[0]]})`;
  if (task === 'binary' || task === 'multiclass') return ` (label ${targets[0]})`;
  return ` (target ${targets.map(formatNumber).join(', ')})`;
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

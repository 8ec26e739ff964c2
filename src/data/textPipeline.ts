/** Labelled texts -> padded token ids and targets (binary, multiclass or regression). */
import type { DataSpec } from '../language/types';
import { normalizeTargets } from './forecast';
import { encodeLabels, type LabelTask } from './labels';
import { longestLength, padSequences, type PadOptions } from './padding';
import type { PipelineResult } from './prepared';
import { formatOf } from './formats';
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION, type TokenEncoder } from './preprocessing';
import type { TextExamples } from './records';
import { Tokenizer } from './tokenizer';
import { DataError } from './types';

export function prepareTextExamples(
  train: TextExamples,
  validation: TextExamples,
  data: DataSpec,
  fixedTokenizer?: TokenEncoder,
): PipelineResult {
  const task = labelTask(data);
  if (train.examples.length === 0) {
    throw new DataError('no training examples are left after the validation split. Add examples, or lower `data.validation`.', train.file);
  }
  const trainTexts = train.examples.map((example) => example.text);
  const { tokenizer, encoded, html } = fixedTokenizer
    ? { tokenizer: fixedTokenizer, encoded: trainTexts.map((text) => fixedTokenizer.encode(text)), html: { tags: 0, characters: 0 } }
    : Tokenizer.fit(trainTexts, data.tokenizer);
  const validationEncoded = validation.examples.map((example) => tokenizer.encode(example.text));
  const padding: PadOptions = { maxLen: data.max_len ?? Math.max(1, longestLength(encoded)), padding: data.padding, truncating: data.truncating };
  const encodedLabels = encodeLabels(task, train, validation, data.num_classes);
  const targets = task === 'regression' ? normalizeTargets(encodedLabels.train as Float32Array, encodedLabels.validation as Float32Array, data.normalize_target) : undefined;
  const labels = targets ? { ...encodedLabels, train: targets.train, validation: targets.validation } : encodedLabels;
  const split = (sequences: Int32Array[], y: Float32Array | Int32Array) => ({
    x: padSequences(sequences, padding),
    xShape: [sequences.length, padding.maxLen],
    y,
    yShape: [sequences.length, ...labels.shape],
    count: sequences.length,
  });
  const totalCharacters = trainTexts.reduce((sum, text) => sum + text.length, 0);
  return {
    train: split(encoded, labels.train),
    validation: split(validationEncoded, labels.validation),
    inputKind: 'tokens',
    timesteps: padding.maxLen,
    features: 1,
    vocabulary: tokenizer.vocabulary,
    ...(labels.classes !== undefined ? { classes: labels.classes } : {}),
    ...(labels.classNames ? { classNames: labels.classNames } : {}),
    preprocessing: {
      format: PREPROCESSING_FORMAT,
      version: PREPROCESSING_VERSION,
      task,
      inputKind: 'tokens',
      timesteps: padding.maxLen,
      features: 1,
      tokenizer: tokenizer.toState(),
      padding: { max_len: padding.maxLen, padding: padding.padding, truncating: padding.truncating },
      ...(task !== 'regression' ? { classes: { names: labels.classNames ?? Array.from({ length: labels.classCount }, (_, id) => String(id)) } } : {}),
      ...(targets?.stats ? { normalization: { target: { ...targets.stats, column: data.columns.label } } } : {}),
    },
    stats: {
      ...(html.tags > 0 ? { htmlRemoved: { ...html, fraction: html.characters / Math.max(1, totalCharacters) } } : {}),
      ...(trainTexts.every(isNumbers) ? { warnings: [numericTextWarning(train, data)] } : {}),
      ...(targets?.stats ? { targetScale: targets.stats } : {}),
    },
  };
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?`;
const ONLY_NUMBERS = new RegExp(`^\\s*${NUMBER}(?:\\s*[,; ]\\s*${NUMBER})*\\s*$`, 'i');

function isNumbers(text: string): boolean {
  return ONLY_NUMBERS.test(text);
}

/** Numbers tokenized as words lose their magnitude: say so, and what numeric input is supported. */
function numericTextWarning(train: TextExamples, data: DataSpec): string {
  const where = formatOf(train.file) === 'txt' ? 'Every text' : `The text column "${data.columns.text}"`;
  return (
    `${where} holds only numbers, so each distinct number becomes a word token and its magnitude is lost. ` +
    'For numeric input use `task: forecast` with `data.columns.value` (one column, or a list of columns for several features per step); ' +
    'classifying windows of numeric columns is not supported.'
  );
}

function labelTask(data: DataSpec): LabelTask {
  if (data.task === 'binary' || data.task === 'multiclass' || data.task === 'regression') return data.task;
  throw new DataError(`labelled text examples cannot be used for task \`${data.task}\`. Use binary, multiclass or regression.`);
}

/** Labelled texts -> padded token ids and targets (binary, multiclass or regression). */
import type { DataSpec } from '../language/types';
import { encodeLabels, type LabelTask } from './labels';
import { longestLength, padSequences, type PadOptions } from './padding';
import type { PipelineResult } from './prepared';
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION } from './preprocessing';
import type { TextExamples } from './records';
import { Tokenizer, type FittedTokenizer } from './tokenizer';
import { DataError } from './types';

export function prepareTextExamples(
  train: TextExamples,
  validation: TextExamples,
  data: DataSpec,
  fixedTokenizer?: Tokenizer,
): PipelineResult {
  const task = labelTask(data);
  if (train.examples.length === 0) {
    throw new DataError('no training examples are left after the validation split. Add examples, or lower `data.validation`.', train.file);
  }
  const trainTexts = train.examples.map((example) => example.text);
  const { tokenizer, encoded, html }: FittedTokenizer = fixedTokenizer
    ? { tokenizer: fixedTokenizer, encoded: trainTexts.map((text) => fixedTokenizer.encode(text)), html: { tags: 0, characters: 0 } }
    : Tokenizer.fit(trainTexts, data.tokenizer);
  const validationEncoded = validation.examples.map((example) => tokenizer.encode(example.text));
  const padding: PadOptions = { maxLen: data.max_len ?? Math.max(1, longestLength(encoded)), padding: data.padding, truncating: data.truncating };
  const labels = encodeLabels(task, train, validation, data.num_classes);
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
    },
    ...(html.tags > 0 ? { stats: { htmlRemoved: { ...html, fraction: html.characters / Math.max(1, totalCharacters) } } } : {}),
  };
}

function labelTask(data: DataSpec): LabelTask {
  if (data.task === 'binary' || data.task === 'multiclass' || data.task === 'regression') return data.task;
  throw new DataError(`labelled text examples cannot be used for task \`${data.task}\`. Use binary, multiclass or regression.`);
}

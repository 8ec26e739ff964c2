/** Labelled texts -> padded token ids and targets (binary, multiclass or regression). */
import type { DataSpec } from '../language/types';
import { encodeLabels, type LabelTask } from './labels';
import { longestLength, padSequences, type PadOptions } from './padding';
import type { PipelineResult } from './prepared';
import type { TextExamples } from './records';
import { Tokenizer } from './tokenizer';
import { DataError, type TokenEncoder } from './types';

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
  const { tokenizer, encoded } = fixedTokenizer
    ? { tokenizer: fixedTokenizer, encoded: trainTexts.map((text) => fixedTokenizer.encode(text)) }
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
  return {
    train: split(encoded, labels.train),
    validation: split(validationEncoded, labels.validation),
    inputKind: 'tokens',
    timesteps: padding.maxLen,
    features: 1,
    vocabulary: tokenizer.vocabulary,
    ...(labels.classes !== undefined ? { classes: labels.classes } : {}),
    ...(labels.classNames ? { classNames: labels.classNames } : {}),
    encode: (text) => tokenizer.encode(text),
    padding,
  };
}

function labelTask(data: DataSpec): LabelTask {
  if (data.task === 'binary' || data.task === 'multiclass' || data.task === 'regression') return data.task;
  throw new DataError(`labelled text examples cannot be used for task \`${data.task}\`. Use binary, multiclass or regression.`);
}

/** Generated fixed-length numeric sequences (adding, parity) -> train/validation splits. */
import type { NormalizeMethod } from '../language/types';
import type { ValueExamples } from './builtin';
import { normalizeTargets } from './forecast';
import type { PipelineResult } from './prepared';
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION } from './preprocessing';
import { sliceRows, type ExampleLimits } from './selection';
import { DataError, type Split } from './types';

/** The examples are independent draws, so the last `fraction` of them validates. */
export function prepareValueExamples(
  examples: ValueExamples,
  task: 'binary' | 'regression',
  fraction: number,
  limits: ExampleLimits,
  normalizeTarget: NormalizeMethod,
): PipelineResult {
  const { count, length, features } = examples;
  const validationCount = Math.round(count * fraction);
  const trainCount = count - validationCount;
  if (trainCount === 0) {
    throw new DataError('no training examples are left after the validation split. Raise `data.generator.samples`, or lower `data.validation`.');
  }
  const toSplit = (start: number, end: number): Split => ({
    x: sliceRows(examples.x, length * features, start, end),
    xShape: [end - start, length, features],
    y: sliceRows(examples.y, 1, start, end),
    yShape: [end - start, 1],
    count: end - start,
  });
  const train = toSplit(0, Math.min(trainCount, limits.train));
  const validation = toSplit(trainCount, trainCount + Math.min(validationCount, limits.validation));
  const targets = task === 'regression' ? normalizeTargets(train.y as Float32Array, validation.y as Float32Array, normalizeTarget) : undefined;
  return {
    train: { ...train, y: targets?.train ?? train.y },
    validation: { ...validation, y: targets?.validation ?? validation.y },
    inputKind: 'values',
    timesteps: length,
    features,
    preprocessing: {
      format: PREPROCESSING_FORMAT,
      version: PREPROCESSING_VERSION,
      task,
      inputKind: 'values',
      timesteps: length,
      features,
      ...(task === 'binary' ? { classes: { names: ['0', '1'] } } : {}),
      ...(targets?.stats ? { normalization: { target: targets.stats } } : {}),
    },
    ...(targets?.stats ? { stats: { targetScale: targets.stats } } : {}),
  };
}

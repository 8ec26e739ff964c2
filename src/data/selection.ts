/**
 * Which examples train and which validate: a seeded shuffle, a validation fraction (or a separate
 * validation set), `data.limit`, and the bounded slice of a quick preview.
 */
import type { DataSpec } from '../language/types';
import { seededRandom, shuffled } from './random';
import { DataError } from './types';

export interface ExampleLimits {
  train: number;
  validation: number;
}

/** A quick preview must finish in seconds, whatever the dataset's size. */
export const DEFAULT_PREVIEW_EXAMPLES = 2000;

/** A preview validates on a quarter as many examples as it trains on. */
export function previewLimits(trainExamples: number): ExampleLimits {
  return { train: trainExamples, validation: Math.ceil(trainExamples / 4) };
}

export const QUICK_LIMITS = previewLimits(DEFAULT_PREVIEW_EXAMPLES);

export function exampleLimits(
  data: Pick<DataSpec, 'limit'>,
  quick: boolean,
  previewExamples = DEFAULT_PREVIEW_EXAMPLES,
): ExampleLimits {
  const preview = quick ? previewLimits(previewExamples) : { train: Infinity, validation: Infinity };
  return { train: Math.min(data.limit ?? Infinity, preview.train), validation: preview.validation };
}

export function validationFraction(data: Pick<DataSpec, 'validation'>): number | undefined {
  if (!('split' in data.validation)) return undefined;
  const fraction = data.validation.split;
  if (!(fraction >= 0 && fraction < 1)) {
    throw new DataError(`\`data.validation\` is ${fraction}; a validation fraction must be at least 0 and below 1, e.g. 0.2.`);
  }
  return fraction;
}

/**
 * Shuffles with `seed`, takes the validation fraction off the front when there is no separate
 * validation set, and caps both sides. Separate validation sets are shuffled too, so that a capped
 * slice of a sorted file (IMDB lists negatives first) still holds every class.
 */
export function selectExamples<T>(
  all: readonly T[],
  separateValidation: readonly T[] | undefined,
  fraction: number,
  seed: number,
  limits: ExampleLimits,
): { train: T[]; validation: T[] } {
  const random = seededRandom(seed);
  let train = shuffled(all, random);
  let validation: T[];
  if (separateValidation) {
    validation = shuffled(separateValidation, random);
  } else {
    const count = Math.round(train.length * fraction);
    validation = train.slice(0, count);
    train = train.slice(count);
  }
  return { train: train.slice(0, limits.train), validation: validation.slice(0, limits.validation) };
}

/** Rows `[start, end)` of a row-major array with `rowSize` values per row. */
export function sliceRows<T extends Int32Array | Float32Array>(array: T, rowSize: number, start: number, end: number): T {
  return array.slice(start * rowSize, end * rowSize) as T;
}

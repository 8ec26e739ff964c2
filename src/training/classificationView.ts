/**
 * The classification view (issue 8 §4): after each epoch, the validation split's confusion matrix
 * and the examples the model gets most confidently wrong, read from the predictions the trainer's
 * validation pass makes anyway (no second pass over the data).
 */
import * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../data/types';
import { exampleText } from '../data/exampleText';
import type { ClassificationEvent, MisclassifiedExample } from '../protocol';
import { significant } from '../inspect/rounding';
import type { PredictionCollector } from './predictionCollector';

/** Wrong examples kept per epoch. */
export const WRONG_EXAMPLES = 10;
/** Keras's threshold for a sigmoid output (`BinaryAccuracy`): the same one the metrics use. */
const THRESHOLD = 0.5;

export interface ClassificationView extends PredictionCollector {
  /** The event of the predictions collected since the last evaluation began. */
  event(epoch: number): ClassificationEvent | undefined;
}

/** The view of a binary or multiclass run; `classes` names in id order. */
export function createClassificationView(data: PreparedData, classes: readonly string[]): ClassificationView {
  const split = data.validation;
  const count = classes.length;
  let confusion: number[][] = [];
  let wrong: Omit<MisclassifiedExample, 'text'>[] = [];
  let seen = 0;
  return {
    reduce: (prediction) => tf.reshape(prediction, [prediction.shape[0], -1]),
    add(firstRow, rows, reduced) {
      if (firstRow === 0) {
        confusion = Array.from({ length: count }, () => new Array<number>(count).fill(0));
        wrong = [];
        seen = 0;
      }
      const units = reduced.length / rows;
      for (let r = 0; r < rows; r++) {
        const index = firstRow + r;
        const actual = split.y[index];
        const { predicted, probability } = decide(reduced.subarray(r * units, (r + 1) * units));
        if (confusion[actual]?.[predicted] === undefined) continue;
        confusion[actual][predicted]++;
        if (predicted !== actual) wrong.push({ index, actual, predicted, probability: significant(probability) });
      }
      seen = firstRow + rows;
    },
    event(epoch) {
      if (seen === 0) return undefined;
      const worst = wrong.sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, WRONG_EXAMPLES);
      return {
        type: 'classification',
        epoch,
        classes: [...classes],
        confusion,
        wrong: worst.map((example) => ({ ...example, text: exampleText(split, example.index, data) })),
      };
    },
  };
}

/** The predicted class of one output row and the probability given to it (sigmoid: at 0.5). */
function decide(row: Float32Array): { predicted: number; probability: number } {
  if (row.length === 1) {
    const positive = row[0];
    return positive > THRESHOLD ? { predicted: 1, probability: positive } : { predicted: 0, probability: 1 - positive };
  }
  let predicted = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[predicted]) predicted = c;
  return { predicted, probability: row[predicted] };
}

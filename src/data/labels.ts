/**
 * Label columns to targets: binary 0/1 floats, multiclass integer ids (string labels get ids in
 * sorted order and keep their names), regression floats. Class ids are decided on the training
 * split alone, so validation labels never shift them.
 */
import { printableValue } from '../language/printable';
import type { TextExample, TextExamples } from './records';
import { FLOAT32_MAX } from './series';
import { DataError } from './types';

export type LabelTask = 'binary' | 'multiclass' | 'regression';

export interface EncodedLabels {
  train: Float32Array | Int32Array;
  validation: Float32Array | Int32Array;
  /** Shape after the example count: `[1]` for binary/regression, `[]` for multiclass. */
  shape: number[];
  /** multiclass: the number of classes (output units). */
  classes?: number;
  /** binary / multiclass: how many class ids there are (2 for binary). */
  classCount: number;
  classNames?: string[];
}

export function encodeLabels(task: LabelTask, train: TextExamples, validation: TextExamples, numClasses?: number): EncodedLabels {
  if (task === 'regression') {
    return { train: regressionTargets(train), validation: regressionTargets(validation), shape: [1], classCount: 0 };
  }
  const classes = classIds(task, train, validation, numClasses);
  const encode = (set: TextExamples) => {
    const ids = set.examples.map((example) => classes.idOf(example, set.file));
    return task === 'binary' ? Float32Array.from(ids) : Int32Array.from(ids);
  };
  return {
    train: encode(train),
    validation: encode(validation),
    shape: task === 'binary' ? [1] : [],
    classes: task === 'multiclass' ? classes.count : undefined,
    classCount: classes.count,
    classNames: classes.names,
  };
}

interface ClassIds {
  count: number;
  names?: string[];
  idOf(example: TextExample, file: string): number;
}

function classIds(task: 'binary' | 'multiclass', train: TextExamples, validation: TextExamples, numClasses?: number): ClassIds {
  for (const set of [train, validation]) {
    const blank = set.examples.find((example) => example.label.trim() === '');
    if (blank) throw new DataError('this example has an empty label. Give every example a label, or remove the line.', set.file, blank.line);
  }
  const distinct = [...new Set(train.examples.map((example) => example.label.trim()))];
  if (distinct.length < 2) {
    throw new DataError(
      `every training example has the label "${printableValue(distinct[0]!)}". ${task === 'binary' ? 'Binary classification needs examples of both classes' : 'Classification needs at least two classes'}; check \`data.columns.label\` and the file.`,
      train.file,
    );
  }
  return task === 'binary' ? binaryClassIds(distinct, train.file) : multiclassIds(distinct, train, validation, numClasses);
}

function binaryClassIds(distinct: string[], file: string): ClassIds {
  if (distinct.length > 2) {
    throw new DataError(
      `a binary task needs labels 0/1 or exactly two distinct values, but the training data has ${distinct.length} (${preview(sortLabels(distinct))}). Use \`task: multiclass\`, or fix the labels.`,
      file,
    );
  }
  if (distinct.every((label) => label === '0' || label === '1')) {
    return { count: 2, idOf: (example, exampleFile) => knownId(['0', '1'], example, exampleFile) };
  }
  const names = sortLabels(distinct);
  return { count: 2, names, idOf: (example, exampleFile) => knownId(names, example, exampleFile) };
}

function multiclassIds(distinct: string[], train: TextExamples, validation: TextExamples, numClasses?: number): ClassIds {
  if (distinct.every(isClassId)) {
    // Integer labels are class ids already; validation may hold ids the training slice lacks.
    const highest = [...train.examples, ...validation.examples]
      .map((example) => example.label.trim())
      .reduce((max, label) => (isClassId(label) ? Math.max(max, Number(label)) : max), 0);
    const count = numClasses ?? highest + 1;
    const idOf = (example: TextExample, file: string) => {
      const label = example.label.trim();
      if (!isClassId(label) || Number(label) >= count) {
        throw new DataError(
          `the label "${printableValue(label)}" is not a class id from 0 to ${count - 1}. Integer labels are class ids; fix the label${numClasses !== undefined ? ' or raise `data.num_classes`' : ''}.`,
          file,
          example.line,
        );
      }
      return Number(label);
    };
    return { count, idOf };
  }
  const names = sortLabels(distinct);
  return { count: names.length, names, idOf: (example, file) => knownId(names, example, file) };
}

function isClassId(label: string): boolean {
  return /^\d+$/.test(label);
}

function knownId(names: readonly string[], example: TextExample, file: string): number {
  const id = names.indexOf(example.label.trim());
  if (id === -1) {
    throw new DataError(
      `the label "${printableValue(example.label)}" does not occur in the training data (labels there: ${preview(names)}). Fix the label, or add training examples of it.`,
      file,
      example.line,
    );
  }
  return id;
}

function regressionTargets(set: TextExamples): Float32Array {
  return Float32Array.from(set.examples, (example) => {
    const value = example.label.trim() === '' ? NaN : Number(example.label);
    if (!Number.isFinite(value)) {
      throw new DataError(`the label "${printableValue(example.label)}" is not a number. Regression needs a numeric label on every example.`, set.file, example.line);
    }
    if (Math.abs(value) > FLOAT32_MAX) {
      throw new DataError(`the target ${value} is beyond the range of the 32-bit floats training uses (±3.4e38). Fix the value, or rescale the column.`, set.file, example.line);
    }
    return value;
  });
}

/** Numeric labels in numeric order ("2" before "10"), others in code-point order. */
function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((label) => label !== '' && Number.isFinite(Number(label)));
  return labels.slice().sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function preview(labels: readonly string[]): string {
  const shown = labels.slice(0, 5).map((label) => `"${printableValue(label)}"`).join(', ');
  return labels.length > 5 ? `${shown}, ...` : shown;
}

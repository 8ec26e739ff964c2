/**
 * What reading the data taught us, in a form the pure checker can use: the classes found (with the
 * id each label got), the vocabulary size, the columns' kinds, the series length and its gaps, or
 * why the data could not be read. The data pipeline fills it (from a finished read or a `data`
 * event's stats); the checker turns it into ranged diagnostics; the data pipeline uses the same
 * `dataFitProblems` to refuse a mismatch before the first batch. No file system here.
 */
import type { DataStats } from '../protocol';
import type { ResolvedSpec } from './resolve';
import type { DenseLayerSpec, LayerSpec, Task } from './types';

export interface DataFacts {
  /** `data.source` as written when the facts were read: facts about another source are ignored. */
  source: string;
  /** The task the data was read for (labels mean different things per task). */
  task: Task;
  /** The data could not be read: the message of the error (file and line included) and its kind. */
  problem?: { kind: 'not-found' | 'unreadable' | 'data'; message: string };
  /** binary / multiclass: every class in id order, with its label and training examples. */
  classes?: { label: string; id: number; count: number }[];
  /** Token input: ids the tokenizer produces (padding and OOV included). */
  vocabularySize?: number;
  /** A table's columns and what they hold (every non-empty value a number, or not). */
  columns?: { name: string; kind: 'number' | 'text' }[];
  /** forecast: missing values found (blank or NA), with their first lines. */
  missing?: { count: number; lines: number[] };
  /** Sentences worth a warning (a dominant class, numbers in a text column...). */
  warnings?: string[];
}

/** Facts from the `data` event of a run (what the worker read). */
export function factsFromStats(stats: DataStats, source: string): DataFacts {
  return {
    source,
    task: stats.task as Task,
    ...(stats.classCounts ? { classes: stats.classCounts.map(({ label, id, train }) => ({ label, id, count: train })) } : {}),
    ...(stats.vocabSize !== undefined ? { vocabularySize: stats.vocabSize } : {}),
    ...(stats.missing ? { missing: { count: stats.missing.count, lines: stats.missing.lines } } : {}),
    ...(stats.warnings ? { warnings: stats.warnings } : {}),
  };
}

/** A way the data and the model's first or last layer cannot work (error) or waste work (warning). */
export interface FitProblem {
  severity: 'error' | 'warning';
  /** Where the fix goes: the output layer's `units`, or the embedding's `input_dim`. */
  at: 'output-units' | 'embedding-input-dim';
  /** Index of the layer in `model`. */
  layer: number;
  /** A sentence for people: both numbers, and the fix. */
  message: string;
}

/**
 * Classes found must equal the output units (one unit per class id for a softmax), and every token
 * id must fit the embedding and, for next-token, the output layer. Integer labels are class ids
 * counted from 0, as in Keras: labels 1..3 need 4 units (id 0 unused) or renumbering.
 */
export function dataFitProblems(spec: Pick<ResolvedSpec, 'data' | 'model' | 'train'>, facts: DataFacts): FitProblem[] {
  const layers = spec.model;
  const problems: FitProblem[] = [];
  const first = layers[0];
  if (first?.type === 'embedding' && first.input_dim !== undefined && facts.vocabularySize !== undefined && first.input_dim < facts.vocabularySize) {
    problems.push({
      severity: 'error',
      at: 'embedding-input-dim',
      layer: 0,
      message: `The data's vocabulary has ${facts.vocabularySize} token ids, but the embedding's \`input_dim\` is ${first.input_dim}: remove \`input_dim\` to size it from the data, or set \`input_dim: ${facts.vocabularySize}\`.`,
    });
  }
  const output = outputLayer(layers);
  if (!output) return problems;
  const { dense, index } = output;
  const softmaxClasses = spec.train.loss === 'sparse_categorical_crossentropy' || spec.train.loss === 'categorical_crossentropy';
  if (spec.data.task === 'multiclass' && softmaxClasses && facts.classes) {
    const found = facts.classes.length;
    if (found !== dense.units) problems.push({ severity: 'error', at: 'output-units', layer: index, message: classMismatch(facts.classes, dense.units, spec.data.num_classes) });
  }
  const vocabulary = facts.vocabularySize;
  // Extra units are only worth a word when the vocabulary is sized from the data (a fixed
  // `vocab_size` larger than the data's vocabulary is the user's choice, and the static check's).
  const sizedFromData = spec.data.tokenizer.vocab_size === undefined;
  if (spec.data.task === 'next-token' && vocabulary !== undefined && (dense.units < vocabulary || (sizedFromData && dense.units > vocabulary))) {
    const fewer = dense.units < vocabulary;
    const consequence = fewer ? 'so some targets have no unit' : `so ${(dense.units - vocabulary).toLocaleString('en-US')} units never get a target and only cost time`;
    problems.push({
      severity: fewer ? 'error' : 'warning',
      at: 'output-units',
      layer: index,
      message: `The data's vocabulary has ${vocabulary} token ids${vocabularyDetail(spec, vocabulary)}, but the output layer has ${dense.units.toLocaleString('en-US')} units, ${consequence}: set \`units: ${vocabulary}\`.`,
    });
  }
  return problems;
}

function classMismatch(classes: NonNullable<DataFacts['classes']>, units: number, numClasses: number | undefined): string {
  const found = classes.length;
  const present = classes.filter((entry) => entry.count > 0);
  const integerIds = classes.every((entry, id) => entry.label === String(id));
  const unitsWord = `${units} unit${units === 1 ? '' : 's'}`;
  if (integerIds && present.length > 0 && present[0]!.id > 0 && numClasses === undefined) {
    const low = present[0]!.id;
    const high = present[present.length - 1]!.id;
    return `The labels run from ${low} to ${high}, and integer labels are class ids counted from 0 (as in Keras), so they need ${found} output units (${describeUnused(classes)}), but the output layer has ${unitsWord}: renumber the labels to start at 0 (0 to ${high - low}), or set \`units: ${found}\`.`;
  }
  const mapping = describeMapping(classes);
  const hint = found < units && integerIds && numClasses === undefined ? `, or set \`data.num_classes: ${units}\` if the data lacks some classes` : '';
  return `The data has ${found} classes (${mapping}), but the output layer has ${unitsWord}: set \`units: ${found}\`${hint}.`;
}

/** `"neg" → 0, "pos" → 1`, cut after 8 classes. */
export function describeMapping(classes: NonNullable<DataFacts['classes']>): string {
  const shown = classes.slice(0, 8).map(({ label, id }) => `"${label}" → ${id}`);
  return classes.length > 8 ? `${shown.join(', ')}, ... (${classes.length - 8} more)` : shown.join(', ');
}

function describeUnused(classes: NonNullable<DataFacts['classes']>): string {
  const unused = classes.filter((entry) => entry.count === 0).map((entry) => entry.id);
  return unused.length === 1 ? `id ${unused[0]} unused` : `ids ${unused.join(', ')} unused`;
}

function vocabularyDetail(spec: Pick<ResolvedSpec, 'data'>, size: number): string {
  return spec.data.tokenizer.level === 'char' ? ` (${size - 2} characters + padding + OOV)` : '';
}

/** The dense layer that produces the model's output, and its index, when the stack ends in one. */
export function outputLayer(layers: readonly (LayerSpec | undefined)[]): { dense: DenseLayerSpec; index: number } | undefined {
  const index = layers.length - 1;
  const last = layers[index];
  if (last?.type === 'dense') return { dense: last, index };
  if (last?.type === 'time_distributed') return { dense: last.layer, index };
  return undefined;
}

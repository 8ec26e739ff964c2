/**
 * Checks of prepared data against the spec, run the moment the data is read (before the model is
 * built or a batch runs): a refusal when classes or token ids do not fit the output layer or the
 * embedding, and warnings worth reading before training.
 */
import { printableValue } from '../language/printable';
import { dataFitProblems, factsFromStats } from '../language/dataFacts';
import type { ModelSpec } from '../language/types';
import type { ClassCount } from '../protocol';
import { DataError, type PreparedData } from './types';

/** A class holding at least this share of the training examples is said to dominate. */
export const DOMINANT_CLASS_SHARE = 0.9;

/** Throws a DataError naming `file` when the data cannot train this model (see dataFitProblems). */
export function assertDataFitsModel(prepared: PreparedData, spec: ModelSpec, file: string | undefined): void {
  const problem = dataFitProblems(spec, factsFromStats(prepared.stats, spec.data.source)).find((candidate) => candidate.severity === 'error');
  if (problem) throw new DataError(problem.message.charAt(0).toLowerCase() + problem.message.slice(1), file);
}

/** The imbalance warning: one class holds DOMINANT_CLASS_SHARE or more of the training examples. */
export function dominantClassWarning(counts: readonly ClassCount[]): string | undefined {
  const total = counts.reduce((sum, entry) => sum + entry.train, 0);
  const largest = counts.reduce<ClassCount | undefined>((best, entry) => (!best || entry.train > best.train ? entry : best), undefined);
  if (!largest || total === 0 || largest.train / total < DOMINANT_CLASS_SHARE) return undefined;
  const share = Math.floor((100 * largest.train) / total);
  return (
    `One class dominates: "${printableValue(largest.label)}" is ${share}% of the training examples (${largest.train.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}), ` +
    `so always predicting it already scores ${share}% accuracy. Set \`train.class_weight: balanced\` to weigh the rarer classes up, and judge the model by precision and recall.`
  );
}


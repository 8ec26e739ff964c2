/**
 * Which sequences validate, when the data has no separate validation file:
 *
 * - `{ fraction }`: a seeded shuffle, the first `fraction` of it validates (as for text);
 * - `{ field, values }`: a field of the file-name pattern decides — FSDD's official split is
 *   `{ field: 'index', values: '0-4' }` (recordings 0 to 4 of every speaker and digit validate);
 *   `values` is a range `a-b` of whole numbers, or a list of values;
 * - `{ group, fraction }`: whole groups validate (by speaker, by subject), drawn in a seeded order
 *   until at least `fraction` of the sequences validate, so no group is in both splits.
 */
import { printableValue } from '../../language/printable';
import { seededRandom, shuffled } from '../random';
import { DataError } from '../types';
import type { NumericSequence } from './sequence';

export type SequenceSplitRule =
  | { fraction: number }
  | { field: string; values: string | readonly string[] }
  | { group: string; fraction: number };

export interface SequenceSplits {
  train: NumericSequence[];
  validation: NumericSequence[];
  /** Group split: the groups that validate, sorted. */
  validationGroups?: string[];
}

export function splitSequences(sequences: readonly NumericSequence[], rule: SequenceSplitRule, seed: number, file: string): SequenceSplits {
  if ('field' in rule) return splitByField(sequences, rule.field, rule.values, file);
  if (!(rule.fraction >= 0 && rule.fraction < 1)) throw new DataError(`the validation fraction is ${rule.fraction}; it must be at least 0 and below 1, e.g. 0.2.`);
  if ('group' in rule) return splitByGroup(sequences, rule.group, rule.fraction, seed, file);
  const order = shuffled(sequences, seededRandom(seed));
  const count = Math.round(order.length * rule.fraction);
  return { train: order.slice(count), validation: order.slice(0, count) };
}

/** A predicate over a field's text: `a-b` (whole numbers, inclusive) or a list of exact values. */
export function fieldMatcher(values: string | readonly string[]): (value: string) => boolean {
  if (typeof values === 'string') {
    const range = /^\s*(-?\d+)\s*-\s*(-?\d+)\s*$/.exec(values);
    if (range) {
      const [low, high] = [Number(range[1]), Number(range[2])];
      return (value) => /^-?\d+$/.test(value) && Number(value) >= low && Number(value) <= high;
    }
    return (value) => value === values;
  }
  const set = new Set(values.map(String));
  return (value) => set.has(value);
}

function splitByField(sequences: readonly NumericSequence[], field: string, values: string | readonly string[], file: string): SequenceSplits {
  const matches = fieldMatcher(values);
  const train: NumericSequence[] = [];
  const validation: NumericSequence[] = [];
  for (const sequence of sequences) {
    const value = sequence.fields?.[field];
    if (value === undefined) {
      const known = Object.keys(sequence.fields ?? {});
      throw new DataError(
        `the split names the field {${printableValue(field)}}, but ${known.length ? `the file pattern has only ${known.map((name) => `{${name}}`).join(', ')}` : 'this source has no file-name pattern'}. Name one of its fields.`,
        sequence.origin.file,
      );
    }
    (matches(value) ? validation : train).push(sequence);
  }
  const shown = typeof values === 'string' ? values : values.join(', ');
  if (validation.length === 0) throw new DataError(`no example has {${field}} in ${printableValue(shown)}, so nothing would validate. Check the values.`, file);
  if (train.length === 0) throw new DataError(`every example has {${field}} in ${printableValue(shown)}, so nothing would train. Check the values.`, file);
  return { train, validation };
}

function splitByGroup(sequences: readonly NumericSequence[], field: string, fraction: number, seed: number, file: string): SequenceSplits {
  const groupOf = (sequence: NumericSequence): string => {
    const group = sequence.group ?? sequence.fields?.[field];
    if (group === undefined || group === '') {
      throw new DataError(`this example has no group ("${printableValue(field)}"), so it cannot be kept to one side of a group split.`, sequence.origin.file, sequence.origin.line);
    }
    return group;
  };
  const sizes = new Map<string, number>();
  for (const sequence of sequences) sizes.set(groupOf(sequence), (sizes.get(groupOf(sequence)) ?? 0) + 1);
  if (sizes.size < 2) throw new DataError(`every example is in the same group ("${printableValue([...sizes.keys()][0] ?? '')}"): a split by ${field} needs at least two groups.`, file);
  const target = fraction * sequences.length;
  const chosen = new Set<string>();
  let taken = 0;
  for (const group of shuffled([...sizes.keys()].sort(), seededRandom(seed))) {
    if (taken >= target || chosen.size === sizes.size - 1) break;
    chosen.add(group);
    taken += sizes.get(group)!;
  }
  const train = sequences.filter((sequence) => !chosen.has(groupOf(sequence)));
  const validation = sequences.filter((sequence) => chosen.has(groupOf(sequence)));
  return { train, validation, validationGroups: [...chosen].sort() };
}

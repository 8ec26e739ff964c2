/**
 * Numeric sequences: one example is a sequence of vectors (`[steps, channels]`), read from a UEA
 * `.ts` file, a long table, JSONL, NumPy arrays, a folder of CSV or WAV files, or cut from one long
 * recording. Every reader returns the same `SequenceSet`, so padding, normalisation, splitting and
 * the checks below serve them all. No tensors here.
 */
import { printableValue } from '../../language/printable';
import { FLOAT32_MAX } from '../series';
import { DataError } from '../types';

/** Where an example was read from: its file, and the 1-based line (or record) in it when there is one. */
export interface SequenceOrigin {
  file: string;
  line?: number;
}

export interface NumericSequence {
  /** Row-major `[steps, channels]` in the data's units; NaN marks a missing value. */
  values: Float32Array;
  steps: number;
  /** The label as written in the data (a class name or a number); absent when unlabelled. */
  label?: string;
  /** The group the example belongs to (a speaker, a subject), for group splits. */
  group?: string;
  /** Fields of a file-name pattern (`{speaker}`, `{index}`), for splits by a field. */
  fields?: Record<string, string>;
  origin: SequenceOrigin;
}

export interface SequenceSet {
  /** Every sequence has this many values per step. */
  channels: number;
  /** A name per channel (column names, `dim_0`..., `mfcc_0`...). */
  channelNames: string[];
  sequences: NumericSequence[];
  /** Class names declared by the file itself (a `.ts` header), in their declared order. */
  declaredClasses?: string[];
}

/** The name a channel gets when the file names none. */
export function defaultChannelNames(channels: number, prefix = 'dim'): string[] {
  return Array.from({ length: channels }, (_, c) => `${prefix}_${c}`);
}

/** `file:line` of an example, for messages that list several. */
export function describeOrigin(origin: SequenceOrigin): string {
  return origin.line === undefined ? origin.file : `${origin.file}:${origin.line}`;
}

/**
 * A number cell of a data file: a finite number, NaN for a missing-value marker (`?`, `NaN`, blank,
 * `NA`), undefined for anything else. Values beyond float32 are refused by `assertFinite32`.
 */
export function parseNumber(cell: string | undefined): number | undefined {
  if (cell === undefined) return NaN;
  const trimmed = cell.trim();
  if (MISSING.has(trimmed.toLowerCase())) return NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

const MISSING = new Set(['', '?', 'na', 'n/a', 'nan', 'null', 'none']);

/** Throws the DataError of a cell that is not a number, quoting it. */
export function notANumber(cell: string, where: SequenceOrigin, what = 'value'): DataError {
  return new DataError(
    `the ${what} "${printableValue(cell.trim())}" is not a number. Every channel needs a number at every step; write ? (or leave it empty) for a missing value (see \`data.missing\`).`,
    where.file,
    where.line,
  );
}

/** 1e39 is a double but infinite in float32: refuse it with where it was, instead of training on infinity. */
export function assertFinite32(value: number, where: SequenceOrigin): void {
  if (Math.abs(value) > FLOAT32_MAX) {
    throw new DataError(
      `the value ${value} is beyond the range of the 32-bit floats training uses (±3.4e38). Fix the value, or rescale the channel.`,
      where.file,
      where.line,
    );
  }
}

/**
 * The checks every source shares once its sequences are read: at least one sequence, no empty one,
 * and the same channel count everywhere (a reader that knows the count per example calls
 * `assertChannels` itself, with the line).
 */
export function assertUsable(set: SequenceSet, file: string): SequenceSet {
  if (set.sequences.length === 0) throw new DataError('no sequences were found. Check `data.source` and `data.columns`.', file);
  const empty = set.sequences.find((sequence) => sequence.steps === 0);
  if (empty) throw new DataError('this sequence has no steps. Every example needs at least one step; remove it or fill it in.', empty.origin.file, empty.origin.line);
  if (set.channels < 1) throw new DataError('the sequences have no channels (values per step). Check `data.columns.value`.', file);
  return set;
}

/** A ragged channel count is refused where it happens, naming both counts. */
export function assertChannels(found: number, expected: number, where: SequenceOrigin, unit = 'step'): void {
  if (found !== expected) {
    throw new DataError(
      `this ${unit} has ${found} channel${found === 1 ? '' : 's'}, but the first one has ${expected}. Every step of every sequence needs the same channels, in the same order.`,
      where.file,
      where.line,
    );
  }
}

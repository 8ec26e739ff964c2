/** Keras `pad_sequences`: zeros for padding, `pre` padding and truncating by default. */
import type { PadSide } from '../language/types';

export interface PadOptions {
  maxLen: number;
  padding: PadSide;
  truncating: PadSide;
}

/** Row-major `[sequences.length, maxLen]`. */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadOptions): Int32Array {
  const out = new Int32Array(sequences.length * options.maxLen);
  sequences.forEach((sequence, row) => writePadded(sequence, out, row * options.maxLen, options));
  return out;
}

/** One sequence to exactly `maxLen` ids. */
export function padOne(sequence: ArrayLike<number>, options: PadOptions): Int32Array {
  const out = new Int32Array(options.maxLen);
  writePadded(sequence, out, 0, options);
  return out;
}

export function longestLength(sequences: readonly ArrayLike<number>[]): number {
  return sequences.reduce((longest, sequence) => Math.max(longest, sequence.length), 0);
}

/** Writes straight into the (zero-filled) output: no intermediate arrays for 50,000 reviews. */
function writePadded(sequence: ArrayLike<number>, out: Int32Array, offset: number, { maxLen, padding, truncating }: PadOptions): void {
  const kept = Math.min(sequence.length, maxLen);
  const from = truncating === 'pre' ? sequence.length - kept : 0;
  const to = offset + (padding === 'pre' ? maxLen - kept : 0);
  for (let i = 0; i < kept; i++) out[to + i] = sequence[from + i];
}

/** Keras `pad_sequences`: zeros for padding, `pre` padding and truncating by default. */
import type { PadSide } from '../spec/types';

export interface PadOptions {
  maxLen: number;
  padding: PadSide;
  truncating: PadSide;
}

/** Row-major `[sequences.length, maxLen]`. */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadOptions): Int32Array {
  const { maxLen } = options;
  const out = new Int32Array(sequences.length * maxLen);
  sequences.forEach((sequence, row) => out.set(padOne(sequence, options), row * maxLen));
  return out;
}

/** One sequence to exactly `maxLen` ids. */
export function padOne(sequence: ArrayLike<number>, { maxLen, padding, truncating }: PadOptions): Int32Array {
  const ids = Int32Array.from(sequence);
  const kept = ids.length <= maxLen ? ids : truncating === 'pre' ? ids.subarray(ids.length - maxLen) : ids.subarray(0, maxLen);
  const out = new Int32Array(maxLen);
  out.set(kept, padding === 'pre' ? maxLen - kept.length : 0);
  return out;
}

export function longestLength(sequences: readonly ArrayLike<number>[]): number {
  return sequences.reduce((longest, sequence) => Math.max(longest, sequence.length), 0);
}

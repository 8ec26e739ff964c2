/**
 * Pairs into the three arrays of teacher forcing (Keras' `lstm_seq2seq`, Sutskever et al. 2014):
 *
 * - encoder input `[pairs, sourceSteps]`: the source's ids, padded with 0 after them;
 * - decoder input `[pairs, targetSteps]`: `<start>`, then the target's ids (the target shifted right
 *   by the start token: at step t the decoder reads the true token t - 1);
 * - decoder target `[pairs, targetSteps]`: the target's ids, then `<end>` (what the decoder must
 *   produce at each step), padded with 0 — padding that the loss and every accuracy leave out.
 *
 * `targetSteps` is the target's `max_len` + 1 (room for the start or the end token). A side longer
 * than its `max_len` (in tokens, start and end not counted) is dropped with its whole pair, or cut
 * to `max_len` tokens (a cut target still ends with `<end>`), as `too_long` says; either way the
 * count and the first such line are reported.
 */
import { END_ID, PADDING_ID, START_ID, type SideRole, type SideVocabulary } from './vocabulary';
import type { TextPair } from './pairs';

export type TooLong = 'drop' | 'truncate';

/** A side's length limit (`data.pairs.source.max_len`, `too_long`). */
export interface LengthLimit {
  /** In tokens, start and end tokens not counted; undefined: the longest training text. */
  max_len?: number;
  too_long: TooLong;
}

/** What the length limits did to one side. */
export interface LengthReport {
  side: SideRole;
  maxLen: number;
  /** Pairs whose side was longer than `maxLen`. */
  count: number;
  action: TooLong;
  /** The first such pair's line and length, when there was one. */
  first?: { line: number; length: number };
  /** The longest such side, in tokens. */
  longest: number;
}

/** Pairs as ids, unpadded, after the length limits. */
export interface TokenizedPairs {
  pairs: TextPair[];
  source: number[][];
  target: number[][];
  /** Per side, what the limits did. */
  lengths: Record<SideRole, LengthReport>;
}

/** The teacher-forcing arrays of a split. */
export interface TeacherForcingArrays {
  count: number;
  sourceSteps: number;
  targetSteps: number;
  /** `[count, sourceSteps]` */
  encoderInput: Int32Array;
  /** `[count, targetSteps]` */
  decoderInput: Int32Array;
  /** `[count, targetSteps]` */
  decoderTarget: Int32Array;
}

/**
 * Encodes `pairs` with each side's vocabulary and applies the length limits (a pair is dropped when
 * either of its sides is too long and that side's action is `drop`). `maxLen` undefined resolves to
 * the longest text of `pairs` (fit it on the training split and pass the result to validation).
 */
export function tokenizePairs(
  pairs: readonly TextPair[],
  vocabularies: Record<SideRole, SideVocabulary>,
  limits: Record<SideRole, LengthLimit>,
): TokenizedPairs {
  const encoded = { source: pairs.map((pair) => vocabularies.source.encode(pair.source)), target: pairs.map((pair) => vocabularies.target.encode(pair.target)) };
  const lengths = {} as Record<SideRole, LengthReport>;
  for (const side of ['source', 'target'] as const) {
    const maxLen = limits[side].max_len ?? Math.max(1, ...encoded[side].map((ids) => ids.length));
    const report: LengthReport = { side, maxLen, count: 0, action: limits[side].too_long, longest: 0 };
    encoded[side].forEach((ids, i) => {
      if (ids.length <= maxLen) return;
      report.count++;
      report.first ??= { line: pairs[i].line, length: ids.length };
      report.longest = Math.max(report.longest, ids.length);
    });
    lengths[side] = report;
  }
  const kept: TokenizedPairs = { pairs: [], source: [], target: [], lengths };
  pairs.forEach((pair, i) => {
    const tooLong = (side: SideRole) => encoded[side][i].length > lengths[side].maxLen;
    if ((tooLong('source') && lengths.source.action === 'drop') || (tooLong('target') && lengths.target.action === 'drop')) return;
    kept.pairs.push(pair);
    kept.source.push(encoded.source[i].slice(0, lengths.source.maxLen));
    kept.target.push(encoded.target[i].slice(0, lengths.target.maxLen));
  });
  return kept;
}

/** One sentence on what a length limit did, or undefined when it did nothing. */
export function describeLengths(report: LengthReport, total: number): string | undefined {
  if (report.count === 0 || !report.first) return undefined;
  const what = report.action === 'drop' ? 'dropped' : `cut to ${report.maxLen} tokens`;
  return `${report.count.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} pairs have a ${report.side} longer than its max_len (${report.maxLen} tokens; the longest has ${report.longest}, the first is on line ${report.first.line}): ${what}. Raise \`max_len\` of the ${report.side} side to keep them${report.action === 'drop' ? ', or set `too_long: truncate` to cut them' : ''}.`;
}

/**
 * The decoder's input and target for one target (ids without start or end token) over `steps`
 * positions (at least `ids.length + 1`): input `<start>, t1 … tk`, target `t1 … tk, <end>`, padding after.
 * @throws RangeError when the target does not fit in `steps`.
 */
export function teacherForcing(ids: readonly number[], steps: number): { input: Int32Array; target: Int32Array } {
  if (ids.length + 1 > steps) throw new RangeError(`a target of ${ids.length} tokens needs ${ids.length + 1} decoder steps, but there are ${steps}.`);
  const input = new Int32Array(steps).fill(PADDING_ID);
  const target = new Int32Array(steps).fill(PADDING_ID);
  input[0] = START_ID;
  input.set(ids, 1);
  target.set(ids, 0);
  target[ids.length] = END_ID;
  return { input, target };
}

/** The arrays of a split: `sourceSteps` / `targetSteps` from the training split's limits. */
export function teacherForcingArrays(tokenized: Pick<TokenizedPairs, 'source' | 'target'>, sourceSteps: number, targetSteps: number): TeacherForcingArrays {
  const count = tokenized.source.length;
  const encoderInput = new Int32Array(count * sourceSteps);
  const decoderInput = new Int32Array(count * targetSteps);
  const decoderTarget = new Int32Array(count * targetSteps);
  for (let i = 0; i < count; i++) {
    encoderInput.set(tokenized.source[i].slice(0, sourceSteps), i * sourceSteps);
    const { input, target } = teacherForcing(tokenized.target[i], targetSteps);
    decoderInput.set(input, i * targetSteps);
    decoderTarget.set(target, i * targetSteps);
  }
  return { count, sourceSteps, targetSteps, encoderInput, decoderInput, decoderTarget };
}

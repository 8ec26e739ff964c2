/**
 * Next-token training pairs: consecutive chunks of `length` tokens -> the same chunk shifted by
 * one. Both are views of the one id array (`y` starts one token later), so a corpus costs 4 bytes
 * per token, not 12.
 */

export interface TokenChunks {
  /** `[count, length]` */
  x: Int32Array;
  /** `[count, length]` */
  y: Int32Array;
  count: number;
}

export function nextTokenChunks(ids: Int32Array, length: number): TokenChunks {
  const count = Math.max(0, Math.floor((ids.length - 1) / length));
  return { x: ids.subarray(0, count * length), y: ids.subarray(1, count * length + 1), count };
}

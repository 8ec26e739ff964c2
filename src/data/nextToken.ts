/** Next-token training pairs: consecutive chunks of `length` tokens -> the same chunk shifted by one. */

export interface TokenChunks {
  /** `[count, length]` */
  x: Int32Array;
  /** `[count, length]` */
  y: Int32Array;
  count: number;
}

export function nextTokenChunks(ids: Int32Array, length: number): TokenChunks {
  const count = Math.max(0, Math.floor((ids.length - 1) / length));
  const x = new Int32Array(count * length);
  const y = new Int32Array(count * length);
  for (let i = 0; i < count; i++) {
    x.set(ids.subarray(i * length, (i + 1) * length), i * length);
    y.set(ids.subarray(i * length + 1, (i + 1) * length + 1), i * length);
  }
  return { x, y, count };
}

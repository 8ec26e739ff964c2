/** How view values are rounded before they are stored: enough for a picture, small on disk. */

/** 4 decimals: for values of order 1 (hidden states, gate means). */
export function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/** 4 significant digits: for values spanning orders of magnitude (gradient norms, coordinates). */
export function significant(value: number): number {
  return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(4)) : value;
}

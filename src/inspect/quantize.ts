/**
 * One byte per heatmap value (see `QuantizedMatrix` in the protocol): a 200 x 64 gate matrix is
 * 12.8 kB instead of about 250 kB of JSON numbers, at a resolution of 1/255 of its range.
 */
import type { QuantizedMatrix } from '../protocol';

/**
 * Quantises `rows` x `cols` values read by `at(row, col)`. The range is [min, max] of the values,
 * widened to `bounds` when given (a sigmoid gate is always quantised on [0, 1]).
 */
export function quantize(rows: number, cols: number, at: (row: number, col: number) => number, bounds?: readonly [number, number]): QuantizedMatrix {
  let min = bounds ? bounds[0] : Infinity;
  let max = bounds ? bounds[1] : -Infinity;
  if (!bounds) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const value = at(r, c);
        if (value < min) min = value;
        if (value > max) max = value;
      }
    }
  }
  if (!(max > min)) max = min + 1; // a constant (or empty) matrix still decodes to its value
  if (!Number.isFinite(min)) [min, max] = [0, 1];
  const bytes = new Uint8Array(rows * cols);
  const scale = 255 / (max - min);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) bytes[r * cols + c] = Math.round(Math.min(Math.max((at(r, c) - min) * scale, 0), 255));
  }
  return { rows, cols, min, max, data: Buffer.from(bytes).toString('base64') };
}

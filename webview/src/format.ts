/** Number and shape formatting shared by the views. Pure. */
import type { Shape } from '../../src/language/types';

/** Keras prints output shapes as `(None, 40, 64)`. */
export function formatShape(shape: Shape): string {
  const dims = shape.map((dim) => (dim === null ? 'None' : String(dim)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Four significant digits, plain notation for ordinary magnitudes, exponent for tiny ones. */
export function formatValue(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** The epoch slider's words for a snapshot: -1 is the untrained model. */
export function snapshotLabel(epoch: number, epochs?: number): string {
  if (epoch < 0) return 'before training';
  return epochs ? `after epoch ${epoch + 1} of ${epochs}` : `after epoch ${epoch + 1}`;
}

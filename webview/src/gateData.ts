/**
 * Gate snapshots as the heatmaps draw them: quantised matrices decoded back to values, the gates'
 * names as a learner reads them, and the colour scale each one is drawn with. Pure (no DOM).
 */
import type { CellKind, GateName, QuantizedMatrix } from '../../src/protocol';
import type { HeatmapScale } from './colorScale';

/** Decodes `value = min + (max - min) * byte / 255`, row-major, as a Float32Array. Cached per matrix. */
export function decodeMatrix(matrix: QuantizedMatrix): Float32Array {
  let values = decoded.get(matrix);
  if (!values) {
    const bytes = atob(matrix.data);
    const count = Math.min(bytes.length, matrix.rows * matrix.cols);
    values = new Float32Array(matrix.rows * matrix.cols);
    const step = (matrix.max - matrix.min) / 255;
    for (let i = 0; i < count; i++) values[i] = matrix.min + step * bytes.charCodeAt(i);
    decoded.set(matrix, values);
  }
  return values;
}

const decoded = new WeakMap<QuantizedMatrix, Float32Array>();

const GATE_TITLES: Record<GateName, string> = {
  input: 'input gate i',
  forget: 'forget gate f',
  cell: 'candidate g',
  output: 'output gate o',
  update: 'update gate z',
  reset: 'reset gate r',
  candidate: 'candidate h̃',
};

export function gateTitle(gate: GateName): string {
  return GATE_TITLES[gate];
}

/** What the per-timestep mean of the keeping gate is called for each cell. */
export function keepQuantity(cell: CellKind): string {
  return cell === 'gru' ? 'memory kept (mean update gate z)' : 'memory kept (mean forget gate f)';
}

/**
 * Sigmoid gates on their fixed [0, 1] (sequential), tanh candidates on [-1, 1] (diverging), other
 * activations on their observed range: diverging when it spans 0, sequential otherwise.
 */
export function gateScale(matrix: QuantizedMatrix): HeatmapScale {
  if (matrix.min < 0 && matrix.max > 0) return { kind: 'diverging', limit: Math.max(-matrix.min, matrix.max) };
  return { kind: 'sequential', min: matrix.min, max: matrix.max };
}

/**
 * The lines of the gradient-flow chart, from one run's `gradients` events or several runs' (the
 * vanishing-gradient picture: SimpleRNN, LSTM and GRU on the same data). Pure, tested in Node.
 */
import type { CellKind, Direction, GradientFlowEvent } from '../../src/protocol';
import { shownEpoch } from './epochs';
import { snapshotLabel } from './format';

/** A chart per recurrent layer and direction, by position in the events' `layers`. */
export interface FlowChartKey {
  index: number;
  layer: string;
  cell: CellKind;
  direction: Direction;
}

export interface FlowLine {
  label: string;
  /** ‖∂L/∂h_t‖ per timestep; null where it cannot be drawn on a log scale (0, non-finite). */
  norms: (number | null)[];
  /** The epoch the slider is on (drawn strongest), an earlier one of this run, or another run. */
  role: 'selected' | 'earlier' | 'other-run';
  /** 0 (earliest) .. 1 (selected): how strongly an earlier epoch is drawn. */
  weight: number;
}

/** Another run on the same data, overlaid at its last epoch. */
export interface RunOverlay {
  name: string;
  gradients: readonly GradientFlowEvent[];
}

export function flowCharts(gradients: readonly GradientFlowEvent[]): FlowChartKey[] {
  const last = gradients[gradients.length - 1];
  return last ? last.layers.map((layer, index) => ({ index, layer: layer.layer, cell: layer.cell, direction: layer.direction })) : [];
}

/**
 * At most `maxEarlier` earlier epochs (evenly spaced, before training first) faint, the selected one
 * strong, then every overlaid run's last epoch of the layer at the same position.
 */
export function flowLines(
  gradients: readonly GradientFlowEvent[],
  chart: FlowChartKey,
  selected: number | null,
  overlays: readonly RunOverlay[] = [],
  maxEarlier = 4,
  totalEpochs?: number,
): FlowLine[] {
  const epochs = gradients.map((g) => g.epoch);
  const shown = shownEpoch(epochs, selected);
  const earlier = gradients.filter((g) => shown !== undefined && g.epoch < shown);
  const step = Math.max(1, Math.ceil(earlier.length / maxEarlier));
  const picked = earlier.filter((_, i) => i % step === 0).slice(0, maxEarlier);
  const lines: FlowLine[] = picked.map((g, i) => ({
    label: snapshotLabel(g.epoch, totalEpochs),
    norms: drawable(g.layers[chart.index]?.norms),
    role: 'earlier',
    weight: (i + 1) / (picked.length + 1),
  }));
  const current = gradients.find((g) => g.epoch === shown);
  if (current) lines.push({ label: snapshotLabel(current.epoch, totalEpochs), norms: drawable(current.layers[chart.index]?.norms), role: 'selected', weight: 1 });
  for (const overlay of overlays) {
    const last = overlay.gradients[overlay.gradients.length - 1];
    const layer = last?.layers[chart.index];
    if (layer) lines.push({ label: `${overlay.name} (${layer.cell}, ${snapshotLabel(last.epoch)})`, norms: drawable(layer.norms), role: 'other-run', weight: 1 });
  }
  return lines;
}

function drawable(norms: readonly number[] | undefined): (number | null)[] {
  return (norms ?? []).map((value) => (Number.isFinite(value) && value > 0 ? value : null));
}

/**
 * ‖∂L/∂h_first‖ / ‖∂L/∂h_last‖ in processing order (the first timestep a direction reads over the
 * last): how much of the loss's gradient survives the trip back through the sequence.
 */
export function survivingFraction(norms: readonly number[], direction: Direction): number | undefined {
  if (norms.length < 2) return undefined;
  const [first, last] = direction === 'forward' ? [norms[0], norms[norms.length - 1]] : [norms[norms.length - 1], norms[0]];
  return last > 0 && Number.isFinite(first) ? first / last : undefined;
}

/** Most labels a log axis gets: a gradient that vanishes over 12 decades would otherwise overprint them. */
const MAX_DECADE_LABELS = 6;

/** Powers of ten within [min, max], every one or every few, so at most MAX_DECADE_LABELS. */
export function decadeSplits(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const [low, high] = [Math.ceil(Math.log10(min) - 1e-9), Math.floor(Math.log10(max) + 1e-9)];
  const step = Math.max(1, Math.ceil((high - low + 1) / MAX_DECADE_LABELS));
  const splits: number[] = [];
  for (let k = high; k >= low; k -= step) splits.unshift(10 ** k);
  return splits;
}

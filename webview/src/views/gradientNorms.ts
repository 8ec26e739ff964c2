/**
 * The global gradient norm of every batch (all weights' gradients as one vector), before and after
 * `clipnorm`, on a log scale: exploding gradients show as spikes, clipping as the second line
 * staying under its ceiling.
 */
import uPlot from 'uplot';
import { el, setText } from '../dom';
import { formatValue } from '../format';
import { scheduleDraw, visibilityOf, type DrawJob } from '../frameBudget';
import { envelopeIndices } from '../series';
import { CLIPPED_GRAD_NORM, GRAD_NORM, type RunState } from '../state';
import type { Theme } from '../theme';
import { ResizingPlot, themedAxis } from './plot';

const CHART_HEIGHT = 200;

export class GradientNormsView implements DrawJob {
  readonly element: HTMLElement;
  readonly isVisible: () => boolean;
  private pending?: { state: RunState; theme: Theme; rebuild: boolean; clipped: boolean; reported: number };
  /** The next step makes a new chart (frameBudget.ts). */
  heavy = false;
  private readonly body = el('div', { className: 'chart-body', attrs: { 'data-quantity': 'grad-norm', 'data-points': '0' } });
  private readonly note = el('p', { className: 'muted view-note' });
  private readonly chart = new ResizingPlot(this.body, CHART_HEIGHT);
  private drawnKey = '';

  constructor() {
    this.element = el('section', { className: 'gradient-norms' }, el('h2', { text: 'Gradient norm per batch' }), this.note, el('div', { className: 'chart-card' }, this.body));
    this.element.hidden = true;
    this.isVisible = visibilityOf(this.element);
  }

  get plot(): uPlot | undefined {
    return this.chart.plot;
  }

  update(state: RunState, theme: Theme, rebuild: boolean): void {
    const { batches } = state;
    const n = batches.length;
    // The columns as stored (read up to n): copying 100,000 batches on every redraw would cost frames.
    const before = batches.values[GRAD_NORM] ?? [];
    const after = batches.values[CLIPPED_GRAD_NORM] ?? [];
    const reported = countFinite(before, n);
    this.element.hidden = reported === 0;
    if (this.element.hidden) return;
    const clipped = countFinite(after, n) > 0;
    const key = `${n}/${theme.kind}/${clipped}`;
    if (!rebuild && (this.plot || this.pending) && key === this.drawnKey) return;
    this.drawnKey = key;
    this.pending = { state, theme, rebuild: rebuild || (this.pending?.rebuild ?? false), clipped, reported };
    this.heavy = this.pending.rebuild || this.plot?.series.length !== (clipped ? 3 : 2);
    scheduleDraw(this);
  }

  /** The chart, in frames of the frame budget: a new chart in one of its own, then a pass over every batch and uPlot. */
  draw(): void {
    if (!this.pending) return;
    const { state, theme, rebuild, clipped, reported } = this.pending;
    const plot = this.chart.plot;
    const series = clipped ? 3 : 2;
    if (rebuild || !plot || plot.series.length !== series) {
      // A new chart (its DOM, its layout) is a frame's work of its own: the rows go in at the next.
      this.chart.replace(chartOptions(theme, clipped), Array.from({ length: series }, () => []) as unknown as uPlot.AlignedData);
      this.pending = { ...this.pending, rebuild: false };
      this.heavy = false;
      scheduleDraw(this);
      return;
    }
    this.pending = undefined;
    const { batches } = state;
    const n = batches.length;
    const before = batches.values[GRAD_NORM] ?? [];
    const after = batches.values[CLIPPED_GRAD_NORM] ?? [];
    setText(
      this.note,
      clipped
        ? 'The L2 norm of all gradients of a batch, as computed and after `clipnorm` rescaled each gradient (Keras clips every weight’s gradient on its own).'
        : 'The L2 norm of all gradients of a batch. Spikes are exploding gradients; `train.clipnorm` would cap them.',
    );
    const perEpoch = state.run?.batchesPerEpoch || 1;
    const xOf = (i: number): number => (batches.step[i] + 1) / perEpoch;
    // Thinned to each 2 px column's envelope, as the loss curve is (series.ts).
    const rows = envelopeIndices(xOf, n, clipped ? [before, after] : [before], Math.ceil(Math.max(this.plot?.width ?? 600, 200) / 2));
    const positive = (values: readonly number[]) => rows.map((i) => (Number.isFinite(values[i]) && values[i] > 0 ? values[i] : null));
    const data: uPlot.AlignedData = [rows.map(xOf), positive(before), ...(clipped ? [positive(after)] : [])];
    this.body.dataset.points = String(reported);
    plot.setData(data);
  }

  clear(): void {
    this.pending = undefined;
    this.chart.plot?.destroy();
    this.chart.plot = undefined;
    this.body.replaceChildren();
  }
}

function chartOptions(theme: Theme, clipped: boolean): Omit<uPlot.Options, 'width' | 'height'> {
  const axis = themedAxis(theme);
  const line = (label: string, stroke: string, width: number): uPlot.Series => ({
    label,
    stroke,
    width,
    spanGaps: true,
    points: { show: false },
    value: (_plot, value) => (value === null ? '' : formatValue(value)),
  });
  return {
    scales: { x: { time: false }, y: { distr: 3 } },
    axes: [
      { ...axis, label: 'epoch' },
      { ...axis, size: 56, values: (_plot, splits) => splits.map((v) => formatValue(v)) },
    ],
    series: [
      { label: 'epoch', value: (_plot, value) => (value === null ? '' : `epoch ${value.toFixed(2)}`) },
      line(clipped ? 'before clipping' : 'gradient norm', theme.train, 1),
      ...(clipped ? [line('after clipnorm', theme.validation, 1.5)] : []),
    ],
    legend: { live: true },
  };
}

function countFinite(values: readonly number[], n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i])) count += 1;
  return count;
}

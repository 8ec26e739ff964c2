/**
 * The global gradient norm of every batch (all weights' gradients as one vector), before and after
 * `clipnorm`, on a log scale: exploding gradients show as spikes, clipping as the second line
 * staying under its ceiling.
 */
import uPlot from 'uplot';
import { el, setText } from '../dom';
import { formatValue } from '../format';
import { CLIPPED_GRAD_NORM, columnOf, GRAD_NORM, type RunState } from '../state';
import type { Theme } from '../theme';
import { ResizingPlot, themedAxis } from './plot';

const CHART_HEIGHT = 200;

export class GradientNormsView {
  readonly element: HTMLElement;
  private readonly body = el('div', { className: 'chart-body', attrs: { 'data-quantity': 'grad-norm', 'data-points': '0' } });
  private readonly note = el('p', { className: 'muted view-note' });
  private readonly chart = new ResizingPlot(this.body, CHART_HEIGHT);
  private drawnKey = '';

  constructor() {
    this.element = el('section', { className: 'gradient-norms' }, el('h2', { text: 'Gradient norm per batch' }), this.note, el('div', { className: 'chart-card' }, this.body));
    this.element.hidden = true;
  }

  get plot(): uPlot | undefined {
    return this.chart.plot;
  }

  update(state: RunState, theme: Theme, rebuild: boolean): void {
    const before = columnOf(state.batches, GRAD_NORM);
    this.element.hidden = before.every((value) => !Number.isFinite(value));
    if (this.element.hidden) return;
    const after = columnOf(state.batches, CLIPPED_GRAD_NORM);
    const clipped = after.some(Number.isFinite);
    const key = `${state.batches.length}/${theme.kind}/${clipped}`;
    if (!rebuild && this.plot && key === this.drawnKey) return;
    this.drawnKey = key;
    setText(
      this.note,
      clipped
        ? 'The L2 norm of all gradients of a batch, as computed and after `clipnorm` rescaled each gradient (Keras clips every weight’s gradient on its own).'
        : 'The L2 norm of all gradients of a batch. Spikes are exploding gradients; `train.clipnorm` would cap them.',
    );
    const perEpoch = state.run?.batchesPerEpoch || 1;
    const x = state.batches.step.slice(0, state.batches.length).map((step) => (step + 1) / perEpoch);
    const positive = (values: readonly number[]) => values.map((v) => (Number.isFinite(v) && v > 0 ? v : null));
    const data: uPlot.AlignedData = [x, positive(before), ...(clipped ? [positive(after)] : [])];
    this.body.dataset.points = String(before.filter(Number.isFinite).length);
    const plot = this.chart.plot;
    if (rebuild || !plot || plot.series.length !== data.length) this.chart.replace(chartOptions(theme, clipped), data);
    else plot.setData(data);
  }

  clear(): void {
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

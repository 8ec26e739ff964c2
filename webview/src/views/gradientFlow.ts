/**
 * Gradient flow (RNNbow; distill.pub's "memorization in RNNs"): ‖∂L/∂h_t‖ against the timestep t,
 * on a log scale, for each recurrent layer — the vanishing gradient, visible. Earlier epochs are
 * drawn faint behind the one the epoch slider is on; other runs on the same data (SimpleRNN vs LSTM
 * vs GRU) can be overlaid.
 */
import uPlot from 'uplot';
import type { GradientFlowEvent } from '../../../src/protocol';
import { CATEGORY_COLOURS } from '../colorScale';
import { el, setText } from '../dom';
import { sectionPlaceholder } from '../sectionStatus';
import { unionEpochs } from '../epochs';
import { decadeSplits, flowCharts, flowLines, survivingFraction, type FlowChartKey, type FlowLine, type RunOverlay } from '../flowSeries';
import { formatValue } from '../format';
import { scheduleDraw, visibilityOf, type DrawJob } from '../frameBudget';
import type { ViewSettings } from '../host';
import type { RunState } from '../state';
import { withAlpha, type Theme } from '../theme';
import { EpochSlider } from './epochSlider';
import { ResizingPlot, themedAxis } from './plot';

const CHART_HEIGHT = 240;

export interface GradientFlowActions {
  changeSettings(patch: Partial<ViewSettings>): void;
}

export class GradientFlowView {
  readonly element: HTMLElement;
  /** uPlot instances by `layer/direction`, for browser tests. */
  readonly charts: Record<string, uPlot> = {};
  private readonly grid = el('div', { className: 'chart-grid' });
  private readonly empty = el('p', { className: 'empty' });
  private readonly note = el('p', { className: 'muted view-note' });
  private readonly slider: EpochSlider;
  private readonly cards = new Map<string, FlowCard>();
  private overlays: readonly RunOverlay[] = [];

  constructor(actions: GradientFlowActions) {
    this.slider = new EpochSlider((selectedEpoch) => actions.changeSettings({ selectedEpoch }));
    this.element = el(
      'section',
      { className: 'gradient-flow' },
      el('h2', { text: 'Gradient flow' }),
      el('div', { className: 'controls' }, this.slider.element),
      this.note,
      this.empty,
      this.grid,
    );
  }

  /** Other runs on the same data, drawn dashed at their last epoch. */
  setOverlays(overlays: readonly RunOverlay[]): void {
    this.overlays = overlays;
  }

  update(state: RunState, settings: ViewSettings, theme: Theme, rebuild: boolean): void {
    const { gradients } = state;
    this.empty.hidden = gradients.length > 0;
    setText(this.empty, sectionPlaceholder(state, 'gradient-flow'));
    this.element.dataset.epochs = String(gradients.length);
    this.slider.update(unionEpochs(gradients), settings.selectedEpoch, state.run?.epochs);
    const last = gradients[gradients.length - 1];
    setText(
      this.note,
      last
        ? `‖∂L/∂hₜ‖ for every timestep t: the gradient of the loss (mean over ${last.sequences} validation sequences, the same every epoch) with respect to each hidden state. Where it falls by orders of magnitude towards t = 0, early inputs can no longer teach the model: the gradient vanishes.`
        : '',
    );
    for (const chart of flowCharts(gradients)) {
      const key = `${chart.layer}/${chart.direction}`;
      let card = this.cards.get(key);
      if (!card) {
        card = new FlowCard(key, (plot) => (this.charts[key] = plot));
        this.cards.set(key, card);
        this.grid.append(card.element);
      }
      card.update(gradients, chart, settings.selectedEpoch, this.overlays, theme, rebuild, state.run?.epochs);
    }
  }

  clear(): void {
    for (const card of this.cards.values()) card.destroy();
    this.cards.clear();
    this.grid.replaceChildren();
    for (const key of Object.keys(this.charts)) delete this.charts[key];
  }
}

/** One layer's chart. Re-creating a uPlot chart takes several milliseconds: it waits for a frame with time to spare. */
class FlowCard implements DrawJob {
  readonly element: HTMLElement;
  readonly isVisible: () => boolean;
  private readonly title = el('h3');
  private readonly ratio = el('p', { className: 'muted flow-ratio' });
  private readonly body: HTMLElement;
  private readonly chart: ResizingPlot;
  private drawnKey = '';
  private pending?: { chart: FlowChartKey; lines: FlowLine[]; theme: Theme };
  private destroyed = false;

  constructor(
    key: string,
    private readonly created: (plot: uPlot) => void,
  ) {
    this.body = el('div', { className: 'chart-body', attrs: { 'data-flow': key } });
    this.element = el('div', { className: 'chart-card' }, this.title, this.body, this.ratio);
    this.chart = new ResizingPlot(this.body, CHART_HEIGHT);
    this.isVisible = visibilityOf(this.element);
  }

  get plot(): uPlot | undefined {
    return this.chart.plot;
  }

  update(
    gradients: readonly GradientFlowEvent[],
    chart: FlowChartKey,
    selected: number | null,
    overlays: readonly RunOverlay[],
    theme: Theme,
    rebuild: boolean,
    totalEpochs: number | undefined,
  ): void {
    const key = `${gradients.length}/${selected}/${overlays.length}/${theme.kind}`;
    if (!rebuild && (this.plot || this.pending) && key === this.drawnKey) return;
    this.drawnKey = key;
    this.pending = { chart, lines: flowLines(gradients, chart, selected, overlays, 4, totalEpochs), theme };
    scheduleDraw(this);
  }

  draw(): void {
    if (!this.pending || this.destroyed) return;
    const { chart, lines, theme } = this.pending;
    this.pending = undefined;
    setText(this.title, `${chart.layer} (${chart.cell}${chart.direction === 'backward' ? ', backward' : ''})`);
    const steps = Math.max(0, ...lines.map((line) => line.norms.length));
    const data: uPlot.AlignedData = [Array.from({ length: steps }, (_, t) => t), ...lines.map((line) => line.norms)];
    this.created(this.chart.replace(chartOptions(lines, theme), data));
    this.body.dataset.lines = String(lines.length);
    setText(this.ratio, ratioText(chart, lines));
  }

  destroy(): void {
    this.destroyed = true;
    this.chart.destroy();
  }
}

/** The surviving fraction of the gradient at the epoch the slider is on. */
function ratioText(chart: FlowChartKey, lines: FlowLine[]): string {
  const selected = lines.find((line) => line.role === 'selected');
  const fraction = selected && survivingFraction(selected.norms.map((v) => v ?? 0), chart.direction);
  if (fraction === undefined || !selected) return '';
  const ratio = chart.direction === 'forward' ? '‖∂L/∂h₀‖ / ‖∂L/∂h_T‖' : '‖∂L/∂h_T‖ / ‖∂L/∂h₀‖ (read backwards)';
  return `${ratio} = ${formatValue(fraction)}, ${selected.label}`;
}

function chartOptions(lines: FlowLine[], theme: Theme): Omit<uPlot.Options, 'width' | 'height'> {
  const axis = themedAxis(theme);
  let otherRuns = 0;
  return {
    scales: { x: { time: false }, y: { distr: 3 } },
    axes: [
      { ...axis, label: 'timestep t' },
      {
        ...axis,
        size: 64,
        label: '‖∂L/∂hₜ‖',
        splits: (_plot, _axis, min, max) => decadeSplits(min, max),
        // Already thinned: uPlot's own log filter would blank some of them again.
        filter: (_plot, splits) => splits,
        values: (_plot, splits) => splits.map((v) => (v > 0 ? `1e${Math.round(Math.log10(v))}` : '')),
      },
    ],
    series: [
      { label: 't', value: (_plot, value) => (value === null ? '' : `t = ${value}`) },
      ...lines.map((line): uPlot.Series => {
        const colour = line.role === 'other-run' ? CATEGORY_COLOURS[1 + (otherRuns++ % (CATEGORY_COLOURS.length - 1))] : theme.train;
        return {
          label: line.label,
          stroke: line.role === 'earlier' ? withAlpha(colour, 0.15 + 0.5 * line.weight) : colour,
          width: line.role === 'selected' ? 2.5 : 1.5,
          ...(line.role === 'other-run' ? { dash: [6, 4] } : {}),
          spanGaps: true,
          points: { show: false },
          value: (_plot, value) => (value === null ? '' : formatValue(value)),
        };
      }),
    ],
    legend: { live: true },
  };
}

/**
 * Loss and metric curves (uPlot): one chart per quantity, train per batch (raw and EMA-smoothed),
 * train and validation per epoch. Streaming appends go through setData; a chart is re-created only
 * when the theme or the y scale type changes.
 */
import uPlot from 'uplot';
import type { ViewSettings } from '../host';
import { baselinePlugin, rangeWithBaselines, type BaselineLine } from '../baselineLines';
import { chartBaselines } from '../chartBaselines';
import { CURVE_SERIES, curveData } from '../series';
import type { RunState } from '../state';
import type { Theme } from '../theme';
import { el, setText } from '../dom';
import { formatValue } from '../format';
import { sectionPlaceholder } from '../sectionStatus';
import { button, checkbox, setChecked } from '../toolkit';

const CHART_HEIGHT = 220;
const MIN_CHART_WIDTH = 120;

export interface CurvesActions {
  changeSettings(patch: Partial<ViewSettings>): void;
  exportCsv(): void;
}

export class CurvesView {
  readonly element: HTMLElement;
  /** uPlot instances by quantity, exposed to browser tests through window.__seqlab. */
  readonly charts: Record<string, uPlot> = {};
  private readonly cards = new Map<string, ChartCard>();
  private readonly grid = el('div', { className: 'chart-grid' });
  private readonly empty = el('p', { className: 'empty' });
  private readonly smoothingValue = el('span', { className: 'slider-value' });
  private readonly smoothing: HTMLInputElement;
  private readonly logScale: HTMLElement;

  constructor(settings: ViewSettings, actions: CurvesActions) {
    this.smoothing = el('input', {
      attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing' },
    });
    this.smoothing.value = String(settings.smoothing);
    this.smoothing.addEventListener('input', () => actions.changeSettings({ smoothing: Number(this.smoothing.value) }));
    this.logScale = checkbox('Log scale', settings.logScale, (logScale) => actions.changeSettings({ logScale }));
    const controls = el(
      'div',
      { className: 'controls' },
      el('label', { className: 'slider' }, 'Smoothing', this.smoothing, this.smoothingValue),
      this.logScale,
      button('Export CSV', actions.exportCsv, 'secondary'),
    );
    this.element = el('section', { className: 'curves' }, el('h2', { text: 'Curves' }), controls, this.empty, this.grid);
  }

  /** `rebuild` re-creates the charts (theme or scale type changed). */
  update(state: RunState, settings: ViewSettings, theme: Theme, rebuild: boolean): void {
    this.smoothing.value = String(settings.smoothing);
    setText(this.smoothingValue, settings.smoothing.toFixed(2));
    setChecked(this.logScale, settings.logScale);
    this.empty.hidden = state.quantities.length > 0;
    setText(this.empty, sectionPlaceholder(state, 'curves'));
    for (const quantity of state.quantities) {
      let card = this.cards.get(quantity);
      if (!card) {
        card = new ChartCard(quantity);
        this.cards.set(quantity, card);
        this.grid.append(card.element);
      }
      card.update(state, settings, theme, rebuild);
      if (card.plot) this.charts[quantity] = card.plot;
    }
  }

  /** A new run: drop every chart. */
  clear(): void {
    for (const card of this.cards.values()) card.destroy();
    this.cards.clear();
    this.grid.replaceChildren();
    for (const quantity of Object.keys(this.charts)) delete this.charts[quantity];
  }
}

class ChartCard {
  readonly element: HTMLElement;
  plot?: uPlot;
  private readonly body: HTMLElement;
  private drawnKey = '';
  private width = 0;
  /** The baselines drawn as labelled lines (issue 8 §1); read by the plugin at every redraw. */
  private baselines: BaselineLine[] = [];
  // Only a width change resizes the plot: setSize re-lays out the legend, which would retrigger us.
  private readonly resize = new ResizeObserver(() => {
    if (this.plot && this.body.clientWidth !== this.width) this.plot.setSize(this.size());
  });

  constructor(private readonly quantity: string) {
    this.body = el('div', { className: 'chart-body', attrs: { 'data-quantity': quantity, 'data-points': '0' } });
    this.element = el('div', { className: 'chart-card' }, el('h3', { text: quantityTitle(quantity) }), this.body);
    this.resize.observe(this.body);
  }

  update(state: RunState, settings: ViewSettings, theme: Theme, rebuild: boolean): void {
    // Skip the work when nothing this chart shows has changed (most frames during a long run).
    const key = `${state.batches.length}/${state.epochs.length}/${settings.smoothing}/${settings.logScale}/${state.baselines?.length ?? 0}`;
    if (!rebuild && this.plot && key === this.drawnKey) return;
    this.drawnKey = key;
    this.baselines = chartBaselines(state.baselines, this.quantity);
    this.body.dataset.baselines = this.baselines.map((line) => `${line.label}=${line.value}`).join(';');
    const curves = curveData(state, this.quantity, settings);
    const data: uPlot.AlignedData = [curves.x, ...curves.series];
    this.body.dataset.points = String(curves.points);
    if (rebuild || !this.plot) {
      this.plot?.destroy();
      this.plot = new uPlot(chartOptions(theme, settings.logScale, this.size(), () => this.baselines), data, this.body);
    } else {
      this.plot.setData(data);
    }
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
  }

  private size(): { width: number; height: number } {
    this.width = this.body.clientWidth;
    // Down to the narrowest panel (250 px): a chart wider than its card would scroll the page sideways.
    return { width: Math.max(this.width, MIN_CHART_WIDTH), height: CHART_HEIGHT };
  }
}

function chartOptions(theme: Theme, logScale: boolean, size: { width: number; height: number }, baselines: () => readonly BaselineLine[]): uPlot.Options {
  const axis: uPlot.Axis = {
    stroke: theme.mutedForeground,
    font: theme.font,
    labelFont: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
  const line = (stroke: string, width: number, points: boolean, dash?: number[]): uPlot.Series => ({
    stroke,
    width,
    dash,
    spanGaps: true,
    points: points ? { show: true, size: 7, fill: stroke, stroke } : { show: false },
    // Values show in the legend only while the cursor is over the chart.
    value: (_plot, value) => (value === null ? '' : formatValue(value)),
  });
  const [raw, smoothed, trainEpoch, validationEpoch] = CURVE_SERIES;
  return {
    ...size,
    scales: { x: { time: false }, y: { distr: logScale ? 3 : 1, range: rangeWithBaselines(baselines, logScale) } },
    axes: [
      { ...axis, label: 'epoch' },
      { ...axis, size: 56, values: (_plot, splits) => splits.map((v) => formatValue(v)) },
    ],
    series: [
      { label: 'epoch', value: (_plot, value) => (value === null ? '' : `epoch ${value.toFixed(2)}`) },
      { label: raw, ...line(theme.trainFaint, 1, false) },
      { label: smoothed, ...line(theme.train, 2, false) },
      { label: trainEpoch, ...line(theme.train, 1, true, [4, 4]) },
      { label: validationEpoch, ...line(theme.validation, 2, true) },
    ],
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    plugins: [baselinePlugin(baselines, theme)],
  };
}

const TITLES: Record<string, string> = {
  loss: 'Loss',
  acc: 'Accuracy',
  accuracy: 'Accuracy',
  mae: 'Mean absolute error',
  mse: 'Mean squared error',
};

function quantityTitle(quantity: string): string {
  return TITLES[quantity] ?? quantity;
}

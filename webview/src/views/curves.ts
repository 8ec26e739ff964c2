/**
 * Loss and metric curves (uPlot): one chart per quantity, train per batch (raw and EMA-smoothed),
 * train and validation per epoch. Streaming appends go through setData; a chart is re-created only
 * when the theme or the y scale type changes.
 */
import uPlot from 'uplot';
import type { ViewSettings } from '../host';
import { baselinePlugin, rangeWithBaselines, type BaselineLine } from '../baselineLines';
import { chartBaselines } from '../chartBaselines';
import { curveData, curveRows, CURVE_SERIES, type CurveData } from '../series';
import type { RunState } from '../state';
import type { Theme } from '../theme';
import { el, setText } from '../dom';
import { formatValue } from '../format';
import { scheduleDraw, visibilityOf, type DrawJob } from '../frameBudget';
import { sectionPlaceholder } from '../sectionStatus';
import { button, checkbox, setChecked } from '../toolkit';

const CHART_HEIGHT = 220;
const MIN_CHART_WIDTH = 120;
/**
 * Columns the batches are thinned to, one per 2 px of chart: the lowest and highest batch of each
 * still draw the line's full envelope (spikes included), at half the points to draw.
 */
function columns(width: number): number {
  return Math.ceil(Math.max(width, MIN_CHART_WIDTH) / 2);
}

/** Time the pass over the batches may take in one frame (ms). */
const ROWS_BUDGET_MS = 6;

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
    warmUpCharts();
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
        card = new ChartCard(quantity, (plot) => (this.charts[quantity] = plot));
        this.cards.set(quantity, card);
        this.grid.append(card.element);
      }
      card.update(state, settings, theme, rebuild);
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

/**
 * The browser compiles uPlot's code when a first chart is made, a frame's work (about 30 ms of CPU
 * here): done while the panel is idle, not when the first batch of a live run arrives.
 */
function warmUpCharts(): void {
  requestIdleCallback(
    () => {
      const chart = new uPlot({ width: 200, height: 100, series: [{}, { stroke: 'black' }] }, [[0, 1], [1, 2]], el('div'));
      queueMicrotask(() => chart.destroy()); // after its first draw
    },
    { timeout: 2000 },
  );
}

interface ChartRequest {
  state: RunState;
  settings: ViewSettings;
  theme: Theme;
  rebuild: boolean;
}

/**
 * One quantity's chart, drawn in steps of the frame budget (frameBudget.ts): the rows (one pass over
 * every batch, in slices), a new uPlot chart when there is none (or the theme or scale changed), then
 * the rows into the chart. Together they would fill a frame of a 100,000-batch run.
 */
class ChartCard implements DrawJob {
  readonly element: HTMLElement;
  readonly isVisible: () => boolean;
  plot?: uPlot;
  /** The newest state to draw, and the one being drawn (its rows, then the chart). */
  private pending?: ChartRequest;
  private drawing?: ChartRequest & { rows: Generator<void, CurveData>; width: number; done?: { data: uPlot.AlignedData; points: number } };
  private destroyed = false;
  /** The next step makes a new chart (frameBudget.ts). */
  heavy = false;
  private readonly body: HTMLElement;
  private drawnKey = '';
  private width = 0;
  /** What the chart draws, kept to thin it again when zoomed. */
  private shown?: { state: RunState; settings: ViewSettings };
  private extent = { min: 0, max: 0 };
  private focus?: { min: number; max: number };
  private refocusing = false;
  /** The baselines drawn as labelled lines (issue 8 §1); read by the plugin at every redraw. */
  private baselines: BaselineLine[] = [];
  // Only a width change resizes the plot: setSize re-lays out the legend, which would retrigger us.
  private readonly resize = new ResizeObserver(() => {
    if (this.plot && this.body.clientWidth !== this.width) this.plot.setSize(this.size());
  });

  constructor(
    private readonly quantity: string,
    private readonly created: (plot: uPlot) => void,
  ) {
    this.body = el('div', { className: 'chart-body', attrs: { 'data-quantity': quantity, 'data-points': '0' } });
    this.element = el('div', { className: 'chart-card' }, el('h3', { text: quantityTitle(quantity) }), this.body);
    this.resize.observe(this.body);
    this.isVisible = visibilityOf(this.element);
  }

  update(state: RunState, settings: ViewSettings, theme: Theme, rebuild: boolean): void {
    // Skip the work when nothing this chart shows has changed (most frames during a long run).
    const key = `${state.batches.length}/${state.epochs.length}/${settings.smoothing}/${settings.logScale}/${state.baselines?.length ?? 0}`;
    if (!rebuild && (this.plot || this.pending || this.drawing) && key === this.drawnKey) return;
    this.drawnKey = key;
    // Cheap, and read by the chart at every redraw: set at once rather than with the rows.
    this.baselines = chartBaselines(state.baselines, this.quantity);
    this.body.dataset.baselines = this.baselines.map((line) => `${line.label}=${line.value}`).join(';');
    this.pending = { state, settings, theme, rebuild: rebuild || (!this.plot && !this.drawing) || (this.pending?.rebuild ?? false) };
    scheduleDraw(this);
  }

  draw(): void {
    if (this.destroyed) return;
    if (!this.drawing) {
      // A pass under way finishes with the state it started from (restarting it with each new batch
      // could starve the chart); the newest state waits for the next.
      if (!this.pending) return;
      const drawing = this.pending;
      this.pending = undefined;
      this.shown = { state: drawing.state, settings: drawing.settings };
      this.focus = undefined; // new rows reset the zoom, as setData does
      const width = drawing.rebuild || !this.plot ? this.size().width : this.width;
      const rows = curveRows(drawing.state, this.quantity, { ...drawing.settings, buckets: columns(width) });
      this.drawing = { ...drawing, rows, width };
    }
    const drawing = this.drawing;
    if (!drawing.done) {
      // First the rows, a slice at a time; the chart follows in a later frame.
      const deadline = performance.now() + ROWS_BUDGET_MS;
      let next = drawing.rows.next();
      while (!next.done && performance.now() < deadline) next = drawing.rows.next();
      if (next.done) drawing.done = this.aligned(next.value);
      this.heavy = next.done === true && (drawing.rebuild || !this.plot);
      scheduleDraw(this);
      return;
    }
    if (drawing.rebuild || !this.plot) {
      // A new chart (its DOM, its layout) is a frame's work of its own: the rows go in at the next.
      this.plot?.destroy();
      const options = chartOptions(drawing.theme, drawing.settings.logScale, { width: Math.max(drawing.width, MIN_CHART_WIDTH), height: CHART_HEIGHT }, () => this.baselines, (plot) => this.zoomed(plot));
      this.plot = new uPlot(options, [[], ...CURVE_SERIES.map(() => [])], this.body);
      this.created(this.plot);
      drawing.rebuild = false;
      this.heavy = false;
      scheduleDraw(this);
      return;
    }
    const { data, points } = drawing.done;
    this.drawing = undefined;
    this.plot.setData(data);
    this.body.dataset.points = String(points);
    this.body.dataset.batches = String(drawing.state.batches.length);
    if (this.pending) scheduleDraw(this);
  }

  /** The rows to draw, thinned to the chart's width (a 100,000-batch run would take a frame to draw). */
  private data(width: number): { data: uPlot.AlignedData; points: number } {
    if (!this.shown) return { data: [[]], points: 0 };
    const { state, settings } = this.shown;
    return this.aligned(curveData(state, this.quantity, { ...settings, buckets: columns(width), ...(this.focus ? { focus: this.focus } : {}) }));
  }

  private aligned(curves: CurveData): { data: uPlot.AlignedData; points: number } {
    this.extent = { min: curves.x[0] ?? 0, max: curves.x.at(-1) ?? 0 };
    return { data: [curves.x, ...curves.series], points: curves.points };
  }

  /** Zoomed in (or back out): thin the batches for the range on show. */
  private zoomed(plot: uPlot): void {
    const { min, max } = plot.scales.x;
    if (min === undefined || max === undefined || this.refocusing) return;
    const focus = min <= this.extent.min && max >= this.extent.max ? undefined : { min, max };
    if (focus?.min === this.focus?.min && focus?.max === this.focus?.max) return;
    this.focus = focus;
    this.refocusing = true;
    plot.setData(this.data(this.width).data, false);
    this.refocusing = false;
  }

  destroy(): void {
    this.destroyed = true;
    this.resize.disconnect();
    this.plot?.destroy();
  }

  private size(): { width: number; height: number } {
    this.width = this.body.clientWidth;
    // Down to the narrowest panel (250 px): a chart wider than its card would scroll the page sideways.
    return { width: Math.max(this.width, MIN_CHART_WIDTH), height: CHART_HEIGHT };
  }
}

function chartOptions(
  theme: Theme,
  logScale: boolean,
  size: { width: number; height: number },
  baselines: () => readonly BaselineLine[],
  zoomed: (plot: uPlot) => void,
): uPlot.Options {
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
    hooks: { setScale: [(plot, key) => key === 'x' && zoomed(plot)] },
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

/**
 * The forecast view (issue 8 §2): over the validation range, the actual values, the model's
 * forecasts at the epoch the slider is on and the naive forecasts, in the data's units with the
 * data's dates on the axis; multi-step horizons as fans; and MAE and RMSE of each side by side.
 * Answers "does it beat repeating the last value?" at a glance.
 */
import uPlot from 'uplot';
import { CATEGORY_COLOURS } from '../colorScale';
import { el, setText } from '../dom';
import { shownEpoch, unionEpochs } from '../epochs';
import { forecastFigures, forecastPicture, type ForecastLine } from '../forecastSeries';
import { formatValue, snapshotLabel } from '../format';
import type { ViewSettings } from '../host';
import type { RunState } from '../state';
import { withAlpha, type Theme } from '../theme';
import { EpochSlider } from './epochSlider';
import { ResizingPlot, themedAxis } from './plot';

const CHART_HEIGHT = 280;

export interface ForecastActions {
  changeSettings(patch: Partial<ViewSettings>): void;
}

export class ForecastView {
  readonly element: HTMLElement;
  private readonly slider: EpochSlider;
  private readonly note = el('p', { className: 'muted view-note' });
  private readonly body = el('div', { className: 'chart-body', attrs: { 'data-forecast': '' } });
  private readonly card: HTMLElement;
  private readonly figures = el('table', { className: 'figures-table' });
  private readonly chart = new ResizingPlot(this.body, CHART_HEIGHT);
  private drawnKey = '';

  constructor(actions: ForecastActions) {
    this.slider = new EpochSlider((selectedEpoch) => actions.changeSettings({ selectedEpoch }));
    this.card = el('div', { className: 'chart-card' }, this.body);
    this.element = el('section', { className: 'forecast-view' }, el('h2', { text: 'Forecast' }), el('div', { className: 'controls' }, this.slider.element), this.note, this.card, this.figures);
    this.element.hidden = true;
  }

  get plot(): uPlot | undefined {
    return this.chart.plot;
  }

  update(state: RunState, settings: ViewSettings, theme: Theme, rebuild: boolean): void {
    const range = state.forecastRange;
    this.element.hidden = !range;
    if (!range) return;
    const epochs = unionEpochs(state.forecasts);
    this.slider.update(epochs, settings.selectedEpoch, state.run?.epochs);
    const epoch = shownEpoch(epochs, settings.selectedEpoch);
    const event = state.forecasts.find((f) => f.epoch === epoch);
    const key = `${epoch}/${theme.kind}/${state.epochs.length}/${state.baselines?.length ?? 0}`;
    if (!rebuild && this.plot && key === this.drawnKey) return;
    this.drawnKey = key;
    const picture = forecastPicture(range, event);
    const shown = range.windows < range.total ? `the first ${range.windows} of ${range.total} validation windows` : `all ${range.total} validation windows`;
    setText(
      this.note,
      `The validation range (${shown}) in the data's units: the actual values, the model's forecasts ${epoch === undefined ? '' : snapshotLabel(epoch, state.run?.epochs)} and the naive forecasts it should beat.` +
        (range.horizon > 1 ? ` Each window forecasts ${range.horizon} steps: the lines join the first step of every window; the fans show whole forecasts from a few windows.` : ''),
    );
    this.body.dataset.lines = String(picture.lines.length);
    this.body.dataset.epoch = String(epoch ?? '');
    const data: uPlot.AlignedData = [picture.x, ...picture.lines.map((line) => line.values)];
    const plot = this.chart.replace(chartOptions(picture.lines, picture.labels, theme), data);
    // The fans share one legend entry (the first fan's): uPlot names the others "Value", so their rows go.
    const firstFan = picture.lines.findIndex((line) => line.role === 'fan');
    plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series').forEach((row, i) => {
      const extraFan = i > 0 && picture.lines[i - 1]?.role === 'fan' && i - 1 !== firstFan;
      row.style.display = extraFan ? 'none' : '';
    });
    this.drawFigures(state, epoch);
  }

  clear(): void {
    this.chart.destroy();
    this.drawnKey = '';
  }

  private drawFigures(state: RunState, epoch: number | undefined): void {
    const rows = forecastFigures(state, epoch);
    const model = rows.find((row) => row.name === 'model');
    const best = Math.min(...rows.map((row) => row.rmse ?? Infinity));
    this.figures.replaceChildren(
      el('caption', { className: 'muted', text: `Errors on the validation split, in the data's units${rows.some((r) => r.source === 'drawn windows') ? ' (rows marked * over the windows drawn)' : ''}.` }),
      el('thead', {}, el('tr', {}, el('th', { text: 'forecast' }), el('th', { className: 'num', text: 'MAE' }), el('th', { className: 'num', text: 'RMSE' }))),
      el(
        'tbody',
        {},
        ...rows.map((row) =>
          el(
            'tr',
            { className: row.rmse === best ? 'best' : '', attrs: { 'data-forecast-row': row.name } },
            el('td', { text: `${row.name}${row.source === 'drawn windows' ? ' *' : ''}${row === model && epoch !== undefined ? ` (${snapshotLabel(epoch)})` : ''}` }),
            el('td', { className: 'num', text: formatValue(row.mae) }),
            el('td', { className: 'num', text: formatValue(row.rmse) }),
          ),
        ),
      ),
    );
  }
}

function chartOptions(lines: readonly ForecastLine[], labels: readonly string[], theme: Theme): Omit<uPlot.Options, 'width' | 'height'> {
  const axis = themedAxis(theme);
  let naive = 0;
  let fanLabelled = false;
  return {
    scales: { x: { time: false } },
    axes: [
      { ...axis, values: (_plot, splits) => splits.map((v) => labels[Math.round(v)] ?? '') },
      { ...axis, size: 64, values: (_plot, splits) => splits.map((v) => formatValue(v)) },
    ],
    series: [
      { label: 'step', value: (_plot, value) => (value === null ? '' : (labels[Math.round(value)] ?? '')) },
      ...lines.map((line): uPlot.Series => {
        const series: uPlot.Series = { label: line.label, spanGaps: false, points: { show: false }, value: (_plot, value) => (value === null ? '' : formatValue(value)) };
        switch (line.role) {
          case 'actual':
            return { ...series, stroke: theme.foreground, width: 2 };
          case 'model':
            return { ...series, stroke: theme.train, width: 2 };
          case 'fan': {
            // One legend entry for all fans: the others are hidden from the legend by an empty label.
            const first = !fanLabelled;
            fanLabelled = true;
            return { ...series, label: first ? 'model, whole forecasts' : '', stroke: withAlpha(theme.train, 0.55), width: 1.5, dash: [3, 3] };
          }
          case 'naive':
            return { ...series, stroke: CATEGORY_COLOURS[(1 + naive++) % CATEGORY_COLOURS.length], width: 1.5, dash: [6, 4] };
        }
      }),
    ],
    legend: { live: true },
  };
}

/**
 * Compare runs (issue 8 §5): their curves overlaid (aligned by epoch, step or training time), the
 * final and best value of every metric beside the baselines, the spec fields that differ (side by
 * side, each value that differs from the first run's highlighted), what else differed (seed, data,
 * backend, versions, threads), and the gradient flow of every run overlaid (SimpleRNN vs LSTM vs
 * GRU). What is not comparable is said first.
 */
import uPlot from 'uplot';
import type { ComparedField, CompareView } from '../../../src/protocol';
import { baselinePlugin, rangeWithBaselines } from '../baselineLines';
import { CATEGORY_COLOURS } from '../colorScale';
import { ALIGNMENT_LABELS, baselineRows, comparedMetrics, comparedStates, compareCharts, metricFigures, overlaidLines, sharedBaselines, type Alignment, type CompareChart, type ComparedState } from '../compareData';
import { el } from '../dom';
import { formatValue } from '../format';
import { DEFAULT_SETTINGS } from '../host';
import type { Theme } from '../theme';
import { withAlpha } from '../theme';
import { GradientFlowView } from './gradientFlow';
import { ResizingPlot, themedAxis } from './plot';

const CHART_HEIGHT = 240;

export class ComparePage {
  readonly element: HTMLElement;
  /** Overlaid charts by `task/quantity`, for browser tests. */
  readonly charts: Record<string, uPlot> = {};
  private readonly notes = el('div', { className: 'compare-notes' });
  private readonly legend = el('table', { className: 'figures-table compare-runs' });
  private readonly grid = el('div', { className: 'chart-grid' });
  private readonly tables = el('div', { className: 'compare-tables' });
  private readonly specDiff = el('div');
  private readonly runDiff = el('div');
  private readonly alignment = el('select', { attrs: { 'aria-label': 'Align the runs by' } });
  private readonly flow = new GradientFlowView({ changeSettings: () => undefined });
  private plots: ResizingPlot[] = [];
  private view?: CompareView;
  private runs: ComparedState[] = [];
  private theme?: Theme;

  constructor() {
    for (const [value, label] of Object.entries(ALIGNMENT_LABELS)) this.alignment.append(el('option', { text: label, attrs: { value } }));
    this.alignment.addEventListener('change', () => this.drawCharts());
    this.flow.element.hidden = true;
    this.element = el(
      'div',
      { className: 'seqlab compare' },
      el('h1', { text: 'Compare runs' }),
      this.notes,
      this.legend,
      el('section', {}, el('h2', { text: 'Curves' }), el('div', { className: 'controls' }, el('label', { className: 'slider' }, 'Align by', this.alignment)), this.grid),
      el('section', {}, el('h2', { text: 'Final and best metrics' }), this.tables),
      el('section', {}, el('h2', { text: 'Spec differences' }), this.specDiff),
      el('section', {}, el('h2', { text: 'What else differed' }), this.runDiff),
      this.flow.element,
    );
  }

  show(view: CompareView, theme: Theme): void {
    this.view = view;
    this.theme = theme;
    this.runs = comparedStates(view);
    this.element.dataset.runs = String(view.runs.length);
    this.notes.replaceChildren(...view.notes.map((note) => el('p', { className: 'compare-note', text: note, attrs: { role: 'note' } })));
    this.drawLegend();
    this.drawCharts();
    this.drawTables();
    this.specDiff.replaceChildren(fieldTable(view.specDifferences, this.runs, 'The runs were trained from the same spec (defaults filled in).'));
    this.runDiff.replaceChildren(fieldTable(view.runDifferences, this.runs, 'Same seed, data, backend, versions, threads and epochs.'));
    this.drawFlow(theme);
  }

  themeChanged(theme: Theme): void {
    if (this.view) this.show(this.view, theme);
  }

  private drawLegend(): void {
    this.legend.replaceChildren(
      el('thead', {}, el('tr', {}, ...['', 'run', 'task', 'status', 'epochs', 'started'].map((text) => el('th', { text })))),
      el(
        'tbody',
        {},
        ...this.view!.runs.map((run, i) =>
          el(
            'tr',
            { attrs: { 'data-run': run.runId } },
            el('td', {}, swatch(i < this.view!.plotted ? colourOf(i) : undefined)),
            el('td', {}, el('strong', { text: run.meta.name }), el('span', { className: 'muted', text: ` ${run.runId}` })),
            el('td', { text: run.meta.task ?? '' }),
            el('td', { text: run.meta.status }),
            el('td', { className: 'num', text: `${this.runs[i].state.epochs.length} of ${run.meta.epochs}${run.meta.quick ? ' (quick)' : ''}` }),
            el('td', { text: run.meta.startedAt.replace('T', ' ').slice(0, 19) }),
          ),
        ),
      ),
    );
  }

  private drawCharts(): void {
    const theme = this.theme;
    const view = this.view;
    if (!theme || !view) return;
    for (const plot of this.plots) plot.destroy();
    this.plots = [];
    this.grid.replaceChildren();
    for (const key of Object.keys(this.charts)) delete this.charts[key];
    const alignment = this.alignment.value as Alignment;
    const charts = compareCharts(this.runs, view.plotted);
    const tasks = new Set(charts.map((chart) => chart.task));
    for (const chart of charts) {
      const key = `${chart.task}/${chart.quantity}`;
      const body = el('div', { className: 'chart-body', attrs: { 'data-compare-chart': key } });
      const title = tasks.size > 1 ? `${chart.quantity} (${chart.task} runs)` : chart.quantity;
      this.grid.append(el('div', { className: 'chart-card' }, el('h3', { text: title }), body));
      const plot = new ResizingPlot(body, CHART_HEIGHT);
      this.plots.push(plot);
      const { x, lines } = overlaidLines(this.runs, chart, alignment);
      body.dataset.lines = String(lines.length);
      this.charts[key] = plot.replace(chartOptions(this.runs, chart, lines, alignment, theme), [x, ...lines.map((line) => line.values)]);
    }
  }

  private drawTables(): void {
    const groups = [...new Set(this.runs.map((run) => run.task))].map((task) => this.runs.filter((run) => run.task === task));
    this.tables.replaceChildren(...groups.map((group) => metricsTable(group, groups.length > 1)));
  }

  private drawFlow(theme: Theme): void {
    const withFlow = this.runs.filter((run) => run.state.gradients.length > 0).slice(0, this.view!.plotted);
    this.flow.clear();
    this.flow.element.hidden = withFlow.length < 2;
    if (withFlow.length < 2) return;
    const [first, ...others] = withFlow;
    this.flow.setOverlays(others.map((run) => ({ name: run.name, gradients: run.state.gradients })));
    this.flow.update(first.state, DEFAULT_SETTINGS, theme, true);
  }
}

function colourOf(index: number): string {
  return CATEGORY_COLOURS[index % CATEGORY_COLOURS.length];
}

function swatch(colour: string | undefined): HTMLElement {
  const element = el('span', { className: 'map-swatch', title: colour ? '' : 'not drawn: more runs than the charts can tell apart' });
  element.style.background = colour ?? 'transparent';
  return element;
}

function chartOptions(runs: readonly ComparedState[], chart: CompareChart, lines: ReturnType<typeof overlaidLines>['lines'], alignment: Alignment, theme: Theme): Omit<uPlot.Options, 'width' | 'height'> {
  const axis = themedAxis(theme);
  const baselines = sharedBaselines(runs, chart).map((b) => ({ label: b.name, value: b.value }));
  return {
    scales: { x: { time: false }, y: { range: rangeWithBaselines(() => baselines, false) } },
    axes: [
      { ...axis, label: ALIGNMENT_LABELS[alignment] },
      { ...axis, size: 56, values: (_plot, splits) => splits.map((v) => formatValue(v)) },
    ],
    series: [
      { label: ALIGNMENT_LABELS[alignment], value: (_plot, value) => (value === null ? '' : formatValue(value)) },
      ...lines.map((line): uPlot.Series => {
        const colour = colourOf(line.run);
        const validation = line.split === 'validation';
        return {
          label: `${runs[line.run].name} · ${line.split}`,
          stroke: validation ? colour : withAlpha(colour, 0.6),
          width: validation ? 2 : 1.25,
          ...(validation ? {} : { dash: [4, 4] }),
          spanGaps: true,
          points: { show: true, size: validation ? 6 : 4, fill: colour, stroke: colour },
          value: (_plot, value) => (value === null ? '' : formatValue(value)),
        };
      }),
    ],
    plugins: [baselinePlugin(() => baselines, theme)],
    legend: { live: true },
  };
}

/** Runs as rows, metrics as columns: the final value, the best one and its epoch; the baselines below. */
function metricsTable(group: readonly ComparedState[], titled: boolean): HTMLElement {
  const metrics = comparedMetrics(group);
  const baselines = baselineRows(group);
  const head = el('tr', {}, el('th', { text: 'run' }), ...metrics.map((metric) => el('th', { className: 'num', text: metric })));
  const runRows = group.map((run) =>
    el(
      'tr',
      { attrs: { 'data-run': run.runId } },
      el('td', {}, swatch(colourOf(run.index)), ` ${run.name}`),
      ...metrics.map((metric) => {
        const figure = metricFigures(run.state, metric);
        const best = figure.best !== undefined && figure.best !== figure.final ? ` · best ${formatValue(figure.best)} (epoch ${figure.bestEpoch! + 1})` : '';
        return el('td', { className: 'num', text: `${formatValue(figure.final)}${best}` });
      }),
    ),
  );
  const baselineCells = baselines.map((row) =>
    el(
      'tr',
      { className: 'baseline-row' },
      el('td', { className: 'muted', text: `baseline: ${row.name}${row.run !== undefined ? ` (${group.find((r) => r.index === row.run)?.name ?? ''})` : ''}` }),
      ...metrics.map((metric) => el('td', { className: 'num muted', text: row.values[metric] === undefined ? '' : formatValue(row.values[metric]) })),
    ),
  );
  return el(
    'div',
    { className: 'matrix-scroll' },
    el(
      'table',
      { className: 'figures-table compare-metrics', attrs: { 'data-task': group[0]?.task ?? '' } },
      el('caption', { className: 'muted', text: `${titled ? `${group[0]?.task} runs. ` : ''}Final value (what the run ended with), and the best epoch when it was better; val_ figures are on the validation split.` }),
      el('thead', {}, head),
      el('tbody', {}, ...runRows, ...baselineCells),
    ),
  );
}

/** A field per row, a run per column; values that differ from the first run's are highlighted. */
function fieldTable(fields: readonly ComparedField[], runs: readonly ComparedState[], sameText: string): HTMLElement {
  if (fields.length === 0) return el('p', { className: 'muted', text: sameText });
  return el(
    'div',
    { className: 'matrix-scroll' },
    el(
      'table',
      { className: 'figures-table field-diff' },
      el('caption', { className: 'muted', text: 'Only the fields that differ; highlighted: a value other than the first run’s.' }),
      el('thead', {}, el('tr', {}, el('th', { text: 'field' }), ...runs.map((run) => el('th', {}, swatch(colourOf(run.index)), ` ${run.name}`)))),
      el(
        'tbody',
        {},
        ...fields.map((field) =>
          el(
            'tr',
            { attrs: { 'data-field': field.field } },
            el('td', { className: 'mono', text: field.field }),
            ...field.values.map((value, i) => el('td', { className: `mono${i > 0 && value !== field.values[0] ? ' differs' : ''}`, text: value ?? '—' })),
          ),
        ),
      ),
    ),
  );
}

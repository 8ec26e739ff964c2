/**
 * The figures of a comparison of runs (issue 8 §5), from each run's events folded by the same
 * reducer as the panel: the charts to draw (a quantity per task), their overlaid lines aligned by
 * epoch, step or training time, and the final and best value of every metric beside the baselines.
 * Pure, tested in Node.
 */
import type { Baseline, CompareView } from '../../src/protocol';
import { stateFromView, type RunState } from './state';

export type Alignment = 'epoch' | 'step' | 'time';

export const ALIGNMENT_LABELS: Record<Alignment, string> = { epoch: 'epoch', step: 'training step (batches)', time: 'training time (s)' };

export interface ComparedState {
  index: number;
  name: string;
  runId: string;
  task: string;
  state: RunState;
}

export function comparedStates(view: CompareView): ComparedState[] {
  return view.runs.map((run, index) => ({
    index,
    name: run.meta.name,
    runId: run.runId,
    task: run.meta.task ?? 'unknown',
    state: stateFromView({ runId: run.runId, runDir: run.runDir, events: run.events }),
  }));
}

/** One overlaid chart: a quantity of the runs of one task. */
export interface CompareChart {
  quantity: string;
  task: string;
  /** Runs drawn, by position in the comparison. */
  runs: number[];
}

/** A chart per quantity recorded per epoch, one set per task when the runs' tasks differ; only the first `plotted` runs. */
export function compareCharts(runs: readonly ComparedState[], plotted: number): CompareChart[] {
  const drawn = runs.slice(0, plotted);
  const charts: CompareChart[] = [];
  for (const task of [...new Set(drawn.map((run) => run.task))]) {
    const ofTask = drawn.filter((run) => run.task === task);
    const quantities = [...new Set(ofTask.flatMap((run) => run.state.quantities))];
    for (const quantity of quantities) {
      const having = ofTask.filter((run) => run.state.epochs.some((e) => e.train[quantity] !== undefined || e.validation[quantity] !== undefined));
      if (having.length > 0) charts.push({ quantity, task, runs: having.map((run) => run.index) });
    }
  }
  return charts;
}

export interface OverlaidLine {
  run: number;
  split: 'train' | 'validation';
  values: (number | null)[];
}

/** uPlot's aligned data for a chart: the union of every run's x, and each run's train and validation line. */
export function overlaidLines(runs: readonly ComparedState[], chart: CompareChart, alignment: Alignment): { x: number[]; lines: OverlaidLine[] } {
  const points = chart.runs.map((index) => {
    const { state } = runs[index];
    const xs = epochPositions(state, alignment);
    return { index, epochs: state.epochs, xs };
  });
  const x = [...new Set(points.flatMap((p) => p.xs))].sort((a, b) => a - b);
  const lines: OverlaidLine[] = [];
  for (const { index, epochs, xs } of points) {
    for (const split of ['train', 'validation'] as const) {
      const values = new Array<number | null>(x.length).fill(null);
      epochs.forEach((epoch, i) => {
        const value = epoch[split][chart.quantity];
        if (value !== undefined && Number.isFinite(value)) values[x.indexOf(xs[i])] = value;
      });
      if (values.some((value) => value !== null)) lines.push({ run: index, split, values });
    }
  }
  return { x, lines };
}

/**
 * Where each recorded epoch ends on the x axis: its number (1-based), the batches trained by its end,
 * or the seconds of training by its end (each epoch's duration: batches and validation).
 */
export function epochPositions(state: RunState, alignment: Alignment): number[] {
  const perEpoch = state.run?.batchesPerEpoch || 1;
  let seconds = 0;
  return state.epochs.map((epoch) => {
    seconds += epoch.durationMs / 1000;
    if (alignment === 'time') return Number(seconds.toFixed(3));
    return alignment === 'step' ? (epoch.epoch + 1) * perEpoch : epoch.epoch + 1;
  });
}

/** Metrics where a smaller value is better; every other metric is better larger. */
const LOWER_IS_BETTER = /(^|_)(loss|mae|mse|rmse|data_mae|data_rmse)$/;

export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.test(metric);
}

export interface MetricFigure {
  final?: number;
  best?: number;
  /** The zero-based epoch of the best value. */
  bestEpoch?: number;
}

/**
 * The metrics of a task's runs, validation first (`val_` names, as in `DoneEvent.finalMetrics`):
 * each run's final value (what the run ended with, restored weights included) and its best epoch.
 */
export function metricFigures(state: RunState, metric: string): MetricFigure {
  const validation = metric.startsWith('val_');
  const name = validation ? metric.slice(4) : metric;
  const values = state.epochs.map((epoch) => ({ epoch: epoch.epoch, value: (validation ? epoch.validation : epoch.train)[name] })).filter((v): v is { epoch: number; value: number } => v.value !== undefined && Number.isFinite(v.value));
  const final = state.finalMetrics?.[metric] ?? values[values.length - 1]?.value;
  if (values.length === 0) return final === undefined ? {} : { final };
  const better = lowerIsBetter(name) ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  const best = values.reduce((top, v) => (better(v.value, top.value) ? v : top));
  return { ...(final !== undefined ? { final } : {}), best: best.value, bestEpoch: best.epoch };
}

/** The metric names of a group of runs, validation ones first, in first-seen order. */
export function comparedMetrics(runs: readonly ComparedState[]): string[] {
  const names = new Set<string>();
  for (const run of runs) {
    for (const epoch of run.state.epochs) {
      for (const name of Object.keys(epoch.validation)) names.add(`val_${name}`);
    }
  }
  for (const run of runs) for (const epoch of run.state.epochs) for (const name of Object.keys(epoch.train)) names.add(name);
  return [...names].sort((a, b) => Number(b.startsWith('val_')) - Number(a.startsWith('val_')));
}

/** A baseline row of the table: its figure for each metric, and which runs it belongs to when their data differ. */
export interface BaselineRow {
  name: string;
  /** Set when the runs' baselines of this name differ (different data): the run they come from. */
  run?: number;
  values: Record<string, number>;
}

/**
 * The runs' baselines as rows: one per baseline name when every run that has it agrees (same data),
 * else one per run.
 */
export function baselineRows(runs: readonly ComparedState[]): BaselineRow[] {
  const names = [...new Set(runs.flatMap((run) => (run.state.baselines ?? []).map((b) => b.name)))];
  const rows: BaselineRow[] = [];
  const valuesOf = (baselines: readonly Baseline[], name: string) => Object.fromEntries(baselines.filter((b) => b.name === name).map((b) => [b.metric, b.value]));
  for (const name of names) {
    const perRun = runs.filter((run) => run.state.baselines?.some((b) => b.name === name)).map((run) => ({ run: run.index, values: valuesOf(run.state.baselines ?? [], name) }));
    const agree = perRun.every(({ values }) => JSON.stringify(values) === JSON.stringify(perRun[0].values));
    if (agree) rows.push({ name, values: perRun[0].values });
    else rows.push(...perRun.map(({ run, values }) => ({ name, run, values })));
  }
  return rows;
}

/** Baselines to draw on a chart of `quantity`: the validation split's, when every drawn run has the same figure. */
export function sharedBaselines(runs: readonly ComparedState[], chart: CompareChart): { name: string; value: number }[] {
  const metric = `val_${chart.quantity}`;
  const drawn = chart.runs.map((index) => runs[index].state.baselines ?? []);
  const first = drawn[0] ?? [];
  return first
    .filter((b) => b.metric === metric)
    .filter((b) => drawn.every((baselines) => baselines.some((other) => other.name === b.name && other.metric === metric && other.value === b.value)))
    .map((b) => ({ name: b.name, value: b.value }));
}

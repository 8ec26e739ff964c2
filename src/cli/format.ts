/** Plain-text formatting shared by the CLI's commands: numbers, durations, aligned tables. */
import type { Baseline, Metrics } from '../protocol';

/** `0:07`, `3:25`, `1:02:03`. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Four significant decimals for metrics around 1, scientific notation for tiny or huge ones. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(3);
  return value.toFixed(4);
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `loss 0.4123  accuracy 0.8125` in the metrics' own order. */
export function formatMetricsInline(metrics: Metrics, prefix = ''): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${prefix}${name} ${formatMetric(value)}`)
    .join('  ');
}

/** Left-aligned columns separated by two spaces; numbers are the caller's strings. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export interface FinalTableOptions {
  /** Shown as one column each, on the row of the metric they compare to. */
  baselines?: readonly Baseline[];
  /** The targets were normalised: `loss`, `mae` and `mse` rows say so. */
  normalised?: boolean;
}

/** Quantities in the units the model trains on, which differ from the data's when it normalises. */
const TRAINED_UNITS = new Set(['loss', 'mae', 'mse']);

/**
 * The final metrics as a table: one row per metric, train and validation side by side, then one
 * column per baseline with its figure on the validation split (the training split's when there is
 * no validation). `final` uses the DoneEvent convention: validation keys are prefixed `val_`.
 */
export function formatFinalMetrics(final: Metrics, options: FinalTableOptions = {}): string {
  const names = Object.keys(final).filter((name) => !name.startsWith('val_'));
  for (const name of Object.keys(final)) {
    const base = name.slice('val_'.length);
    if (name.startsWith('val_') && !names.includes(base)) names.push(base);
  }
  const validated = Object.keys(final).some((name) => name.startsWith('val_'));
  const shown = (options.baselines ?? []).filter((baseline) => baseline.metric.startsWith('val_') === validated);
  const columns = [...new Set(shown.map((baseline) => baseline.name))];
  const cell = (value: number | undefined) => (value === undefined ? '-' : formatMetric(value));
  const baselineCell = (column: string, name: string) =>
    cell(shown.find((baseline) => baseline.name === column && baseline.metric === (validated ? `val_${name}` : name))?.value);
  const label = (name: string) => (options.normalised && TRAINED_UNITS.has(name) ? `${name} (normalised)` : name);
  return formatTable(
    ['metric', 'train', 'validation', ...columns],
    names.map((name) => [label(name), cell(final[name]), cell(final[`val_${name}`]), ...columns.map((column) => baselineCell(column, name))]),
  );
}

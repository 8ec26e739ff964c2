/**
 * Numeric series read from a file, one step per row: one column (`.txt`, or a table's value
 * column) or several (`data.columns.value` as a list; the first is the one forecast). Nothing is
 * skipped: a blank line or an `NA` cell is a missing value at its own step, filled as
 * `data.missing` says or reported all at once, so no later value moves to another step.
 */
import { printableValue } from '../language/printable';
import { valueColumnNames } from '../language/resolve';
import type { DataSpec, MissingPolicy } from '../language/types';
import { findDateColumn } from './dates';
import type { SourceFormat } from './formats';
import { columnIndex, readTable } from './records';
import { DataError } from './types';

export interface Series {
  file: string;
  /** Row-major `[steps, features]` in the data's units; NaN where a value is missing (before filling). */
  values: Float64Array;
  features: number;
  /** Column names in feature order (tables); absent for a one-column `.txt`. */
  columns?: string[];
  /** 1-based line of each step, for messages. */
  lines: number[];
  /** Each step's date as written in the date column (`data.columns.date`, or one found), when there is one. */
  dates?: string[];
}

/** Gaps filled by `fillMissing`: how many values, how, and the first lines. */
export interface FilledGaps {
  count: number;
  method: 'interpolate' | 'ffill';
  lines: number[];
}

/** Cells that mean "no value here" (compared lowercased and trimmed). */
const MISSING_MARKERS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

/** The largest finite 32-bit float: training runs in float32, so anything larger is infinite there. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Lines listed in a message before "... (N more)". */
const SHOWN_LINES = 10;

/** Throws a DataError listing every cell that is neither a number nor a missing-value marker. */
export function readSeries(text: string, file: string, format: SourceFormat, columns: DataSpec['columns']): Series {
  const names = valueColumnNames(columns);
  let cells: (string | undefined)[][];
  let lines: number[];
  let dates: string[] | undefined;
  if (format === 'txt') {
    if (names.length > 1) {
      throw new DataError(`a .txt series holds one value per line, but \`data.columns.value\` lists ${names.length} columns. Put the columns in a .csv file with a header row.`, file);
    }
    const rows = text.split(/\r?\n/);
    while (rows.length > 0 && rows[rows.length - 1]!.trim() === '') rows.pop(); // the file's end, not a gap
    cells = rows.map((row) => [row]);
    lines = rows.map((_, i) => i + 1);
  } else {
    const table = readTable(text, file, format, true);
    const indices = names.map((name) => columnIndex(table, name, 'value', file));
    cells = table.rows.map((row) => indices.map((index) => row[index]));
    lines = table.lines;
    const dateIndex = columns.date !== undefined ? columnIndex(table, columns.date, 'date', file) : findDateColumn(table.columns, table.rows, names);
    if (dateIndex !== undefined) dates = table.rows.map((row) => (row[dateIndex] ?? '').trim());
  }
  const values = new Float64Array(cells.length * names.length);
  const bad: { cell: string; line: number }[] = [];
  cells.forEach((row, step) =>
    row.forEach((cell, feature) => {
      const value = parseCell(cell);
      if (value === undefined) bad.push({ cell: cell!.trim(), line: lines[step]! });
      values[step * names.length + feature] = value ?? NaN;
    }),
  );
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map(({ cell, line }) => `"${printableValue(cell)}" (line ${line})`).join(', ');
    const what = bad.length === 1 ? `${shown} is not a number` : `${bad.length} values are not numbers: ${shown}${bad.length > 5 ? `, ... (${bad.length - 5} more)` : ''}`;
    throw new DataError(
      `${what}. A series needs a number on every row; fix ${bad.length === 1 ? 'it' : 'them'}, or leave a cell empty (or NA) to mark a missing value (see \`data.missing\`).`,
      file,
      bad[0]!.line,
    );
  }
  assertFloat32Range(values, names.length, lines, file);
  return { file, values, features: names.length, ...(format !== 'txt' ? { columns: names } : {}), lines, ...(dates ? { dates } : {}) };
}

/** A number, NaN for a missing-value marker, undefined for anything else. */
function parseCell(cell: string | undefined): number | undefined {
  if (cell === undefined) return NaN;
  const trimmed = cell.trim();
  if (MISSING_MARKERS.has(trimmed.toLowerCase())) return NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** 1e308 is a double, but infinite in float32 and it overflows normalisation: refuse it with its line. */
function assertFloat32Range(values: Float64Array, features: number, lines: number[], file: string): void {
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]!) > FLOAT32_MAX) {
      throw new DataError(
        `the value ${values[i]} is beyond the range of the 32-bit floats training uses (±3.4e38), so it would become infinite and make the statistics overflow. Fix the value, or rescale the column.`,
        file,
        lines[Math.floor(i / features)],
      );
    }
  }
}

/**
 * Applies `data.missing`: `error` reports every gap at once (count and first lines); `interpolate`
 * draws a straight line between the known neighbours; `ffill` repeats the last known value. Gaps
 * before the first known value take that value in both. Never drops a row: that would shift every
 * later value one step earlier.
 */
export function fillMissing(series: Series, policy: MissingPolicy): { series: Series; gaps?: FilledGaps } {
  const { values, features, lines, file } = series;
  const gapLines: number[] = [];
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) continue;
    count++;
    const line = lines[Math.floor(i / features)]!;
    if (gapLines[gapLines.length - 1] !== line) gapLines.push(line);
  }
  if (count === 0) return { series };
  if (policy === 'error') {
    throw new DataError(
      `the series has ${count} missing value${count === 1 ? '' : 's'} (blank or NA), at line${gapLines.length === 1 ? '' : 's'} ${describeLines(gapLines)}. ` +
        'Set `data.missing: interpolate` (a straight line between the neighbours) or `data.missing: ffill` (repeat the last value) to fill them; deleting those rows instead would shift every later value one step earlier.',
      file,
      gapLines[0],
    );
  }
  const filled = Float64Array.from(values);
  for (let feature = 0; feature < features; feature++) fillColumn(filled, feature, features, policy, series);
  return { series: { ...series, values: filled }, gaps: { count, method: policy, lines: gapLines.slice(0, SHOWN_LINES) } };
}

function fillColumn(values: Float64Array, feature: number, features: number, policy: 'interpolate' | 'ffill', series: Series): void {
  const steps = values.length / features;
  const at = (step: number) => step * features + feature;
  let previous = -1;
  for (let step = 0; step <= steps; step++) {
    if (step < steps && Number.isNaN(values[at(step)])) continue;
    // Steps previous+1 .. step-1 are a gap between two known values (or an end of the series).
    if (step - previous > 1) {
      if (previous === -1 && step === steps) {
        const column = series.columns?.[feature];
        throw new DataError(`${column ? `the column "${column}"` : 'the series'} has no values at all, only missing ones. Check \`data.columns.value\` and the file.`, series.file);
      }
      for (let gap = previous + 1; gap < step; gap++) {
        const before = previous === -1 ? undefined : values[at(previous)]!;
        const after = step === steps ? undefined : values[at(step)]!;
        const fraction = (gap - previous) / (step - previous);
        values[at(gap)] =
          before === undefined ? after! : after === undefined || policy === 'ffill' ? before : before + (after - before) * fraction;
      }
    }
    previous = step;
  }
}

function describeLines(lines: readonly number[]): string {
  const shown = lines.slice(0, SHOWN_LINES).join(', ');
  return lines.length > SHOWN_LINES ? `${shown}, ... (${lines.length - SHOWN_LINES} more)` : shown;
}

/** Feature `feature` of a row-major series, steps `[start, end)`. */
export function columnOf(series: Pick<Series, 'values' | 'features'>, feature: number, start = 0, end = series.values.length / series.features): Float64Array {
  const column = new Float64Array(end - start);
  for (let step = start; step < end; step++) column[step - start] = series.values[step * series.features + feature]!;
  return column;
}

/**
 * Numeric sequences from a table in "long" form (CSV/TSV): one row per time step.
 *
 * - `readLongTable`: a sequence-id column groups the rows into examples
 *   (`columns: {sequence: id, value: [ax, ay, az], label: activity}`). Within a sequence the rows
 *   are taken in file order, or sorted by a time column (`columns.time`: numbers or ISO dates).
 *   Every row of a sequence must carry the same label (and group); rows of one sequence that are
 *   not together in the file need a time column to order them.
 * - `cutRecording`: one long multichannel recording with a label on every row, cut into windows
 *   of `lookback` steps every `stride` steps; a window's label is its last step's (`last`) or the
 *   most frequent among its steps (`majority`; a tie goes to the label of the latest step among
 *   the tied ones).
 */
import { printableValue } from '../../language/printable';
import { columnIndex, type Table } from '../records';
import { DataError } from '../types';
import { assertFinite32, assertUsable, notANumber, parseNumber, type NumericSequence, type SequenceSet } from './sequence';

/** The columns of a long table. */
export interface LongColumns {
  /** The sequence id; absent for one recording cut into windows. */
  sequence?: string;
  /** The channels, in order. */
  value: string[];
  /** The label (a class or a regression target); absent for unlabelled data. */
  label?: string;
  /** Orders the steps of each sequence (numbers or ISO dates); absent: file order. */
  time?: string;
  /** A group per sequence (speaker, subject) for group splits. */
  group?: string;
}

export type WindowLabel = 'last' | 'majority';

export interface RecordingWindows {
  lookback: number;
  stride: number;
  label: WindowLabel;
}

interface Step {
  values: Float32Array;
  label?: string;
  group?: string;
  time?: number;
  line: number;
}

/** Groups a long table's rows into sequences by `columns.sequence`. */
export function readLongTable(table: Table, columns: LongColumns): SequenceSet {
  if (columns.sequence === undefined) throw new DataError('a long table needs `data.columns.sequence`, the column that says which sequence a row belongs to.', table.file);
  const sequenceIndex = columnIndex(table, columns.sequence, 'sequence', table.file);
  const steps = readSteps(table, columns);
  const bySequence = new Map<string, { steps: Step[]; lastRow: number }>();
  table.rows.forEach((row, r) => {
    const id = (row[sequenceIndex] ?? '').trim();
    if (id === '') throw new DataError(`this row has no sequence id (column "${columns.sequence}"). Give every row the id of its sequence.`, table.file, table.lines[r]);
    const entry = bySequence.get(id);
    if (entry && entry.lastRow !== r - 1 && columns.time === undefined) {
      throw new DataError(
        `the rows of sequence "${printableValue(id)}" are not together: it starts at line ${entry.steps[0]!.line} and comes back here after other sequences. Sort the file by sequence, or name a time column (\`data.columns.time\`) that orders the steps.`,
        table.file,
        table.lines[r],
      );
    }
    if (entry) {
      entry.steps.push(steps[r]!);
      entry.lastRow = r;
    } else bySequence.set(id, { steps: [steps[r]!], lastRow: r });
  });
  const sequences = [...bySequence.entries()].map(([id, { steps: rows }]) => toSequence(id, columns.time !== undefined ? sortByTime(id, rows, table.file) : rows, columns, table.file));
  return assertUsable({ channels: columns.value.length, channelNames: columns.value, sequences }, table.file);
}

/** Cuts one labelled recording (every row a step) into windows. */
export function cutRecording(table: Table, columns: LongColumns, windows: RecordingWindows): SequenceSet {
  const { lookback, stride } = windows;
  if (!Number.isInteger(lookback) || lookback < 1 || !Number.isInteger(stride) || stride < 1) {
    throw new DataError('`lookback` and `stride` must be whole numbers of at least 1.', table.file);
  }
  const rows = readSteps(table, columns);
  const steps = columns.time !== undefined ? sortByTime('the recording', rows, table.file) : rows;
  if (steps.length < lookback) {
    throw new DataError(`the recording has ${steps.length} steps, fewer than one window of ${lookback} (\`lookback\`). Lower \`lookback\`, or use a longer recording.`, table.file);
  }
  const channels = columns.value.length;
  const sequences: NumericSequence[] = [];
  for (let start = 0; start + lookback <= steps.length; start += stride) {
    const window = steps.slice(start, start + lookback);
    const values = new Float32Array(lookback * channels);
    window.forEach((step, t) => values.set(step.values, t * channels));
    const label = columns.label !== undefined ? windowLabel(window, windows.label) : undefined;
    sequences.push({ values, steps: lookback, ...(label !== undefined ? { label } : {}), origin: { file: table.file, line: window[0]!.line } });
  }
  return assertUsable({ channels, channelNames: columns.value, sequences }, table.file);
}

/** The label of a window: its last step's, or the most frequent (ties: the latest step's among them). */
export function windowLabel(window: readonly { label?: string }[], rule: WindowLabel): string {
  if (rule === 'last') return window[window.length - 1]!.label!;
  const counts = new Map<string, { count: number; latest: number }>();
  window.forEach(({ label }, t) => {
    const entry = counts.get(label!) ?? { count: 0, latest: t };
    counts.set(label!, { count: entry.count + 1, latest: t });
  });
  let best: [string, { count: number; latest: number }] | undefined;
  for (const entry of counts) {
    if (!best || entry[1].count > best[1].count || (entry[1].count === best[1].count && entry[1].latest > best[1].latest)) best = entry;
  }
  return best![0];
}

function readSteps(table: Table, columns: LongColumns): Step[] {
  if (columns.value.length === 0) throw new DataError('`data.columns.value` names no channel column.', table.file);
  const valueIndices = columns.value.map((name) => columnIndex(table, name, 'value', table.file));
  const labelIndex = columns.label !== undefined ? columnIndex(table, columns.label, 'label', table.file) : undefined;
  const timeIndex = columns.time !== undefined ? columnIndex(table, columns.time, 'time', table.file) : undefined;
  const groupIndex = columns.group !== undefined ? columnIndex(table, columns.group, 'group', table.file) : undefined;
  return table.rows.map((row, r) => {
    const origin = { file: table.file, line: table.lines[r]! };
    const values = Float32Array.from(valueIndices, (index) => {
      const value = parseNumber(row[index]);
      if (value === undefined) throw notANumber(row[index]!, origin, `value of "${table.columns[index]}"`);
      assertFinite32(value, origin);
      return value;
    });
    const label = labelIndex !== undefined ? (row[labelIndex] ?? '').trim() : undefined;
    if (label === '') throw new DataError(`this row has no label (column "${columns.label}"). Give every row its label.`, origin.file, origin.line);
    return {
      values,
      line: origin.line,
      ...(label !== undefined ? { label } : {}),
      ...(groupIndex !== undefined ? { group: (row[groupIndex] ?? '').trim() } : {}),
      ...(timeIndex !== undefined ? { time: parseTime(row[timeIndex], origin) } : {}),
    };
  });
}

function parseTime(cell: string | undefined, origin: { file: string; line: number }): number {
  const text = (cell ?? '').trim();
  const number = Number(text);
  if (text !== '' && Number.isFinite(number)) return number;
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(date)) {
    throw new DataError(`the time "${printableValue(text)}" is neither a number nor an ISO date (2024-01-31 or 2024-01-31T12:00:00). Every row needs a time that orders its steps.`, origin.file, origin.line);
  }
  return date;
}

function sortByTime(id: string, steps: Step[], file: string): Step[] {
  const sorted = steps.slice().sort((a, b) => a.time! - b.time! || a.line - b.line);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.time === sorted[i - 1]!.time) {
      throw new DataError(
        `${id === 'the recording' ? 'the recording' : `sequence "${printableValue(id)}"`} has two rows at the same time (lines ${sorted[i - 1]!.line} and ${sorted[i]!.line}), so their order is unknown. Remove the duplicate.`,
        file,
        sorted[i]!.line,
      );
    }
  }
  return sorted;
}

function toSequence(id: string, steps: Step[], columns: LongColumns, file: string): NumericSequence {
  const channels = columns.value.length;
  const first = steps[0]!;
  for (const [key, name] of [['label', columns.label], ['group', columns.group]] as const) {
    const other = steps.find((step) => step[key] !== first[key]);
    if (other) {
      throw new DataError(
        `sequence "${printableValue(id)}" has the ${key} "${printableValue(first[key] ?? '')}" at line ${first.line} and "${printableValue(other[key] ?? '')}" here (column "${name}"). One sequence has one ${key}; to label every step of one long recording, cut it into windows instead (\`data.window\`).`,
        file,
        other.line,
      );
    }
  }
  const values = new Float32Array(steps.length * channels);
  steps.forEach((step, t) => values.set(step.values, t * channels));
  return {
    values,
    steps: steps.length,
    ...(first.label !== undefined ? { label: first.label } : {}),
    ...(first.group !== undefined ? { group: first.group } : {}),
    origin: { file, line: first.line },
  };
}

/**
 * One sequence in a table of its own (a CSV per example, or a probe's CSV): every row a step, the
 * columns `value` (default: every column) its channels, in order.
 */
export function readWideSequence(table: Table, value?: readonly string[]): SequenceSet {
  const names = value ?? table.columns;
  const steps = readSteps(table, { value: [...names] });
  const channels = names.length;
  const values = new Float32Array(steps.length * channels);
  steps.forEach((step, t) => values.set(step.values, t * channels));
  return assertUsable({ channels, channelNames: [...names], sequences: [{ values, steps: steps.length, origin: { file: table.file, line: table.lines[0] } }] }, table.file);
}

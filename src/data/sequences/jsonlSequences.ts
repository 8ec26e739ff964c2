/**
 * Numeric sequences from JSON Lines: one example per line, `{"x": [[...], ...], "label": ...}`.
 * `x` is a list of steps, each a list of channel values (`[[0.1, 0.2, 0.3], ...]`), or a flat list
 * of numbers for one channel (`[0.1, 0.5, 0.2]`). `null` is a missing value. The label may be a
 * string or a number; `group` (optional) names a speaker or subject. The key names are
 * `data.columns.value` (default `x`), `data.columns.label` and `data.columns.group`.
 */
import { printableValue } from '../../language/printable';
import { DataError } from '../types';
import { assertChannels, assertFinite32, assertUsable, defaultChannelNames, type NumericSequence, type SequenceSet } from './sequence';

export interface JsonlKeys {
  value: string;
  label?: string;
  group?: string;
}

export function readJsonlSequences(text: string, file: string, keys: JsonlKeys): SequenceSet {
  const sequences: NumericSequence[] = [];
  let channels: number | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const origin = { file, line: i + 1 };
    let object: unknown;
    try {
      object = JSON.parse(raw);
    } catch {
      throw new DataError('this line is not valid JSON. Each line of a .jsonl file must be one JSON object like {"x": [[0.1, 0.2], [0.3, 0.4]], "label": "walk"}.', file, i + 1);
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      throw new DataError('this line is not a JSON object. Each line must be one object like {"x": [[0.1, 0.2], [0.3, 0.4]], "label": "walk"}.', file, i + 1);
    }
    const record = object as Record<string, unknown>;
    const { values, steps, width } = readSteps(record[keys.value], keys.value, origin);
    channels ??= width;
    assertChannels(width, channels, origin, 'sequence');
    const label = keys.label !== undefined ? readText(record[keys.label], keys.label, origin) : undefined;
    const group = keys.group !== undefined ? readText(record[keys.group], keys.group, origin) : undefined;
    sequences.push({ values, steps, ...(label !== undefined ? { label } : {}), ...(group !== undefined ? { group } : {}), origin });
  });
  return assertUsable({ channels: channels ?? 0, channelNames: defaultChannelNames(channels ?? 0), sequences }, file);
}

function readSteps(x: unknown, key: string, origin: { file: string; line: number }): { values: Float32Array; steps: number; width: number } {
  if (!Array.isArray(x)) {
    throw new DataError(`this line has no list "${key}" (${x === undefined ? 'missing' : `it is ${typeof x}`}). Give every line its steps, e.g. "${key}": [[0.1, 0.2], [0.3, 0.4]].`, origin.file, origin.line);
  }
  const nested = x.some((step) => Array.isArray(step));
  if (nested && !x.every((step) => Array.isArray(step))) {
    throw new DataError(`"${key}" mixes lists and single numbers. Write every step as a list of its channel values.`, origin.file, origin.line);
  }
  const rows: unknown[][] = nested ? (x as unknown[][]) : x.map((value) => [value]);
  const width = rows[0]?.length ?? 0;
  const values = new Float32Array(rows.length * width);
  rows.forEach((row, t) => {
    assertChannels(row.length, width, origin, `step (${t + 1})`);
    row.forEach((value, c) => {
      if (value === null) values[t * width + c] = NaN;
      else if (typeof value === 'number' && Number.isFinite(value)) {
        assertFinite32(value, origin);
        values[t * width + c] = value;
      } else {
        throw new DataError(
          `step ${t + 1}, channel ${c + 1} of "${key}" is ${printableValue(JSON.stringify(value) ?? String(value))}, not a number. Write numbers, or null for a missing value.`,
          origin.file,
          origin.line,
        );
      }
    });
  });
  return { values, steps: rows.length, width };
}

function readText(value: unknown, key: string, origin: { file: string; line: number }): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new DataError(`this line has no "${key}" (a string or a number). Give every example one.`, origin.file, origin.line);
}

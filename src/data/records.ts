/**
 * Turns the text of a data file into what the pipelines consume: labelled text examples, a numeric
 * series, or a corpus. Each value keeps its 1-based line so that errors can point at it.
 */
import { printableValue } from '../language/printable';
import { parse } from 'csv-parse/sync';
import type { DataSpec } from '../language/types';
import type { SourceFormat } from './formats';
import { DataError } from './types';

export interface TextExample {
  text: string;
  label: string;
  /** 1-based line in `file` (for a CSV record spanning lines, its last line). */
  line: number;
}

export interface TextExamples {
  file: string;
  examples: TextExample[];
}

/** Names of the columns to read. */
export type ColumnNames = DataSpec['columns'];

export interface Table {
  file: string;
  columns: string[];
  /** `undefined` where a JSON line lacks a field other lines have. */
  rows: (string | undefined)[][];
  lines: number[];
}

export function readTextExamples(text: string, file: string, format: SourceFormat, columns: ColumnNames): TextExamples {
  if (format === 'txt') return { file, examples: readTabSeparatedLabels(text, file) };
  const table = readTable(text, file, format);
  const textIndex = columnIndex(table, columns.text, 'text', file);
  const labelIndex = columnIndex(table, columns.label, 'label', file);
  const examples = table.rows.map((_, i) => ({
    text: cell(table, i, textIndex),
    label: cell(table, i, labelIndex),
    line: table.lines[i],
  }));
  return { file, examples };
}

/** A `.txt` file is the corpus itself; for tables the text column is joined line by line. */
export function readCorpus(text: string, file: string, format: SourceFormat, columns: ColumnNames): string {
  if (format === 'txt') return text;
  const table = readTable(text, file, format);
  const index = columnIndex(table, columns.text, 'text', file);
  return table.rows.map((_, i) => cell(table, i, index)).join('\n');
}

function readTabSeparatedLabels(text: string, file: string): TextExample[] {
  const examples: TextExample[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    if (tab <= 0) {
      throw new DataError(
        'expected `label<TAB>text` on every line of a .txt file for this task; this line has no label before a tab.',
        file,
        i + 1,
      );
    }
    examples.push({ label: line.slice(0, tab), text: line.slice(tab + 1), line: i + 1 });
  });
  return examples;
}

/**
 * A table's header and rows (also read to infer a spec from the user's data). `keepBlankLines` (series): a blank line is a row of missing values
 * (`undefined` cells) instead of being skipped, so no value moves to another step.
 */
export function readTable(text: string, file: string, format: 'csv' | 'tsv' | 'jsonl', keepBlankLines = false): Table {
  const table = format === 'jsonl' ? readJsonLines(text, file) : readDelimited(text, file, format === 'tsv' ? '\t' : ',', keepBlankLines);
  if (table.rows.length === 0) {
    throw new DataError('the file has a header row but no data rows. Add at least one example below the header.', file);
  }
  return table;
}

interface CsvParseFailure {
  code?: string;
  lines?: number;
  message: string;
}

function readDelimited(text: string, file: string, delimiter: string, keepBlankLines: boolean): Table {
  const lines: number[] = [];
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      skip_empty_lines: !keepBlankLines,
      // A blank line is one empty field; the row-length check below tells it from a short row.
      relax_column_count: keepBlankLines,
      relax_quotes: delimiter === '\t',
      // Reading the line from the parser's context is much cheaper than `info: true` snapshots.
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    throw csvError(error as CsvParseFailure, text, file);
  }
  const [header, ...body] = records;
  let rows: (string | undefined)[][] = body;
  const rowLines = lines.slice(1);
  if (keepBlankLines) {
    while (rows.length > 0 && isBlank(rows[rows.length - 1]!)) rows = rows.slice(0, -1); // the file's end, not a gap
    rows = rows.map((row, i) => {
      if (isBlank(row)) return header.map(() => undefined);
      if (row.length !== header.length) {
        throw csvError({ code: 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH', message: `expect ${header.length}, got ${row.length}`, lines: rowLines[i] }, text, file);
      }
      return row;
    });
  }
  return { file, columns: header.map((name) => name.trim()), rows, lines: rowLines.slice(0, rows.length) };
}

function isBlank(row: readonly (string | undefined)[]): boolean {
  return row.length === 1 && (row[0] ?? '').trim() === '';
}

function csvError(error: CsvParseFailure, text: string, file: string): DataError {
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const detail = /expect \d+, got \d+/.exec(error.message)?.[0] ?? 'wrong number of fields';
    return new DataError(
      `this row has a different number of fields than the header (${detail}). Every row needs one value per column; quote values that contain the delimiter.`,
      file,
      error.lines,
    );
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new DataError('a quoted value is never closed. Add the missing closing quote (write "" for a quote inside a value).', file, unclosedQuoteLine(text));
  }
  const reason = error.message.replace(/\s+on line \d+$/, '');
  return new DataError(`cannot parse the file as delimited text (${reason}). Check its quoting and delimiter.`, file, error.lines);
}

/** csv-parse reports where parsing ended; people need the line where the stray quote opened. */
function unclosedQuoteLine(text: string): number | undefined {
  let line = 1;
  let openedAt: number | undefined;
  for (const character of text) {
    if (character === '\n') line++;
    else if (character === '"') openedAt = openedAt === undefined ? line : undefined;
  }
  return openedAt;
}

function readJsonLines(text: string, file: string): Table {
  const columns: string[] = [];
  const objects: Record<string, unknown>[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DataError('this line is not valid JSON. Each line of a .jsonl file must be one JSON object.', file, i + 1);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError('this line is not a JSON object. Each line of a .jsonl file must be one object like {"text": ..., "label": ...}.', file, i + 1);
    }
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) if (!columns.includes(key)) columns.push(key);
    objects.push(object);
    lines.push(i + 1);
  });
  const rows = objects.map((object) =>
    columns.map((key) => {
      const value = object[key];
      if (value === undefined || value === null) return undefined;
      return typeof value === 'string' ? value : JSON.stringify(value);
    }),
  );
  return { file, columns, rows, lines };
}

function cell(table: Table, row: number, column: number): string {
  const value = table.rows[row][column];
  if (value === undefined) {
    const name = table.columns[column];
    throw new DataError(`this line has no "${name}" field. Give every example a "${name}" value, or remove the line.`, table.file, table.lines[row]);
  }
  return value;
}

export function columnIndex(table: Table, name: string, role: string, file: string): number {
  const index = table.columns.indexOf(name);
  if (index === -1) {
    throw new DataError(
      `there is no column "${name}" (the ${role} column). The file has: ${table.columns.map((c) => `"${printableValue(c)}"`).join(', ')}. Set \`data.columns.${role}\` to one of them.`,
      file,
      1,
    );
  }
  return index;
}

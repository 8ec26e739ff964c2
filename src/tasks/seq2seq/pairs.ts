/**
 * Reading sentence pairs (a source text and its target text) from a data file:
 *
 * - `.txt` / `.tsv`: one pair a line, `source<TAB>target`, the layout of the Tatoeba / manythings.org
 *   files (`fra.txt`) that Keras' `lstm_seq2seq` reads; a third column and beyond (Tatoeba's
 *   attribution) is ignored; no header, except a first line that names the two columns;
 * - `.csv` / `.jsonl`: a `source` and a `target` column or field (names configurable).
 *
 * Blank lines are skipped. A pair with a missing side or an empty one is refused with its line: a
 * model cannot learn to translate into nothing, and a silently dropped line hides a broken file.
 */
import type { SourceFormat } from '../../data/formats';
import { columnIndex, readTable } from '../../data/records';
import { DataError } from '../../data/types';

/** One pair as read; `line` is 1-based in `file`. */
export interface TextPair {
  source: string;
  target: string;
  line: number;
}

/** The columns (CSV) or fields (JSONL) holding each side, and a header line's names (TSV). */
export interface PairColumns {
  source: string;
  target: string;
}

export const DEFAULT_PAIR_COLUMNS: PairColumns = { source: 'source', target: 'target' };

export interface ReadPairsOptions {
  columns?: PairColumns;
  /** Read only the first this many pairs of the file, as Keras' example takes its first 10,000 lines. */
  first?: number;
}

/**
 * The pairs of a data file's text, in file order.
 * @throws DataError naming the line of a pair with a missing or empty side, or a missing column.
 */
export function readPairs(text: string, file: string, format: SourceFormat, options: ReadPairsOptions = {}): TextPair[] {
  const columns = options.columns ?? DEFAULT_PAIR_COLUMNS;
  const first = options.first ?? Infinity;
  const pairs = format === 'txt' || format === 'tsv' ? readTabSeparated(text, file, columns, first) : readColumns(text, file, format, columns, first);
  if (pairs.length === 0) throw new DataError('the file holds no pairs. Write one pair a line: the source text, a tab, the target text.', file);
  return pairs;
}

function readTabSeparated(text: string, file: string, columns: PairColumns, first: number): TextPair[] {
  const pairs: TextPair[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && pairs.length < first; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const [source, target] = line.split('\t');
    if (pairs.length === 0 && source.trim() === columns.source && target?.trim() === columns.target) continue; // a header
    if (target === undefined) {
      throw new DataError('this line has no tab, so no target text: write the source text, a tab, then the target text (a third column, such as an attribution, is ignored).', file, i + 1);
    }
    pairs.push(checkedPair(source, target, file, i + 1));
  }
  return pairs;
}

function readColumns(text: string, file: string, format: 'csv' | 'jsonl', columns: PairColumns, first: number): TextPair[] {
  const table = readTable(text, file, format);
  const sourceIndex = columnIndex(table, columns.source, 'source', file);
  const targetIndex = columnIndex(table, columns.target, 'target', file);
  const pairs: TextPair[] = [];
  for (let i = 0; i < table.rows.length && pairs.length < first; i++) {
    const row = table.rows[i];
    const line = table.lines[i];
    for (const [index, side] of [[sourceIndex, 'source'], [targetIndex, 'target']] as const) {
      if (row[index] === undefined) throw new DataError(`this pair has no ${side} ("${table.columns[index]}" is missing). Give every pair both sides, or remove the line.`, file, line);
    }
    pairs.push(checkedPair(row[sourceIndex]!, row[targetIndex]!, file, line));
  }
  return pairs;
}

function checkedPair(source: string, target: string, file: string, line: number): TextPair {
  if (source.trim() === '') throw new DataError('the source text of this pair is empty. Every pair needs a text to translate; remove the line or fill it in.', file, line);
  if (target.trim() === '') throw new DataError('the target text of this pair is empty. A model cannot learn to produce nothing: remove the line or fill in its target.', file, line);
  return { source, target, line };
}

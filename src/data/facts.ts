/**
 * Reads what the checker can know about a spec's data file (DataFacts), for the editor and
 * `seqlab check`: bounded to small local files, never throwing (a data problem becomes a fact).
 * Built-in generators and `imdb` have nothing to read here: their facts are known statically or
 * the read is too large for the editor.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { DataFacts } from '../language/dataFacts';
import { factsFromStats } from '../language/dataFacts';
import { resolveSpec } from '../language/resolve';
import type { DataSpec } from '../language/types';
import { SpecSource } from '../language/yamlSource';
import { formatOf, isFileSource } from './formats';
import { prepareDataSection } from './prepare';
import { readDataText } from './readSource';
import { readTable } from './records';
import { DataError } from './types';

/** Files above this size are only read by a run (whose `data` event the editor may still use). */
export const FACTS_MAX_BYTES = 2 * 1024 * 1024;

/**
 * What identifies one read of the data: the resolved data section and the size and modification
 * time of its files. Facts cached under another key are stale. Undefined for non-file sources.
 */
export function dataFactsKey(data: DataSpec, specDir: string): string | undefined {
  if (!isFileSource(data.source)) return undefined;
  const files = [data.source, ...('source' in data.validation ? [data.validation.source] : [])].map((file) => {
    const info = statSync(resolve(specDir, file), { throwIfNoEntry: false });
    return info ? [info.size, info.mtimeMs] : 'missing';
  });
  return JSON.stringify([data, resolve(specDir), files]);
}

/** Facts about a file source, or undefined when there is nothing to read or it is too large. */
export async function readDataFacts(data: DataSpec, specDir: string, maxBytes = FACTS_MAX_BYTES): Promise<DataFacts | undefined> {
  if (!isFileSource(data.source)) return undefined;
  const base = { source: data.source, task: data.task };
  if (!formatOf(data.source)) return undefined; // the checker reports the extension itself
  const written = [data.source, ...('source' in data.validation ? [data.validation.source] : [])];
  for (const name of written) {
    const info = statSync(resolve(specDir, name), { throwIfNoEntry: false });
    if (!info) return { ...base, problem: { kind: 'not-found', message: notFound(name, specDir) } };
    if (!info.isFile() || info.size > maxBytes) return undefined;
  }
  const file = resolve(specDir, data.source);
  try {
    const { prepared } = await prepareDataSection(data, { specDir });
    const columns = await columnKinds(file);
    return { ...factsFromStats(prepared.stats, data.source), ...(columns ? { columns } : {}) };
  } catch (error) {
    // Files are named as the spec names them, relative to its folder.
    if (error instanceof DataError) return { ...base, problem: { kind: 'data', message: error.file ? error.message.replace(error.file, relative(specDir, error.file)) : error.message } };
    return { ...base, problem: { kind: 'unreadable', message: error instanceof Error ? error.message : String(error) } };
  }
}

/** Facts for the data a spec file reads (parsed leniently; its folder is where relative paths start). */
export async function readSpecDataFacts(text: string, specPath: string, maxBytes = FACTS_MAX_BYTES): Promise<DataFacts | undefined> {
  return readDataFacts(resolveSpec(new SpecSource(text).data, specPath).data, dirname(resolve(specPath)), maxBytes);
}

function notFound(name: string, specDir: string): string {
  const where = isAbsolute(name) ? '' : ` in the spec's folder (${resolve(specDir)}), which relative paths start from`;
  return `\`${name}\` does not exist${where}. Check the name and folder.`;
}

/** A table's columns and whether every non-empty value in each is a number. */
async function columnKinds(file: string): Promise<DataFacts['columns']> {
  const format = formatOf(file);
  if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') return undefined;
  const table = readTable(await readDataText(file), file, format);
  return table.columns.map((name, index) => {
    const values = table.rows.map((row) => row[index]?.trim() ?? '').filter((value) => value !== '');
    return { name, kind: values.length > 0 && values.every((value) => Number.isFinite(Number(value))) ? 'number' : 'text' };
  });
}

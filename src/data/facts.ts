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
import { expandDataPath } from './dataPaths';
import { formatOf, isFileSource, SUPPORTED_EXTENSIONS } from './formats';
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
export function dataFactsKey(data: DataSpec, specDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!isFileSource(data.source)) return undefined;
  const files = writtenFiles(data).map(([written, field]) => {
    let path: string;
    try {
      path = resolve(specDir, expandDataPath(written, field, env));
    } catch {
      return 'unset';
    }
    const info = statSync(path, { throwIfNoEntry: false });
    return info ? [path, info.size, info.mtimeMs] : [path, 'missing'];
  });
  return JSON.stringify([data, resolve(specDir), files]);
}

/** The spec's data files as written, with the field each is written in. */
function writtenFiles(data: DataSpec): [string, string][] {
  return [[data.source, 'data.source'], ...('source' in data.validation ? [[data.validation.source, 'data.validation.source'] as [string, string]] : [])];
}

/** Facts about a file source, or undefined when there is nothing to read or it is too large. */
export async function readDataFacts(data: DataSpec, specDir: string, maxBytes = FACTS_MAX_BYTES, env: NodeJS.ProcessEnv = process.env): Promise<DataFacts | undefined> {
  if (!isFileSource(data.source)) return undefined;
  const base = { source: data.source, task: data.task };
  const files: string[] = [];
  for (const [written, field] of writtenFiles(data)) {
    let name: string;
    try {
      name = expandDataPath(written, field, env);
    } catch (error) {
      return { ...base, problem: { kind: 'not-found', message: (error as Error).message } };
    }
    // The checker reports a written extension itself; one that came from the environment is reported here.
    if (!formatOf(name)) return name === written ? undefined : { ...base, problem: { kind: 'data', message: unsupported(written, name) } };
    const info = statSync(resolve(specDir, name), { throwIfNoEntry: false });
    if (!info) return { ...base, problem: { kind: 'not-found', message: notFound(name, specDir, written) } };
    if (!info.isFile() || info.size > maxBytes) return undefined;
    files.push(resolve(specDir, name));
  }
  const file = files[0]!;
  try {
    const { prepared } = await prepareDataSection(data, { specDir, env });
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

function notFound(name: string, specDir: string, written: string): string {
  const where = isAbsolute(name) ? '' : ` in the spec's folder (${resolve(specDir)}), which relative paths start from`;
  const from = name === written ? '' : ` (the value of \`${written}\`)`;
  return `\`${name}\`${from} does not exist${where}. Check the name and folder.`;
}

function unsupported(written: string, name: string): string {
  return `\`${written}\` is \`${name}\`, which Sequence Lab cannot read: point it at a ${SUPPORTED_EXTENSIONS.join(', ')} file, or a plain text file without extension.`;
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

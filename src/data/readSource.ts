/**
 * Reads a data file into text: transparent gunzip for `*.gz`, strict UTF-8 (a wrong encoding is
 * reported with its line instead of silently turning into replacement characters).
 */
import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DataError } from './types';

const gunzipAsync = promisify(gunzip);

export async function readDataBytes(file: string): Promise<Buffer> {
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    throw new DataError('file not found. Paths in `data.source` are relative to the spec file; check the name and folder.', file);
  }
  if (info.isDirectory()) {
    throw new DataError('this is a folder, not a data file. Point `data.source` at a .csv, .tsv, .jsonl or .txt file (optionally .gz).', file);
  }
  const raw = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DataError(`cannot read the file (${error.code ?? error.message}). Check that you may read it.`, file);
  });
  if (!file.endsWith('.gz')) return raw;
  try {
    return await gunzipAsync(raw);
  } catch {
    throw new DataError('the file ends in .gz but is not gzip-compressed data. Compress it with gzip, or remove the .gz suffix.', file);
  }
}

/** The text of a data file; rejects empty files and invalid UTF-8. */
export async function readDataText(file: string): Promise<string> {
  const bytes = await readDataBytes(file);
  return decodeUtf8(bytes, file);
}

export function decodeUtf8(bytes: Buffer, file: string): string {
  if (!isUtf8(bytes)) {
    throw new DataError(
      'the file is not valid UTF-8 text. Re-save it with UTF-8 encoding (e.g. `iconv -f latin1 -t utf-8`).',
      file,
      firstInvalidLine(bytes),
    );
  }
  // NUL is valid UTF-8, but in a data file it means UTF-16 text or a binary file.
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new DataError(
      'the file contains NUL bytes, so it is binary or UTF-16 text, not UTF-8. Re-save it as UTF-8 text.',
      file,
      lineAt(bytes, nul),
    );
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new DataError('the file is empty. Add data to it, or point `data.source` at another file.', file);
  }
  return text;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** 1-based line of the first invalid UTF-8 sequence; a newline byte never occurs inside a multi-byte one. */
function firstInvalidLine(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    line++;
    start = end + 1;
  }
  return line;
}

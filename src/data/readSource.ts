/**
 * Reads a data file into text: transparent gunzip for `*.gz`, strict UTF-8 (a wrong encoding is
 * named, with its line, instead of silently turning into replacement characters).
 */
import { readFile, stat } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeUtf8 } from './encoding';
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
  return file.endsWith('.gz') ? gunzipData(raw, file) : raw;
}

/** A `.gz` file that is not gzip, a truncated one and a corrupt one are three different fixes. */
async function gunzipData(raw: Buffer, file: string): Promise<Buffer> {
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) {
    throw new DataError('the file ends in .gz but is not gzip-compressed data. Compress it with gzip, or remove the .gz suffix.', file);
  }
  try {
    return await gunzipAsync(raw);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') {
      throw new DataError(
        `the gzip data ends early: the file is truncated (${raw.length.toLocaleString('en-US')} bytes; an interrupted download or copy). Download or copy it again; \`gzip -t\` tells whether a .gz file is whole.`,
        file,
      );
    }
    throw new DataError(`the gzip data is corrupt (${(error as Error).message}). Download or copy the file again; \`gzip -t\` tells whether a .gz file is whole.`, file);
  }
}

/** The text of a data file; rejects empty files and invalid UTF-8. */
export async function readDataText(file: string): Promise<string> {
  const bytes = await readDataBytes(file);
  return decodeUtf8(bytes, file);
}

/**
 * Reads a data file into text: transparent gunzip for `*.gz`, strict UTF-8 (a wrong encoding is
 * named, with its line, instead of silently turning into replacement characters).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeUtf8 } from './encoding';
import { DataError } from './types';

const gunzipAsync = promisify(gunzip);

/**
 * The largest data file read (decompressed): a file becomes one string, and V8 strings stop at
 * 512 MiB. Larger data is refused before reading, with how to train on a slice of it.
 */
export const MAX_DATA_BYTES = 500 * 1024 * 1024;

function tooLarge(file: string, size: string, maxBytes: number): DataError {
  return new DataError(
    `the file ${size}; Sequence Lab reads data files of at most ${formatBytes(maxBytes)} (a documented limit: a file is held in memory as one text). ` +
      `Train on a slice of it, its first lines: e.g. \`${sliceCommand(file)}\` (a table keeps its header; check that the slice is under ${formatBytes(maxBytes)}), then point \`data.source\` at the slice.`,
    file,
  );
}

/** A shell command that keeps a data file's first million lines (decompressing a `.gz`). */
function sliceCommand(file: string): string {
  const name = basename(file);
  const plain = name.replace(/\.gz$/, '');
  const slice = `part${extname(plain)}`;
  return plain === name ? `head -n 1000000 ${name} > ${slice}` : `gunzip -c ${name} | head -n 1000000 > ${slice}`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  return bytes >= 1024 ** 2 ? `${Math.round(bytes / 1024 ** 2)} MB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** The bytes of a data file, gunzipped when it ends in `.gz`; `maxBytes` (decompressed) defaults to MAX_DATA_BYTES. */
export async function readDataBytes(file: string, maxBytes = MAX_DATA_BYTES): Promise<Buffer> {
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    throw new DataError('file not found. Paths in `data.source` are relative to the spec file; check the name and folder.', file);
  }
  if (info.isDirectory()) {
    throw new DataError('this is a folder, not a data file. Point `data.source` at a .csv, .tsv, .jsonl or .txt file (optionally .gz).', file);
  }
  if (info.size > maxBytes) throw tooLarge(file, `is ${formatBytes(info.size)}`, maxBytes);
  const raw = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DataError(`cannot read the file (${error.code ?? error.message}). Check that you may read it.`, file);
  });
  return file.endsWith('.gz') ? gunzipData(raw, file, maxBytes) : raw;
}

/** A `.gz` file that is not gzip, a truncated one and a corrupt one are three different fixes. */
async function gunzipData(raw: Buffer, file: string, maxBytes: number): Promise<Buffer> {
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) {
    throw new DataError('the file ends in .gz but is not gzip-compressed data. Compress it with gzip, or remove the .gz suffix.', file);
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(file, `holds more than ${formatBytes(maxBytes)} once decompressed`, maxBytes);
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

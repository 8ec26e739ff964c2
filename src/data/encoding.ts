/**
 * Data files are UTF-8. Anything else is named for what it is, with the conversion that keeps its
 * characters: UTF-16 (with or without a byte-order mark), Windows-1252 (cp1252: curly quotes and
 * dashes in bytes 0x80-0x9F, which Latin-1 would turn into control characters), Latin-1, or binary.
 */
import { isUtf8 } from 'node:buffer';
import { DataError } from './types';

/** The text of a UTF-8 file (a UTF-8 byte-order mark is dropped); a DataError naming the encoding otherwise. */
export function decodeUtf8(bytes: Buffer, file: string): string {
  const utf16 = utf16Kind(bytes);
  if (utf16) {
    throw new DataError(
      `the file is UTF-16 text (${utf16.evidence}), but data files must be UTF-8. Convert it: \`${convertCommand(file, utf16.name)}\`, or save it as UTF-8 in your editor.`,
      file,
    );
  }
  if (!isUtf8(bytes)) throw notUtf8(bytes, file);
  // NUL is valid UTF-8, but in a data file it means a binary file.
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new DataError('the file contains NUL bytes, so it is binary, not text. Point `data.source` at a UTF-8 text file (.csv, .tsv, .jsonl or .txt).', file, lineAt(bytes, nul));
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new DataError('the file is empty. Add data to it, or point `data.source` at another file.', file);
  }
  return text;
}

/** UTF-16 by its byte-order mark, or by ASCII text with a NUL in every other byte. */
function utf16Kind(bytes: Buffer): { name: 'UTF-16' | 'UTF-16LE' | 'UTF-16BE'; evidence: string } | undefined {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { name: 'UTF-16', evidence: 'it starts with a UTF-16 byte-order mark' };
  }
  const sample = bytes.subarray(0, 4096 - (Math.min(bytes.length, 4096) % 2));
  if (sample.length < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  const pairs = sample.length / 2;
  if (oddNul > 0.9 * pairs && evenNul === 0) return { name: 'UTF-16LE', evidence: 'every other byte is 0, without a byte-order mark' };
  if (evenNul > 0.9 * pairs && oddNul === 0) return { name: 'UTF-16BE', evidence: 'every other byte is 0, without a byte-order mark' };
  return undefined;
}

/** Windows-1252's characters for 0x80-0x9F (undefined: unassigned there). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function notUtf8(bytes: Buffer, file: string): DataError {
  const offset = firstInvalidOffset(bytes);
  const byte = bytes[offset]!;
  const line = lineAt(bytes, offset);
  const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  if (hasWindows1252Bytes(bytes)) {
    const character = byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
    return new DataError(
      `the file is not UTF-8: it looks like Windows-1252 (cp1252) text (byte ${hex} is "${character}" there; its curly quotes and dashes are bytes Latin-1 does not have). Convert it with \`${convertCommand(file, 'CP1252')}\` (Latin-1 would garble those characters).`,
      file,
      line,
    );
  }
  return new DataError(
    `the file is not UTF-8: it looks like Latin-1 or Windows-1252 text (byte ${hex} is "${String.fromCharCode(byte)}" in both). Convert it with \`${convertCommand(file, 'CP1252')}\`.`,
    file,
    line,
  );
}

/** Bytes 0x80-0x9F that are not UTF-8 continuation bytes: Windows-1252's punctuation. */
function hasWindows1252Bytes(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte < 0x80) continue;
    const length = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 && byte <= 0xdf ? 2 : 0;
    if (length > 0 && isUtf8(bytes.subarray(i, i + length))) {
      i += length - 1;
      continue;
    }
    if (byte <= 0x9f) return true;
  }
  return false;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidOffset(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte < 0x80) continue;
    const length = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 && byte <= 0xdf ? 2 : 0;
    if (length > 0 && isUtf8(bytes.subarray(i, i + length))) i += length - 1;
    else return i;
  }
  return bytes.length;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** The shell command that writes a UTF-8 copy beside the file (through gunzip/gzip for `.gz`). */
function convertCommand(file: string, from: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  const quoted = /^[\w.-]+$/.test(name) ? name : `'${name.replace(/'/g, "'\\''")}'`;
  const extension = /(\.\w+)(?:\.gz)?$/.exec(name)?.[1] ?? '.txt';
  return name.endsWith('.gz')
    ? `gunzip -c ${quoted} | iconv -f ${from} -t UTF-8 | gzip > utf8${extension}.gz`
    : `iconv -f ${from} -t UTF-8 ${quoted} > utf8${extension}`;
}

/**
 * Which data files Sequence Lab reads, told by their names alone (no file access), so the spec
 * checker can refuse an unsupported extension while the user types.
 */

export type SourceFormat = 'csv' | 'tsv' | 'jsonl' | 'txt';

export const SUPPORTED_EXTENSIONS = ['.csv', '.tsv', '.jsonl', '.txt'].flatMap((ext) => [ext, `${ext}.gz`]);

/** By extension; a file without one (like UCI's `SMSSpamCollection`) is plain text. */
export function formatOf(file: string): SourceFormat | undefined {
  const match = /\.(csv|tsv|jsonl|txt)(\.gz)?$/i.exec(file);
  if (match) return match[1]!.toLowerCase() as SourceFormat;
  const name = file.split(/[\\/]/).pop() ?? file;
  return /^[^.]+$/.test(name) ? 'txt' : undefined;
}

/** A data file (not a built-in generator, not `imdb`, not empty). */
export function isFileSource(source: string): boolean {
  return source !== '' && source !== 'imdb' && !source.startsWith('builtin:');
}

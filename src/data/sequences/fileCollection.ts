/**
 * A dataset that is a folder of files, one example per file (WAV or CSV), labelled either by the
 * folder a file is in (`<root>/<label>/<file>`: the layout of Speech Commands) or by a file-name
 * pattern (`{label}_{speaker}_{index}.wav`: the layout of the Free Spoken Digit Dataset). A
 * pattern's `{field}`s become fields of each example: `label` is the class, any other can choose
 * the validation split (FSDD's `index` 0-4) or group the examples (by speaker).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { printableValue } from '../../language/printable';
import { DataError } from '../types';

export interface ExampleFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the root, with `/`, for messages and patterns. */
  name: string;
  label: string;
  /** The pattern's fields (`label` included); a folder layout gives `{ label }`. */
  fields: Record<string, string>;
}

/** At most this many files are listed: a guard against pointing at `/`. */
export const MAX_EXAMPLE_FILES = 200_000;

/**
 * Lists `root`'s example files with extension `extension` (e.g. `.wav`, lower-case compared).
 * Without `pattern`: every sub-folder of `root` is a class. With it: files whose path relative to
 * `root` matches it; a file that does not match is an error naming it, so nothing is left out in
 * silence. Sorted by name, so the order never depends on the file system.
 */
export function listExampleFiles(root: string, extension: string, pattern?: string): ExampleFile[] {
  const info = statSync(root, { throwIfNoEntry: false });
  if (!info) throw new DataError('folder not found. Paths in `data.source` are relative to the spec file.', root);
  if (!info.isDirectory()) throw new DataError(`this is a file, not a folder of ${extension} files. Point \`data.source\` at the folder.`, root);
  const files = walk(root, extension).sort();
  if (files.length === 0) throw new DataError(`the folder holds no ${extension} files${pattern ? '' : ' in its class sub-folders'}.`, root);
  const examples = pattern ? byPattern(root, files, pattern) : byFolder(root, files);
  assertEveryClassTwice(examples, root, pattern !== undefined);
  return examples;
}

function walk(root: string, extension: string): string[] {
  const found: string[] = [];
  const visit = (folder: string, depth: number) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth < 3) visit(path, depth + 1);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith(extension)) {
        found.push(path);
        if (found.length > MAX_EXAMPLE_FILES) {
          throw new DataError(`the folder holds more than ${MAX_EXAMPLE_FILES.toLocaleString('en-US')} ${extension} files. Point \`data.source\` at the dataset's own folder.`, root);
        }
      }
    }
  };
  visit(root, 0);
  return found;
}

function byFolder(root: string, files: string[]): ExampleFile[] {
  return files.map((path) => {
    const name = relative(root, path).split(sep).join('/');
    const parts = name.split('/');
    if (parts.length < 2) {
      throw new DataError(
        `this file is not in a class folder. In a folder-per-class layout every file sits in <folder>/<class>/; move it into its class's folder, or describe the file names with \`data.files.pattern\` (e.g. "{label}_{speaker}_{index}.wav").`,
        path,
      );
    }
    const label = parts[0]!;
    return { path, name, label, fields: { label } };
  });
}

/** A pattern's fields in order, and the regular expression it stands for. */
export function compilePattern(pattern: string): { fields: string[]; regex: RegExp } {
  const fields: string[] = [];
  let source = '';
  let last = 0;
  for (const match of pattern.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    source += escapeRegex(pattern.slice(last, match.index));
    const field = match[1]!;
    if (fields.includes(field)) throw new DataError(`the file pattern "${printableValue(pattern)}" names {${field}} twice. Name each field once.`);
    fields.push(field);
    // A field never crosses a folder; the shortest match, so `{a}_{b}` splits at the first `_`.
    source += `([^/]+?)`;
    last = match.index + match[0].length;
  }
  source += escapeRegex(pattern.slice(last));
  if (!fields.includes('label')) {
    throw new DataError(`the file pattern "${printableValue(pattern)}" has no {label}. Mark the part of the name that is the class, e.g. "{label}_{speaker}_{index}.wav".`);
  }
  return { fields, regex: new RegExp(`^${source}$`) };
}

function byPattern(root: string, files: string[], pattern: string): ExampleFile[] {
  const { fields, regex } = compilePattern(pattern);
  return files.map((path) => {
    const name = relative(root, path).split(sep).join('/');
    const match = regex.exec(name);
    if (!match) {
      throw new DataError(
        `this file's name does not match the pattern "${printableValue(pattern)}" (\`data.files.pattern\`). Rename or remove it, or change the pattern.`,
        path,
      );
    }
    const values = Object.fromEntries(fields.map((field, i) => [field, match[i + 1]!]));
    return { path, name, label: values.label!, fields: values };
  });
}

/** A class with one example can be neither learnt nor checked: refuse it, naming the file. */
function assertEveryClassTwice(examples: ExampleFile[], root: string, byName: boolean): void {
  const counts = new Map<string, ExampleFile[]>();
  for (const example of examples) counts.set(example.label, [...(counts.get(example.label) ?? []), example]);
  if (counts.size < 2) {
    throw new DataError(`every example has the label "${printableValue(examples[0]!.label)}": classification needs at least two classes${byName ? ' (check which part of the name {label} marks)' : ' (one sub-folder per class)'}.`, root);
  }
  for (const [label, members] of counts) {
    if (members.length === 1) {
      throw new DataError(
        `the class "${printableValue(label)}" has only this one file${byName ? '' : ' in its folder'}. A class needs at least two examples (one to learn from, one to check); add more, or remove the class.`,
        members[0]!.path,
      );
    }
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

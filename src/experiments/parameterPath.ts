/**
 * Spec paths as a sweep addresses them: `model[1].units`, `train.learning_rate`,
 * `data.tokenizer.vocab_size`, `model[0].layer.units` (the cell inside a `bidirectional`). The same
 * notation as the flattened fields of *Compare Runs* (compare/compareRuns.ts `flattenSpec`), so a
 * parameter reads alike in the spec, the experiment table and a comparison.
 */
import type { KeyPath } from '../language/yamlSource';

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$/;

/**
 * `model[1].units` → `['model', 1, 'units']`.
 * @throws ParameterPathError on an empty part, a bad index or characters a key cannot have.
 */
export function parseParameterPath(text: string): KeyPath {
  if (text.trim() === '') throw new ParameterPathError('A parameter path is empty: write a spec field such as `train.learning_rate` or `model[0].units`.');
  const path: KeyPath = [];
  for (const part of text.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) {
      throw new ParameterPathError(`\`${text}\` is not a spec path: write keys separated by dots and list positions in brackets, e.g. \`model[0].units\` or \`train.learning_rate\`.`);
    }
    path.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/** `['model', 1, 'units']` → `model[1].units`. */
export function formatParameterPath(path: KeyPath): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

export class ParameterPathError extends Error {}

/** The value at `path` in parsed YAML data, `undefined` where any step is missing. */
export function valueAt(data: unknown, path: KeyPath): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof segment === 'number') current = Array.isArray(current) ? current[segment] : undefined;
    else current = typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * What an example promises and what it reads, from its text alone: the `# Result: <metric> <op>
 * <value>` line (`# Result with --quick: …` for a slice of a large data set; Keras history names:
 * `val_accuracy`, `val_data_mae`, ...) and the environment variables its data paths name.
 */

export interface StatedResult {
  metric: string;
  op: '>=' | '<=';
  value: number;
  /** The promise holds for `seqlab train --quick`, not a full run. */
  quick: boolean;
  holds(reached: number): boolean;
}

const RESULT = /^# Result( with --quick)?: (\w+) (>=|<=) ([\d.]+)$/m;

export function statedResult(specText: string): StatedResult | undefined {
  const [, quick, metric, op, value] = RESULT.exec(specText) ?? [];
  if (!metric || (op !== '>=' && op !== '<=')) return undefined;
  const bound = Number(value);
  return { metric, op, value: bound, quick: !!quick, holds: (reached) => (op === '>=' ? reached >= bound : reached <= bound) };
}

/**
 * The variables an example's data comes from: each `${env:NAME}` in its text, and SEQLAB_IMDB for
 * `source: imdb` (the IMDB loader reads it when `data.imdb_path` is not given).
 */
export function dataVariables(specText: string): string[] {
  const named = [...specText.matchAll(/^[^#\n]*\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/gm)].map(([, name]) => name!);
  if (/^\s+source: imdb$/m.test(specText)) named.push('SEQLAB_IMDB');
  return [...new Set(named)];
}

/**
 * Which parameters matter? A simpler stated stand-in for fANOVA (Hutter, Hoos & Leyton-Brown 2014,
 * which Optuna's `get_param_importances` fits with a random forest): each parameter's η², the
 * share of the objective's variance that its values explain alone (a one-way ANOVA: the
 * between-group sum of squares over the total), numeric parameters with more than 4 distinct values
 * grouped into 4 quantile bins; normalised to sum to 1 as Optuna's importances are. Interactions
 * are not attributed (fANOVA's pairwise terms), and with few runs every η² is noisy.
 */
import type { Configuration } from './searchSpace';
import type { ParameterValue } from './sweepSpec';

export interface ScoredConfiguration {
  configuration: Configuration;
  value: number;
}

export interface Importance {
  path: string;
  /** η², in [0, 1]. */
  explained: number;
  /** η² over the sum of every parameter's: the parameters' shares add up to 1 (all 0 when nothing varies). */
  share: number;
}

const MAX_GROUPS = 4;

/** The importance of each of `paths`, largest first. */
export function parameterImportance(paths: readonly string[], runs: readonly ScoredConfiguration[]): Importance[] {
  const values = runs.map((run) => run.value);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const total = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  const explained = paths.map((path) => {
    if (total === 0) return 0;
    const groups = new Map<string, number[]>();
    const keys = groupKeys(runs.map((run) => run.configuration[path]));
    runs.forEach((run, i) => groups.set(keys[i]!, [...(groups.get(keys[i]!) ?? []), run.value]));
    let between = 0;
    for (const group of groups.values()) between += group.length * (group.reduce((a, b) => a + b, 0) / group.length - mean) ** 2;
    return between / total;
  });
  const sum = explained.reduce((a, b) => a + b, 0);
  return paths
    .map((path, i) => ({ path, explained: explained[i]!, share: sum > 0 ? explained[i]! / sum : 0 }))
    .sort((a, b) => b.explained - a.explained);
}

/** A group per distinct value; numbers with more than MAX_GROUPS distinct values in quantile bins. */
function groupKeys(values: readonly (ParameterValue | undefined)[]): string[] {
  const distinct = [...new Set(values.map((v) => String(v)))];
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (distinct.length <= MAX_GROUPS || numbers.length !== values.length) return values.map((v) => String(v));
  const sorted = [...numbers].sort((a, b) => a - b);
  const edges = Array.from({ length: MAX_GROUPS - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / MAX_GROUPS)]!);
  return numbers.map((v) => `bin ${edges.filter((edge) => v >= edge).length}`);
}

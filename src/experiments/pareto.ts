/**
 * The Pareto front of a sweep with several objectives (`sweep.metric: [val_mae, duration]`): the
 * runs no other run beats on every objective at once.
 */
import type { Goal } from './sweepSpec';

export interface Scored {
  id: string;
  /** One value per objective, in the objectives' order; undefined where the run has none. */
  values: readonly (number | undefined)[];
}

/** True when `a` is at least as good as `b` on every objective and better on one. */
export function dominates(a: readonly number[], b: readonly number[], goals: readonly Goal[]): boolean {
  let better = false;
  for (let i = 0; i < goals.length; i++) {
    const sign = goals[i] === 'maximize' ? -1 : 1;
    const x = sign * a[i]!;
    const y = sign * b[i]!;
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/** Ids of the non-dominated runs, in input order; runs missing a value are left out. */
export function paretoFront(runs: readonly Scored[], goals: readonly Goal[]): string[] {
  const complete = runs.filter((run) => run.values.length === goals.length && run.values.every((v) => v !== undefined && Number.isFinite(v))) as { id: string; values: number[] }[];
  return complete.filter((run) => !complete.some((other) => other !== run && dominates(other.values, run.values, goals))).map((run) => run.id);
}

/**
 * Early stopping of poor trials (`sweep.early_stopping`, documented in sweepSpec.ts): after each
 * epoch of a run, should it stop? Pure decisions over the objective's per-epoch values, all in
 * "smaller is better" form (the scheduler negates a maximised metric). Both rules follow Optuna's
 * pruners, so a sweep continued in Optuna prunes alike:
 * - median (`MedianPruner`): the run's best value so far against the median of the completed runs'
 *   best values up to the same epoch, once `min_trials` completed runs reached that epoch;
 * - asha (`SuccessiveHalvingPruner`): at a rung epoch `min_epochs × η^k`, the run's value against
 *   the values every run (running, stopped or completed) had at that rung: it continues only when
 *   it is among the best max(1, ⌊n/η⌋) of them.
 */
import type { Objective, SweepEarlyStopping } from './sweepSpec';

/** Per-epoch values of one run (index 0 = after epoch 1); `undefined` where an epoch had no value. */
export type Curve = readonly (number | undefined)[];

export interface PruneDecision {
  stop: boolean;
  /** Why, in a sentence for the run's record (present when `stop`). */
  reason?: string;
}

const KEEP: PruneDecision = { stop: false };

/**
 * Decides for `run` after its latest epoch (its curve's length).
 * @param completed curves of completed runs (median rule)
 * @param others curves of every other run of the sweep, whatever its state (ASHA's rungs)
 */
export function shouldStop(settings: SweepEarlyStopping, run: Curve, completed: readonly Curve[], others: readonly Curve[], objective: Objective): PruneDecision {
  const epoch = run.length;
  if (epoch < settings.min_epochs) return KEEP;
  // Values arrive minimised; a maximised metric is shown with its own sign.
  const show = (x: number) => fmt(objective.goal === 'maximize' ? -x : x);
  return settings.method === 'median' ? medianRule(settings, run, completed, objective.metric, show) : ashaRule(settings, run, others, objective.metric, show);
}

function medianRule(settings: SweepEarlyStopping, run: Curve, completed: readonly Curve[], metric: string, fmt: (x: number) => string): PruneDecision {
  const epoch = run.length;
  const best = bestUpTo(run, epoch);
  if (best === undefined) return KEEP;
  const references = completed
    .filter((curve) => curve.length >= epoch)
    .map((curve) => bestUpTo(curve, epoch))
    .filter((v): v is number => v !== undefined);
  if (references.length < settings.min_trials) return KEEP;
  const median = medianOf(references);
  if (!(best > median)) return KEEP;
  return { stop: true, reason: `Stopped by the median rule after epoch ${epoch}: its best ${metric} so far, ${fmt(best)}, is worse than the median ${fmt(median)} of ${references.length} completed runs at that epoch.` };
}

function ashaRule(settings: SweepEarlyStopping, run: Curve, others: readonly Curve[], metric: string, fmt: (x: number) => string): PruneDecision {
  const epoch = run.length;
  const rung = rungIndex(epoch, settings);
  if (rung === undefined) return KEEP;
  const value = run[epoch - 1];
  if (value === undefined) return KEEP;
  const competitors = [value, ...others.map((curve) => curve[epoch - 1]).filter((v): v is number => v !== undefined)].sort((a, b) => a - b);
  if (competitors.length - 1 < settings.min_trials) return KEEP;
  const kept = Math.max(1, Math.floor(competitors.length / settings.reduction_factor));
  const threshold = competitors[kept - 1]!;
  if (value <= threshold) return KEEP;
  return {
    stop: true,
    reason: `Stopped by successive halving at rung epoch ${epoch}: its ${metric} ${fmt(value)} is not among the best ${kept} of the ${competitors.length} runs that reached that epoch (the ${kept === 1 ? 'best' : `${kept}th`} is ${fmt(threshold)}).`,
  };
}

/** k when `epoch` is the rung epoch min_epochs × η^k, else undefined. */
export function rungIndex(epoch: number, settings: Pick<SweepEarlyStopping, 'min_epochs' | 'reduction_factor'>): number | undefined {
  let rungEpoch = settings.min_epochs;
  for (let k = 0; rungEpoch <= epoch; k++, rungEpoch *= settings.reduction_factor) if (rungEpoch === epoch) return k;
  return undefined;
}

function bestUpTo(curve: Curve, epoch: number): number | undefined {
  let best: number | undefined;
  for (const value of curve.slice(0, epoch)) if (value !== undefined && (best === undefined || value < best)) best = value;
  return best;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}

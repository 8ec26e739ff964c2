/**
 * The `sweep:` section of a spec, resolved: which spec fields vary and over what, how trials are
 * chosen, how often each is repeated, what is optimised and within which budget. Lenient like
 * language/resolve.ts: a malformed entry is left out (or takes its default) here and reported by the
 * schema and by `sweepProblems` (sweepChecks.ts), so a half-written sweep still shows what it can.
 */
import { deriveSeed } from '../data/random';
import type { KeyPath } from '../language/yamlSource';
import { parseParameterPath, ParameterPathError } from './parameterPath';

export type SweepMethod = 'grid' | 'random' | 'tpe';
export type Goal = 'minimize' | 'maximize';
/** A value a swept field takes: what YAML can write in a scalar field. */
export type ParameterValue = string | number | boolean;

/**
 * Where a parameter's values come from.
 * - `values`: a list (grid: each in turn; random/TPE: a categorical draw, `weights` if given);
 * - `range`: `[min, max]`, uniform or log-uniform (`log`), on a lattice of `step` when given; grid
 *   takes `count` points (evenly spaced, or geometrically when `log`) or every `step`;
 * - `normal`: a normal (or, with `log`, log-normal: `mean`/`std` of the logarithm) draw, clipped to
 *   `[min, max]` when given; random and TPE only.
 * `integer` follows the field's type in the schema (`units`: integer; `learning_rate`: number).
 */
export type ParameterDomain =
  | { kind: 'values'; values: ParameterValue[]; weights?: number[] }
  | { kind: 'range'; min: number; max: number; log: boolean; step?: number; count?: number; integer: boolean }
  | { kind: 'normal'; mean: number; std: number; log: boolean; min?: number; max?: number; integer: boolean };

export interface SweepParameter {
  /** As written: `model[0].units`. */
  path: string;
  keyPath: KeyPath;
  domain: ParameterDomain;
}

/** What one run is scored by: a metric of its final epoch (`val_mae`), `duration` (s) or `params`. */
export interface Objective {
  metric: string;
  goal: Goal;
}

/**
 * Stopping poor trials early, decided after every epoch from the objective's first metric:
 * - `median`: the median stopping rule (Golovin et al. 2017, "Google Vizier", §3.2; Optuna's
 *   `MedianPruner`): stop a run whose best value so far is worse than the median of the other runs'
 *   values at the same epoch, once `min_trials` runs have reached it;
 * - `asha`: asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel
 *   Hyperparameter Tuning"), its stopping form (Optuna's `SuccessiveHalvingPruner`, Ray Tune's
 *   `ASHAScheduler`): at rung epochs `min_epochs × reduction_factor^k` a run continues only while it
 *   is in the best 1/`reduction_factor` of the runs that reached that rung.
 * Never before `min_epochs` epochs.
 */
export interface SweepEarlyStopping {
  method: 'median' | 'asha';
  min_epochs: number;
  reduction_factor: number;
  min_trials: number;
}

export interface TpeSettings {
  /** Configurations drawn at random before TPE models the results (Optuna's `n_startup_trials`). */
  startup_trials: number;
  /** Candidates drawn from the good-trials density per parameter, the best ratio wins (`n_ei_candidates`). */
  candidates: number;
}

export interface SweepSpec {
  method: SweepMethod;
  parameters: SweepParameter[];
  /** Runs per configuration, with seeds derived from `data.seed` (`repeatSeed`). */
  repeats: number;
  /** The first objective ranks trials, drives TPE and early stopping; all of them make the Pareto front. */
  objectives: Objective[];
  /** random/TPE: configurations to try; grid: at most this many of the grid (in grid order). */
  trials?: number;
  /** Wall-clock budget in seconds: no run starts after it; running ones finish. */
  max_time?: number;
  /** Seeds the random and TPE draws; default `data.seed`. */
  seed: number;
  early_stopping?: SweepEarlyStopping;
  tpe: TpeSettings;
}

/** random and TPE without `trials`. */
export const DEFAULT_TRIALS = 10;
export const DEFAULT_TPE: TpeSettings = { startup_trials: 10, candidates: 24 };

/** Metrics whose larger values are better; every other one (losses, errors, time, size) is minimised. */
const MAXIMISED = /(^|_)(accuracy|precision|recall|f1_score|auc)$/;

export function defaultGoal(metric: string): Goal {
  return MAXIMISED.test(metric) ? 'maximize' : 'minimize';
}

/**
 * The seed of a configuration's `repeat`-th run: repeat 0 trains with `data.seed` itself (so it is
 * the run the spec alone would give), later repeats with seeds derived from it.
 */
export function repeatSeed(dataSeed: number, repeat: number): number {
  return repeat === 0 ? dataSeed : deriveSeed(dataSeed, 'sweep-repeat', repeat);
}

type Raw = Record<string, unknown>;

/**
 * Resolves a parsed `sweep:` mapping. `fieldType` answers the schema type of a spec path
 * (`integer`, `number`, ...) so ranges over integer fields draw integers.
 */
export function resolveSweep(raw: unknown, dataSeed: number, fieldType: (path: KeyPath) => string | undefined): SweepSpec {
  const sweep = record(raw);
  const method = oneOf(sweep.method, ['grid', 'random', 'tpe'] as const) ?? 'grid';
  const parameters: SweepParameter[] = [];
  for (const [path, written] of Object.entries(record(sweep.parameters))) {
    let keyPath: KeyPath;
    try {
      keyPath = parseParameterPath(path);
    } catch (error) {
      if (error instanceof ParameterPathError) continue;
      throw error;
    }
    const domain = resolveDomain(written, fieldType(keyPath) === 'integer');
    if (domain) parameters.push({ path, keyPath, domain });
  }
  const metrics = (Array.isArray(sweep.metric) ? sweep.metric : [sweep.metric ?? 'val_loss']).filter((m): m is string => typeof m === 'string' && m !== '');
  const goals = Array.isArray(sweep.goal) ? sweep.goal : [sweep.goal];
  const objectives = (metrics.length > 0 ? metrics : ['val_loss']).map((metric, i) => ({ metric, goal: oneOf(goals[i], ['minimize', 'maximize'] as const) ?? defaultGoal(metric) }));
  const earlyStopping = resolveEarlyStopping(sweep.early_stopping);
  const tpe = record(sweep.tpe);
  const trials = positiveInteger(sweep.trials);
  const maxTime = parseDuration(sweep.max_time);
  return {
    method,
    parameters,
    repeats: positiveInteger(sweep.repeats) ?? 1,
    objectives,
    ...(trials !== undefined ? { trials } : {}),
    ...(maxTime !== undefined ? { max_time: maxTime } : {}),
    seed: integer(sweep.seed) ?? dataSeed,
    ...(earlyStopping ? { early_stopping: earlyStopping } : {}),
    tpe: {
      startup_trials: positiveInteger(tpe.startup_trials) ?? DEFAULT_TPE.startup_trials,
      candidates: positiveInteger(tpe.candidates) ?? DEFAULT_TPE.candidates,
    },
  };
}

function resolveDomain(written: unknown, integerField: boolean): ParameterDomain | undefined {
  if (Array.isArray(written)) return valuesDomain(written);
  const spec = record(written);
  if (Array.isArray(spec.values)) {
    const domain = valuesDomain(spec.values);
    const weights = Array.isArray(spec.weights) && spec.weights.every((w) => typeof w === 'number') ? (spec.weights as number[]) : undefined;
    return domain && weights ? { ...domain, weights } : domain;
  }
  const log = spec.log === true;
  const min = finite(spec.min);
  const max = finite(spec.max);
  if (spec.distribution === 'normal' || spec.distribution === 'log_normal') {
    const mean = finite(spec.mean);
    const std = finite(spec.std);
    if (mean === undefined || std === undefined) return undefined;
    return { kind: 'normal', mean, std, log: log || spec.distribution === 'log_normal', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), integer: integerField };
  }
  if (min === undefined || max === undefined) return undefined;
  const step = finite(spec.step);
  const count = positiveInteger(spec.count);
  return {
    kind: 'range',
    min,
    max,
    log: log || spec.distribution === 'log_uniform',
    ...(step !== undefined ? { step } : integerField && !log ? { step: 1 } : {}),
    ...(count !== undefined ? { count } : {}),
    integer: integerField,
  };
}

function valuesDomain(values: unknown[]): Extract<ParameterDomain, { kind: 'values' }> | undefined {
  const scalars = values.filter((value): value is ParameterValue => ['string', 'number', 'boolean'].includes(typeof value));
  return scalars.length > 0 ? { kind: 'values', values: scalars } : undefined;
}

function resolveEarlyStopping(raw: unknown): SweepEarlyStopping | undefined {
  if (raw === undefined || raw === false || raw === null) return undefined;
  const spec = typeof raw === 'string' ? { method: raw } : record(raw);
  const method = oneOf(spec.method, ['median', 'asha'] as const) ?? 'median';
  return {
    method,
    min_epochs: positiveInteger(spec.min_epochs) ?? 1,
    reduction_factor: Math.max(2, positiveInteger(spec.reduction_factor) ?? 3),
    min_trials: positiveInteger(spec.min_trials) ?? (method === 'median' ? 5 : 1),
  };
}

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s)?$/;

/** `max_time`: seconds as a number, or `90s`, `30m`, `2h`, `1h30m`; undefined when unreadable. */
export function parseDuration(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw > 0 ? raw : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const match = DURATION.exec(raw.trim());
  if (!match || (!match[1] && !match[2] && !match[3])) return undefined;
  const seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  return seconds > 0 ? seconds : undefined;
}

function record(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

function oneOf<T extends string>(value: unknown, options: readonly T[]): T | undefined {
  return typeof value === 'string' && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  const n = integer(value);
  return n !== undefined && n > 0 ? n : undefined;
}

/**
 * What a parameter's domain offers: its grid points, a draw from it (the prior that random search
 * and TPE's start-up trials use), and its bounds in the space TPE models (logarithmic for `log`).
 */
import { gaussian, type Random } from '../data/random';
import type { ParameterDomain, ParameterValue, SweepParameter } from './sweepSpec';

/** One point of the search space: a value per parameter path (`model[0].units` → 32). */
export type Configuration = Record<string, ParameterValue>;

/** A domain that has no grid (a normal draw, a range with neither `count` nor `step`). */
export class NoGridError extends Error {}

/**
 * The values a grid sweep takes for one parameter, in order.
 * - values: as written;
 * - range with `count`: `count` points from `min` to `max`, evenly spaced (geometrically with `log`);
 * - range with `step`: `min`, `min + step`, … up to `max`.
 * Integer fields round each point and drop repeats.
 * @throws NoGridError for a normal distribution and for a continuous range without `count`/`step`.
 */
export function gridValues(parameter: SweepParameter): ParameterValue[] {
  const domain = parameter.domain;
  if (domain.kind === 'values') return domain.values;
  if (domain.kind === 'normal') throw new NoGridError(`\`${parameter.path}\` is drawn from a normal distribution, which has no grid: give \`values\`, or a range with \`count\` or \`step\`, or use \`method: random\` or \`tpe\`.`);
  let points: number[];
  if (domain.count !== undefined) {
    const n = domain.count;
    points = Array.from({ length: n }, (_, i) => {
      const t = n === 1 ? 0 : i / (n - 1);
      return domain.log ? domain.min * Math.pow(domain.max / domain.min, t) : domain.min + t * (domain.max - domain.min);
    });
  } else if (domain.step !== undefined && domain.step > 0) {
    const steps = Math.floor((domain.max - domain.min) / domain.step + 1e-9);
    points = Array.from({ length: steps + 1 }, (_, i) => tidy(domain.min + i * domain.step!));
  } else {
    throw new NoGridError(`\`${parameter.path}\` is a continuous range: a grid needs \`count\` (how many points from min to max) or \`step\`, or use \`method: random\` or \`tpe\`.`);
  }
  const rounded = points.map((point) => (domain.integer ? Math.round(point) : tidy(point)));
  return [...new Set(rounded)];
}

/** Grid points of every parameter, or the first parameter without a grid. */
export function gridSize(parameters: readonly SweepParameter[]): number {
  return parameters.reduce((size, parameter) => size * gridValues(parameter).length, 1);
}

/** A draw from the domain: uniform (log-uniform), normal (log-normal), or a weighted choice. */
export function sampleDomain(domain: ParameterDomain, random: Random): ParameterValue {
  switch (domain.kind) {
    case 'values':
      return domain.values[weightedIndex(domain.weights ?? domain.values.map(() => 1), random)]!;
    case 'range': {
      const u = random();
      const x = domain.log ? Math.exp(Math.log(domain.min) + u * (Math.log(domain.max) - Math.log(domain.min))) : domain.min + u * (domain.max - domain.min);
      return snap(domain, x);
    }
    case 'normal': {
      const z = domain.mean + domain.std * gaussian(random);
      return snap(domain, domain.log ? Math.exp(z) : z);
    }
  }
}

/** A continuous value moved onto the domain: clipped to its bounds, onto its step lattice, rounded for integer fields. */
export function snap(domain: Exclude<ParameterDomain, { kind: 'values' }>, x: number): number {
  const low = domain.min ?? -Infinity;
  const high = domain.max ?? Infinity;
  let value = Math.min(high, Math.max(low, x));
  if (domain.kind === 'range' && domain.step !== undefined && domain.step > 0 && !domain.log) {
    value = domain.min + Math.round((value - domain.min) / domain.step) * domain.step;
    if (value > domain.max + 1e-12) value -= domain.step;
  }
  if (domain.integer) {
    value = Math.round(value);
    if (value > high) value = Math.floor(high);
    if (value < low) value = Math.ceil(low);
  }
  return tidy(value);
}

/**
 * Bounds of a numeric domain in the space TPE models it in (the logarithm for `log` domains): a
 * normal draw spans mean ± 3 std within its clip bounds.
 */
export function modelledBounds(domain: Exclude<ParameterDomain, { kind: 'values' }>): [number, number] {
  const to = (x: number) => (domain.log ? Math.log(x) : x);
  if (domain.kind === 'range') return [to(domain.min), to(domain.max)];
  const low = domain.mean - 3 * domain.std;
  const high = domain.mean + 3 * domain.std;
  return [domain.min !== undefined ? Math.max(low, to(domain.min)) : low, domain.max !== undefined ? Math.min(high, to(domain.max)) : high];
}

function weightedIndex(weights: readonly number[], random: Random): number {
  const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= Math.max(0, weights[i]!);
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Removes float noise from computed grid points (0.1 + 2 × 0.1 → 0.3), keeping 12 significant digits. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

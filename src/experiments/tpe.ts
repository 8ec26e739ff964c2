/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS), as Optuna's `TPESampler` runs it by default: univariate
 * (each parameter modelled on its own), observations split at γ(n) = min(⌈0.1 n⌉, 25) into the
 * good ones (l) and the rest (g), each a Parzen estimator — truncated Gaussians at the observed
 * values with Optuna's bandwidths (the larger gap to a neighbour, "magic clip" to
 * [(high − low) / min(100, 1 + kernels), high − low]) plus a prior kernel over the whole range
 * (weight 1), or smoothed counts for a list of values — and of `candidates` draws from l the one with
 * the largest l(x) / g(x) is taken. Observation weights: 1, ramped down for all but the latest 25
 * (Optuna's `default_weights`). A parameter with a `step` (integers too) is scored by the mass of its
 * lattice cell, as Optuna does; log domains are modelled in the logarithm.
 *
 * Deterministic: the same observations, in the same order, and the same random stream give the same
 * configuration.
 */
import type { Random } from '../data/random';
import { normalCdf, normalQuantile } from './distributions';
import { modelledBounds, snap, type Configuration } from './searchSpace';
import type { ParameterDomain, ParameterValue, SweepParameter } from './sweepSpec';

/** A finished configuration and its score, smaller is better (a maximised metric is negated). */
export interface Observation {
  configuration: Configuration;
  loss: number;
}

const PRIOR_WEIGHT = 1;

/** γ(n): how many of n observations count as good (Optuna's `default_gamma`). */
export function goodCount(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's `default_weights`: 1 each, except the older ones of more than 25, ramped from 1/n. */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (n - 26)));
  return [...ramp, ...Array.from({ length: 25 }, () => 1)];
}

/**
 * The next configuration TPE proposes from `observations` (in trial order), drawing from `random`.
 * With no observation every parameter is drawn from its prior kernel alone.
 */
export function suggestTpe(parameters: readonly SweepParameter[], observations: readonly Observation[], candidates: number, random: Random): Configuration {
  const order = observations.map((_, i) => i).sort((a, b) => observations[a]!.loss - observations[b]!.loss || a - b);
  const nGood = goodCount(observations.length);
  const good = new Set(order.slice(0, nGood));
  const split = (keep: boolean) => observations.filter((_, i) => good.has(i) === keep);
  const below = split(true);
  const above = split(false);
  const configuration: Configuration = {};
  for (const parameter of parameters) {
    const l = estimator(parameter.domain, below.map((o) => o.configuration[parameter.path]));
    const g = estimator(parameter.domain, above.map((o) => o.configuration[parameter.path]));
    let best: { value: ParameterValue; score: number } | undefined;
    for (let i = 0; i < candidates; i++) {
      const value = l.sample(random);
      const score = l.logDensity(value) - g.logDensity(value);
      if (!best || score > best.score) best = { value, score };
    }
    configuration[parameter.path] = best!.value;
  }
  return configuration;
}

interface Estimator {
  sample(random: Random): ParameterValue;
  logDensity(value: ParameterValue): number;
}

function estimator(domain: ParameterDomain, observed: readonly (ParameterValue | undefined)[]): Estimator {
  return domain.kind === 'values' ? categoricalEstimator(domain.values, observed) : numericEstimator(domain, observed.filter((v): v is number => typeof v === 'number'));
}

/** Optuna's categorical Parzen estimator: each kernel puts prior_weight / kernels on every choice and 1 more on its own. */
function categoricalEstimator(choices: readonly ParameterValue[], observed: readonly (ParameterValue | undefined)[]): Estimator {
  const indices = observed.map((value) => choices.indexOf(value as ParameterValue)).filter((i) => i >= 0);
  const kernels = indices.length + 1;
  const mixture = [...observationWeights(indices.length), PRIOR_WEIGHT];
  const total = mixture.reduce((a, b) => a + b, 0);
  const probabilities = choices.map((_, c) => {
    let p = 0;
    indices.forEach((index, k) => {
      const row = (PRIOR_WEIGHT / kernels) * choices.length + 1;
      p += (mixture[k]! / total) * ((PRIOR_WEIGHT / kernels + (index === c ? 1 : 0)) / row);
    });
    return p + (mixture[kernels - 1]! / total) / choices.length;
  });
  return {
    sample(random) {
      let u = random();
      for (let c = 0; c < choices.length; c++) {
        u -= probabilities[c]!;
        if (u < 0) return choices[c]!;
      }
      return choices[choices.length - 1]!;
    },
    logDensity(value) {
      return Math.log(probabilities[choices.indexOf(value)] ?? 1e-300);
    },
  };
}

function numericEstimator(domain: Exclude<ParameterDomain, { kind: 'values' }>, observed: readonly number[]): Estimator {
  const [low, high] = modelledBounds(domain);
  const step = domain.kind === 'range' && domain.step !== undefined && !domain.log ? domain.step : domain.integer && !domain.log ? 1 : 0;
  const lo = low - step / 2;
  const hi = high + step / 2;
  const to = (x: number) => (domain.log ? Math.log(x) : x);
  const mus = observed.map(to);
  const sigmas = bandwidths(mus, low, high, step);
  const kernelMus = [...mus, 0.5 * (low + high)];
  const kernelSigmas = [...sigmas, high - low + step || 1];
  const weights = [...observationWeights(mus.length), PRIOR_WEIGHT];
  const total = weights.reduce((a, b) => a + b, 0);
  const mass = kernelMus.map((mu, k) => normalCdf((hi - mu) / kernelSigmas[k]!) - normalCdf((lo - mu) / kernelSigmas[k]!));
  return {
    sample(random) {
      let u = random() * total;
      let k = 0;
      while (k < weights.length - 1 && (u -= weights[k]!) >= 0) k++;
      const mu = kernelMus[k]!;
      const sigma = kernelSigmas[k]!;
      const a = normalCdf((lo - mu) / sigma);
      const b = normalCdf((hi - mu) / sigma);
      const p = Math.min(1 - 1e-12, Math.max(1e-12, a + random() * (b - a)));
      const z = Math.min(hi, Math.max(lo, mu + sigma * normalQuantile(p)));
      return snap(domain, domain.log ? Math.exp(z) : z);
    },
    logDensity(value) {
      const x = to(value as number);
      let density = 0;
      kernelMus.forEach((mu, k) => {
        const sigma = kernelSigmas[k]!;
        const z = mass[k]! > 0 ? mass[k]! : 1e-300;
        const p = step > 0 ? normalCdf((x + step / 2 - mu) / sigma) - normalCdf((x - step / 2 - mu) / sigma) : Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
        density += (weights[k]! / total) * (p / z);
      });
      return Math.log(Math.max(density, 1e-300));
    },
  };
}

/** Optuna's univariate bandwidths (consider_endpoints off, magic clip on), one per observation. */
function bandwidths(mus: readonly number[], low: number, high: number, step: number): number[] {
  if (mus.length === 0) return [];
  const withPrior = [...mus, 0.5 * (low + high)];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a]! - withPrior[b]!);
  const sorted = [low - step / 2, ...order.map((i) => withPrior[i]!), high + step / 2];
  const sortedSigmas = sorted.slice(1, -1).map((mu, i) => Math.max(mu - sorted[i]!, sorted[i + 2]! - mu));
  if (sorted.length >= 4) {
    sortedSigmas[0] = sorted[2]! - sorted[1]!;
    sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
  }
  const sigmas: number[] = new Array(withPrior.length);
  order.forEach((original, position) => (sigmas[original] = sortedSigmas[position]!));
  const range = high - low + step;
  const minSigma = range / Math.min(100, 1 + mus.length + 1);
  return sigmas.slice(0, mus.length).map((sigma) => Math.min(range, Math.max(minSigma, sigma)) || minSigma || 1);
}

/**
 * Drawing the next token from a model's distribution, as in tfjs-examples' lstm-text-generation
 * (`sample`: log-probabilities divided by the temperature, renormalised, one draw) and Karpathy's
 * recurrentjs, with top-k truncation (Fan et al. 2018, "Hierarchical Neural Story Generation").
 * Pure: the randomness comes in as a seeded `Random` (src/data/random.ts).
 */
import type { Random } from '../data/random';

export interface SamplingSettings {
  /**
   * Softmax temperature: below 1 sharpens the distribution, above 1 flattens it; 0 always takes the
   * most probable token (greedy decoding, no random draw).
   */
  temperature: number;
  /** Draw among the `topK` most probable tokens only; 0 keeps every token. */
  topK: number;
}

/** A token id with its probability. */
export interface Ranked {
  id: number;
  probability: number;
}

/**
 * The ids of `probabilities` (`[vocabulary]`, summing to about 1) most probable first, ties by id,
 * leaving out `excluded` ids (padding, which is never a real next token).
 */
export function rankTokens(probabilities: ArrayLike<number>, excluded: ReadonlySet<number> = new Set()): Ranked[] {
  const ranked: Ranked[] = [];
  for (let id = 0; id < probabilities.length; id++) if (!excluded.has(id)) ranked.push({ id, probability: probabilities[id] });
  return ranked.sort((a, b) => b.probability - a.probability || a.id - b.id);
}

/**
 * Draws one id from `ranked` (most probable first) with the temperature and top-k of `settings`,
 * consuming exactly one number from `random` (none when greedy). Zero-probability tokens are never
 * drawn. Throws a RangeError for a negative temperature or top-k, or an empty ranking.
 */
export function sampleToken(ranked: readonly Ranked[], settings: SamplingSettings, random: Random): number {
  const { temperature, topK } = settings;
  if (!(temperature >= 0) || !Number.isInteger(topK) || topK < 0) throw new RangeError(`temperature must be >= 0 and top-k a whole number >= 0 (got ${temperature}, ${topK}).`);
  if (ranked.length === 0) throw new RangeError('There is no token to sample from.');
  if (temperature === 0) return ranked[0].id;
  const pool = topK > 0 ? ranked.slice(0, topK) : ranked;
  // p_i^(1/T), computed as exp((ln p_i - ln p_max) / T) so that small temperatures do not underflow to 0/0.
  const top = Math.log(Math.max(pool[0].probability, Number.MIN_VALUE));
  const weights = pool.map(({ probability }) => (probability > 0 ? Math.exp((Math.log(probability) - top) / temperature) : 0));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let threshold = random() * total;
  for (let i = 0; i < pool.length; i++) {
    threshold -= weights[i];
    if (threshold < 0 && weights[i] > 0) return pool[i].id;
  }
  // Rounding left a sliver past the last weight: the last token that could be drawn.
  for (let i = pool.length - 1; i >= 0; i--) if (weights[i] > 0) return pool[i].id;
  return pool[0].id;
}

/**
 * The distribution functions the sweep's statistics need, from jStat (a well-kept statistics
 * library) in one place: the normal CDF and quantile (TPE's truncated Parzen estimators) and
 * Student's t CDF and quantile (Welch's interval).
 */
import { jStat } from 'jstat';

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return jStat.normal.cdf(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p), p in (0, 1). */
export function normalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1);
}

/** Student's t CDF with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  return jStat.studentt.cdf(t, df);
}

/** Student's t quantile: the t with P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  return jStat.studentt.inv(p, df);
}

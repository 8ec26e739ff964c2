/**
 * Is a difference between two configurations larger than the noise of their seeds? Welch's t
 * interval (Welch 1947, "The generalization of Student's problem when several different population
 * variances are involved"): the difference of the means, its standard error
 * √(s_a²/n_a + s_b²/n_b), and Welch–Satterthwaite's degrees of freedom
 * (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1)); the 95% interval is
 * difference ± t(0.975, df) × standard error — scipy's `ttest_ind(equal_var=False)` and its
 * `confidence_interval()`. Two configurations are "distinguishable" when the interval excludes 0.
 */
import { studentTCdf, studentTQuantile } from './distributions';
import type { Goal } from './sweepSpec';

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for one value. */
  sd: number;
}

export interface WelchResult {
  a: Summary;
  b: Summary;
  /** mean(a) − mean(b). */
  difference: number;
  standardError: number;
  df: number;
  /** The interval of `difference` at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  /** Two-sided p-value of "no difference". */
  p: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { n, mean, sd: Math.sqrt(variance) };
}

/**
 * Welch's interval of mean(a) − mean(b).
 * @throws RangeError when either side has fewer than 2 values (no variance to judge the noise by).
 */
export function welch(a: readonly number[], b: readonly number[], confidence = 0.95): WelchResult {
  if (a.length < 2 || b.length < 2) throw new RangeError(`Welch's interval needs at least 2 values on each side (got ${a.length} and ${b.length}): run more repeats.`);
  const sa = summarize(a);
  const sb = summarize(b);
  const va = sa.sd ** 2 / sa.n;
  const vb = sb.sd ** 2 / sb.n;
  const standardError = Math.sqrt(va + vb);
  const difference = sa.mean - sb.mean;
  if (standardError === 0) {
    // Every seed gave the same value on both sides: the difference is exact.
    return { a: sa, b: sb, difference, standardError, df: Infinity, low: difference, high: difference, confidence, p: difference === 0 ? 1 : 0 };
  }
  const df = (va + vb) ** 2 / (va ** 2 / (sa.n - 1) + vb ** 2 / (sb.n - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  const p = 2 * (1 - studentTCdf(Math.abs(difference / standardError), df));
  return { a: sa, b: sb, difference, standardError, df, low: difference - t * standardError, high: difference + t * standardError, confidence, p };
}

/** Metrics that are fractions and read as percentage points (accuracy 0.853 → 85.3). */
const FRACTION = /(^|_)(accuracy|precision|recall|f1_score|auc)$/;

/**
 * The comparison in words, e.g. "GRU vs LSTM: +0.4 points val_accuracy, 95% interval [−0.9, +1.7]
 * over 5 seeds each: not distinguishable". `a` and `b` are the values of `metric` for each side's
 * seeds; the difference is a − b. Fractions read in percentage points; other metrics in their units.
 * With a goal, a distinguishable difference says which side is better.
 */
export function differenceSentence(labelA: string, labelB: string, metric: string, a: readonly number[], b: readonly number[], goal?: Goal): string {
  if (a.length < 2 || b.length < 2) {
    return `${labelA} vs ${labelB}: ${metric} ${formatMean(a, metric)} against ${formatMean(b, metric)}; ${a.length} and ${b.length} seed${b.length === 1 ? '' : 's'}: too few to tell noise from a difference (2 or more repeats each are needed).`;
  }
  const result = welch(a, b);
  const points = FRACTION.test(metric);
  const scale = points ? 100 : 1;
  const unit = points ? ' points' : '';
  const seeds = a.length === b.length ? `${a.length} seeds each` : `${a.length} and ${b.length} seeds`;
  const show = (x: number) => signed(x * scale, points ? (v) => v.toFixed(1) : formatNumber);
  const interval = `${Math.round(result.confidence * 100)}% interval [${show(result.low)}, ${show(result.high)}]`;
  const distinguishable = result.low > 0 || result.high < 0;
  let verdict = distinguishable ? 'distinguishable' : 'not distinguishable';
  if (distinguishable && goal) {
    const aBetter = goal === 'maximize' ? result.difference > 0 : result.difference < 0;
    verdict += `: ${aBetter ? labelA : labelB} is better`;
  }
  return `${labelA} vs ${labelB}: ${show(result.difference)}${unit} ${metric}, ${interval} over ${seeds}: ${verdict}`;
}

function formatMean(values: readonly number[], metric: string): string {
  if (values.length === 0) return 'no value';
  const mean = summarize(values).mean;
  return FRACTION.test(metric) ? mean.toFixed(3) : formatNumber(mean);
}

/** +0.4, −0.9: a sign always, and a true minus sign. */
function signed(x: number, format: (magnitude: number) => string): string {
  const text = format(Math.abs(x));
  return `${x < 0 && Number(text) !== 0 ? '\u2212' : '+'}${text}`;
}

/** 3 significant digits from 1 up, 2 below (0.012). */
function formatNumber(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 1) return String(Number(x.toFixed(Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x)))))));
  return String(Number(x.toPrecision(2)));
}

/**
 * Finds the period of a series for the seasonal-naive baseline: the lag with the strongest
 * autocorrelation of the series' first differences (differencing removes a trend, which would
 * otherwise make every short lag look periodic), if that correlation is strong.
 */

/** Autocorrelation at or above this marks a real season (airline passengers: 0.83 at lag 12). */
const MIN_AUTOCORRELATION = 0.5;

/**
 * The detected season in steps (2..maxLag), or undefined when no lag correlates strongly enough.
 * Needs at least three seasons of data for a lag to be considered.
 */
export function detectSeason(series: ArrayLike<number>, maxLag: number): number | undefined {
  const differences = Array.from({ length: Math.max(0, series.length - 1) }, (_, i) => series[i + 1] - series[i]);
  const n = differences.length;
  const mean = differences.reduce((sum, value) => sum + value, 0) / n;
  const centred = differences.map((value) => value - mean);
  const variance = centred.reduce((sum, value) => sum + value * value, 0);
  if (n === 0 || variance === 0) return undefined;
  let best: { lag: number; correlation: number } | undefined;
  for (let lag = 2; lag <= Math.min(maxLag, Math.floor(n / 3)); lag++) {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += centred[i] * centred[i - lag];
    const correlation = sum / variance;
    if (correlation >= MIN_AUTOCORRELATION && (!best || correlation > best.correlation)) best = { lag, correlation };
  }
  return best?.lag;
}

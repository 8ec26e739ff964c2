/**
 * Finds the period of a series for the seasonal-naive baseline: the lag where the autocorrelation
 * of the series' first differences peaks (differencing removes a trend, which would otherwise make
 * every short lag look periodic), if that peak is strong. A peak, not merely a high value: the
 * differences of a smooth series correlate strongly at every short lag, decaying from lag 1, and
 * the largest of those is no season (a sine of period 25 seen through 8 lags "had" a season of 2).
 */

/** Autocorrelation at or above this marks a real season (airline passengers: 0.83 at lag 12). */
const MIN_AUTOCORRELATION = 0.5;

/**
 * The detected season in steps (2..maxLag), or undefined when no lag's autocorrelation is a local
 * peak (above both neighbours' lags) at least MIN_AUTOCORRELATION. Needs at least three seasons of
 * data for a lag to be considered.
 */
export function detectSeason(series: ArrayLike<number>, maxLag: number): number | undefined {
  const differences = Array.from({ length: Math.max(0, series.length - 1) }, (_, i) => series[i + 1] - series[i]);
  const n = differences.length;
  const mean = differences.reduce((sum, value) => sum + value, 0) / n;
  const centred = differences.map((value) => value - mean);
  const variance = centred.reduce((sum, value) => sum + value * value, 0);
  if (n === 0 || variance === 0) return undefined;
  const longest = Math.min(maxLag, Math.floor(n / 3));
  const correlation = (lag: number): number => {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += centred[i] * centred[i - lag];
    return sum / variance;
  };
  // Lag longest + 1 too, when the data allows, so that a peak at `longest` is seen as one.
  const acf = Array.from({ length: Math.min(longest + 1, n - 1) + 1 }, (_, lag) => (lag === 0 ? 1 : correlation(lag)));
  let best: number | undefined;
  for (let lag = 2; lag <= longest; lag++) {
    const peak = acf[lag] > acf[lag - 1] && (lag + 1 >= acf.length || acf[lag] >= acf[lag + 1]);
    if (peak && acf[lag] >= MIN_AUTOCORRELATION && (best === undefined || acf[lag] > acf[best])) best = lag;
  }
  return best;
}

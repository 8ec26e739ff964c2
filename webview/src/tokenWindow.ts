/**
 * The timesteps of a probe worth drawing. Padding (tokens '') before or after the text carries no
 * information — the state just settles to a fixed point — and at max_len 200 it would squeeze a
 * ten-word probe into a sliver at one edge of the heatmap.
 */
export interface TokenWindow {
  /** First timestep shown. */
  start: number;
  /** One past the last timestep shown. */
  end: number;
}

export function textWindow(tokens: readonly string[]): TokenWindow {
  const start = tokens.findIndex((token) => token !== '');
  if (start < 0) return { start: 0, end: tokens.length };
  let end = tokens.length;
  while (end > start && tokens[end - 1] === '') end--;
  return { start, end };
}

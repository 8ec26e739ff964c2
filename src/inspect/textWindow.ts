/**
 * The timesteps of a probe that hold text: padding ('' tokens) before or after it is neither
 * stored nor shown. Free of TensorFlow.js, so the CLI's text output uses it too.
 */
export function textWindow(tokens: readonly string[]): { start: number; end: number } {
  const start = tokens.findIndex((token) => token !== '');
  if (start < 0) return { start: 0, end: tokens.length };
  let end = tokens.length;
  while (end > start && tokens[end - 1] === '') end--;
  return { start, end };
}

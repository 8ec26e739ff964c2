/** Zero-based line of a top-level key (`model:`, `train:`) in spec text, if it is there. */
export function topLevelKeyLine(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const pattern = new RegExp(`^${key}\\s*:`);
  const index = lines.findIndex((line) => pattern.test(line));
  return index >= 0 ? index : undefined;
}

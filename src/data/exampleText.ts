/**
 * An example of a split as people read it: its tokens without padding (characters run together,
 * words with spaces), or the values of a series, cut to a few hundred characters. What the views
 * show on hover and put in the probe box on a click (so it reads back as input the model takes).
 */
import type { PreparedData, Split } from './types';

/** Longest text shown for one example. */
export const EXAMPLE_TEXT_CHARS = 300;

/** Row `row` of `split` as text. Values keep 4 significant digits. */
export function exampleText(split: Split, row: number, data: Pick<PreparedData, 'inputKind' | 'vocabulary'>): string {
  const rowSize = split.xShape.slice(1).reduce((a, b) => a * b, 1);
  const values = split.x.subarray(row * rowSize, (row + 1) * rowSize);
  if (data.inputKind === 'tokens' && data.vocabulary) {
    const tokens = data.vocabulary.tokens;
    const words = Array.from(values, (id) => tokens[id] ?? '').filter((token) => token !== '');
    return cut(words.join(data.vocabulary.level === 'char' ? '' : ' '));
  }
  return cut(Array.from(values, (value) => String(value !== 0 && Number.isFinite(value) ? Number(value.toPrecision(4)) : value)).join(', '));
}

function cut(text: string): string {
  return text.length > EXAMPLE_TEXT_CHARS ? `${text.slice(0, EXAMPLE_TEXT_CHARS - 1)}…` : text;
}

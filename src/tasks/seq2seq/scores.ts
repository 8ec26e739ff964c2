/**
 * Corpus BLEU and chrF with sacreBLEU 2.x's defaults, so a figure here is the figure
 * `sacrebleu.corpus_bleu(hyps, [refs])` / `corpus_chrf` print (tested against sacreBLEU 2.6):
 *
 * - BLEU (Papineni et al. 2002): the 13a tokenisation of mteval-v13a.pl, mixed case, n-grams 1-4,
 *   corpus-level counts clipped per sentence by the most frequent count over its references, the
 *   brevity penalty from the closest reference length (ties: the shorter), `exp` smoothing (NIST:
 *   the k-th order without a match counts 1 / 2^k matches), no effective order; 0 to 100.
 * - chrF (Popović 2015): character n-grams 1-6 with whitespace removed, β = 2, statistics summed
 *   over the corpus, precision and recall averaged over the orders both sides have, the best
 *   reference per sentence by its own chrF; 0 to 100.
 *
 * Strings are compared by Unicode code point, and whitespace is Python's `str.split()`'s.
 */

/** Python's `str.isspace()` characters (the file/group/record/unit separators among them): what `str.split()` splits on. */
// eslint-disable-next-line no-control-regex -- Python counts the separators \x1c-\x1f as whitespace.
const WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** Python's `str.split()`: runs of whitespace separate, none at either end. */
export function splitWhitespace(text: string): string[] {
  return text.split(WHITESPACE).filter((word) => word !== '');
}

/** Python's `str.rstrip()`. */
function trimEnd(text: string): string {
  return text.replace(new RegExp(`${WHITESPACE.source}$`, 'u'), '');
}

/** The rules of mteval-v13a.pl's tokeniser, as sacreBLEU's `Tokenizer13a` applies them in order. */
const TOKENIZE_13A: [RegExp, string][] = [
  // ASCII punctuation and symbols become tokens of their own, except ' (kept) and . , - (below).
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '],
  // Period and comma, unless preceded by a digit...
  [/([^0-9])([.,])/g, '$1 $2 '],
  // ...or followed by one.
  [/([.,])([^0-9])/g, ' $1 $2'],
  // A dash after a digit.
  [/([0-9])(-)/g, '$1 $2 '],
];

/** sacreBLEU's `13a` tokenisation of one line: tokens joined by single spaces. */
export function tokenize13a(line: string): string {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) text = text.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  text = ` ${text} `;
  for (const [pattern, replacement] of TOKENIZE_13A) text = text.replace(pattern, replacement);
  return splitWhitespace(text).join(' ');
}

/** Counts of the n-grams of `tokens` for n in 1..maxOrder, keyed by the tokens joined with U+0001. */
function wordNgrams(tokens: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = `${n}\u0001${tokens.slice(i, i + n).join('\u0001')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function orderOf(key: string): number {
  return Number(key.slice(0, key.indexOf('\u0001')));
}

/** A corpus BLEU score and the statistics it came from (sacreBLEU's `BLEUScore` fields). */
export interface BleuScore {
  /** 0 to 100. */
  score: number;
  /** Matched n-grams per order 1..4 (clipped). */
  counts: number[];
  /** Hypothesis n-grams per order 1..4. */
  totals: number[];
  /** Smoothed precisions per order, in percent. */
  precisions: number[];
  /** Brevity penalty, 0 to 1. */
  brevityPenalty: number;
  /** Tokens of the hypotheses and of the closest references, after 13a tokenisation. */
  hypothesisLength: number;
  referenceLength: number;
}

const BLEU_ORDER = 4;

/**
 * Corpus BLEU of `hypotheses` against `references` (one list of references per hypothesis: several
 * translations of one source all count).
 * @throws RangeError when the two lists differ in length or a hypothesis has no reference.
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[]): BleuScore {
  checkCorpus(hypotheses, references);
  const counts = new Array<number>(BLEU_ORDER).fill(0);
  const totals = new Array<number>(BLEU_ORDER).fill(0);
  let hypothesisLength = 0;
  let referenceLength = 0;
  hypotheses.forEach((hypothesis, i) => {
    const hypothesisTokens = splitWhitespace(tokenize13a(trimEnd(hypothesis)));
    const referenceNgrams = new Map<string, number>();
    const lengths: number[] = [];
    for (const reference of references[i]) {
      const tokens = splitWhitespace(tokenize13a(trimEnd(reference)));
      lengths.push(tokens.length);
      for (const [key, count] of wordNgrams(tokens, BLEU_ORDER)) referenceNgrams.set(key, Math.max(referenceNgrams.get(key) ?? 0, count));
    }
    hypothesisLength += hypothesisTokens.length;
    referenceLength += closestLength(hypothesisTokens.length, lengths);
    for (const [key, count] of wordNgrams(hypothesisTokens, BLEU_ORDER)) {
      const order = orderOf(key) - 1;
      totals[order] += count;
      counts[order] += Math.min(count, referenceNgrams.get(key) ?? 0);
    }
  });
  return bleuFromStatistics(counts, totals, hypothesisLength, referenceLength);
}

/** The reference length closest to the hypothesis's; on a tie, the shorter. */
function closestLength(hypothesisLength: number, lengths: readonly number[]): number {
  let best = lengths[0];
  for (const length of lengths) {
    const distance = Math.abs(hypothesisLength - length);
    const bestDistance = Math.abs(hypothesisLength - best);
    if (distance < bestDistance || (distance === bestDistance && length < best)) best = length;
  }
  return best;
}

/** sacreBLEU's `compute_bleu` with `smooth_method='exp'` and no effective order. */
function bleuFromStatistics(counts: number[], totals: number[], hypothesisLength: number, referenceLength: number): BleuScore {
  let brevityPenalty = 1;
  if (hypothesisLength < referenceLength) brevityPenalty = hypothesisLength > 0 ? Math.exp(1 - referenceLength / hypothesisLength) : 0;
  const precisions = new Array<number>(BLEU_ORDER).fill(0);
  const result = { counts, totals, precisions, brevityPenalty, hypothesisLength, referenceLength };
  if (!counts.some((count) => count > 0)) return { score: 0, ...result };
  let smoothing = 1;
  for (let n = 0; n < BLEU_ORDER; n++) {
    if (totals[n] === 0) break;
    if (counts[n] === 0) {
      smoothing *= 2;
      precisions[n] = 100 / (smoothing * totals[n]);
    } else {
      precisions[n] = (100 * counts[n]) / totals[n];
    }
  }
  // An order with no n-grams at all keeps precision 0: log floored as sacreBLEU's my_log does.
  const logSum = precisions.reduce((sum, precision) => sum + (precision === 0 ? -9999999999 : Math.log(precision)), 0);
  return { score: brevityPenalty * Math.exp(logSum / BLEU_ORDER), ...result };
}

const CHRF_ORDER = 6;
const CHRF_BETA = 2;

/** Character n-gram counts for n = 1..6 of a line with its whitespace removed (code points). */
function characterNgrams(line: string): Map<string, number>[] {
  const characters = Array.from(splitWhitespace(line).join(''));
  const orders: Map<string, number>[] = [];
  for (let n = 1; n <= CHRF_ORDER; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= characters.length; i++) {
      const key = characters.slice(i, i + n).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    orders.push(counts);
  }
  return orders;
}

/** [hypothesis n-grams, reference n-grams, matches] per order, flattened (sacreBLEU's layout). */
function chrfStatistics(hypothesis: Map<string, number>[], reference: Map<string, number>[]): number[] {
  const statistics: number[] = [];
  hypothesis.forEach((hypothesisCounts, order) => {
    const referenceCounts = reference[order];
    let hypothesisTotal = 0;
    let matches = 0;
    for (const [key, count] of hypothesisCounts) {
      hypothesisTotal += count;
      matches += Math.min(count, referenceCounts.get(key) ?? 0);
    }
    let referenceTotal = 0;
    for (const count of referenceCounts.values()) referenceTotal += count;
    statistics.push(referenceCounts.size > 0 ? hypothesisTotal : 0, referenceTotal, matches);
  });
  return statistics;
}

/** chrF from summed statistics: F-β of the precision and recall averaged over the effective orders. */
function chrfFromStatistics(statistics: readonly number[]): number {
  const factor = CHRF_BETA ** 2;
  let precision = 0;
  let recall = 0;
  let effectiveOrders = 0;
  for (let order = 0; order < CHRF_ORDER; order++) {
    const [hypothesisTotal, referenceTotal, matches] = statistics.slice(3 * order, 3 * order + 3);
    if (hypothesisTotal > 0 && referenceTotal > 0) {
      precision += matches / hypothesisTotal;
      recall += matches / referenceTotal;
      effectiveOrders++;
    }
  }
  if (effectiveOrders === 0) return 0;
  precision /= effectiveOrders;
  recall /= effectiveOrders;
  if (precision + recall === 0) return 0;
  return (100 * (1 + factor) * precision * recall) / (factor * precision + recall);
}

/**
 * Corpus chrF (chrF2, character orders 1-6, no word n-grams) of `hypotheses` against `references`;
 * with several references a sentence counts the statistics of the one it scores best against.
 * @throws RangeError as corpusBleu does.
 */
export function corpusChrf(hypotheses: readonly string[], references: readonly (readonly string[])[]): number {
  checkCorpus(hypotheses, references);
  const total = new Array<number>(3 * CHRF_ORDER).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const hypothesisNgrams = characterNgrams(hypothesis);
    let best: number[] = [];
    let bestScore = -1;
    for (const reference of references[i]) {
      const statistics = chrfStatistics(hypothesisNgrams, characterNgrams(reference));
      const score = chrfFromStatistics(statistics);
      if (score > bestScore) [best, bestScore] = [statistics, score];
    }
    best.forEach((value, k) => (total[k] += value));
  });
  return chrfFromStatistics(total);
}

function checkCorpus(hypotheses: readonly string[], references: readonly (readonly string[])[]): void {
  if (hypotheses.length !== references.length) throw new RangeError(`${hypotheses.length} hypotheses but ${references.length} reference lists: give one list of references per hypothesis.`);
  const missing = references.findIndex((list) => list.length === 0);
  if (missing !== -1) throw new RangeError(`hypothesis ${missing + 1} has no reference.`);
}

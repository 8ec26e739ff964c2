/**
 * The two kinds of validation figures of a sequence-to-sequence model, side by side:
 *
 * - teacher-forced (the decoder reads the true previous token): masked token accuracy and loss.
 *   Padding positions (target id 0) count in neither: Keras' `lstm_seq2seq` pads its targets with
 *   a token of their own and counts it, so half of its reported accuracy is predicting padding.
 * - decoded (the decoder reads its own previous output, as in use): exact match, corpus BLEU and
 *   chrF against every reference translation of the source.
 *
 * A low teacher-forced loss with wrong decoded outputs is the classic trap; only the second kind says
 * what a user would get. Baselines for the decoded figures: copying the source, and answering the most
 * frequent training target whatever the source.
 */
import { corpusBleu, corpusChrf } from './scores';
import { PADDING_ID } from './vocabulary';

/** Teacher-forced figures over the non-padding positions. */
export interface TokenMetrics {
  /** Mean -ln p(true token), nats per token. */
  loss: number;
  /** Share of positions whose most probable token is the true one. */
  accuracy: number;
  /** Positions counted (non-padding). */
  tokens: number;
}

/**
 * Masked cross-entropy and accuracy of decoder outputs.
 * @param probabilities `[count, steps, vocabulary]` row-major, each row summing to about 1.
 * @param targets `[count, steps]` true ids, PADDING_ID where the target has ended.
 * @throws RangeError when the sizes disagree or every position is padding.
 */
export function maskedTokenMetrics(probabilities: ArrayLike<number>, targets: ArrayLike<number>, vocabulary: number): TokenMetrics {
  if (probabilities.length !== targets.length * vocabulary) throw new RangeError(`${probabilities.length} probabilities for ${targets.length} positions of ${vocabulary} tokens.`);
  let loss = 0;
  let correct = 0;
  let tokens = 0;
  for (let position = 0; position < targets.length; position++) {
    const target = targets[position];
    if (target === PADDING_ID) continue;
    const row = position * vocabulary;
    let best = 0;
    for (let id = 1; id < vocabulary; id++) if (probabilities[row + id] > probabilities[row + best]) best = id;
    // Keras clips probabilities to [1e-7, 1 - 1e-7] before the log.
    loss -= Math.log(Math.min(Math.max(probabilities[row + target], 1e-7), 1 - 1e-7));
    if (best === target) correct++;
    tokens++;
  }
  if (tokens === 0) throw new RangeError('every target position is padding: there is nothing to score.');
  return { loss: loss / tokens, accuracy: correct / tokens, tokens };
}

/** Figures of decoded outputs (or of a baseline's answers). */
export interface DecodedMetrics {
  /** Share of outputs whose tokens equal those of one of the references. */
  exact_match: number;
  /** Corpus BLEU, 0-100 (sacreBLEU's defaults). */
  bleu: number;
  /** Corpus chrF2, 0-100. */
  chrf: number;
}

/**
 * Scores `outputs` against `references` (every reference translation of each output's source).
 * `split` tokenizes as the target side does, so "Va !" and "Va!" match at word level and case
 * counts when the side keeps it.
 */
export function decodedMetrics(outputs: readonly string[], references: readonly (readonly string[])[], split: (text: string) => string[]): DecodedMetrics {
  const same = (a: string, b: string) => split(a).join('\u0000') === split(b).join('\u0000');
  const matches = outputs.filter((output, i) => references[i].some((reference) => same(output, reference))).length;
  return {
    exact_match: outputs.length === 0 ? 0 : matches / outputs.length,
    bleu: corpusBleu(outputs, references).score,
    chrf: corpusChrf(outputs, references),
  };
}

/** The most frequent target text of the training pairs (ties: the first seen). */
export function mostFrequentTarget(targets: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const target of targets) counts.set(target, (counts.get(target) ?? 0) + 1);
  let best = targets[0] ?? '';
  for (const [target, count] of counts) if (count > counts.get(best)!) best = target; // in first-seen order
  return best;
}

export interface DecodedBaselines {
  /** Answering with the source text itself (strong when source and target share words: numbers, names, dates). */
  copy_source: DecodedMetrics;
  /** Answering every source with the most frequent training target. */
  most_frequent_target: DecodedMetrics & { answer: string };
}

/** The decoded figures of the two baselines on validation sources and their references. */
export function decodedBaselines(sources: readonly string[], references: readonly (readonly string[])[], trainingTargets: readonly string[], split: (text: string) => string[]): DecodedBaselines {
  const answer = mostFrequentTarget(trainingTargets);
  return {
    copy_source: decodedMetrics(sources, references, split),
    most_frequent_target: { ...decodedMetrics(sources.map(() => answer), references, split), answer },
  };
}

/**
 * Every reference of each source: the targets of all pairs (of `pool`, training and validation)
 * whose source text is the same. Tatoeba gives "Run!" both "Cours !" and "Courez !".
 */
export function referencesBySource(sources: readonly string[], pool: readonly { source: string; target: string }[]): string[][] {
  const bySource = new Map<string, string[]>();
  for (const { source, target } of pool) {
    const list = bySource.get(source) ?? [];
    if (!list.includes(target)) list.push(target);
    bySource.set(source, list);
  }
  return sources.map((source) => bySource.get(source) ?? []);
}

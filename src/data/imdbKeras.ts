/**
 * The IMDB arrays of Keras' `keras.datasets.imdb.load_data`, rebuilt from the review texts
 * (keras/src/datasets/imdb.py; the same code in tf.keras 2):
 * - words are Keras' `text_to_word_sequence` of the raw review (lowercase, default filters, no HTML
 *   stripping, so `<br />` is the word "br");
 * - the word index ranks every word of the *training* reviews by frequency, rank 1 the most
 *   frequent (Keras' `get_word_index()`); ties keep first-appearance order, as Keras' Tokenizer does;
 * - a review is `start_char` (1) followed by `rank + index_from` (3) for each word; words never seen
 *   in training are skipped (they are absent from Keras' arrays), and ids outside
 *   `[skip_top, num_words)` become `oov_char` (2). Id 3 is never used: ranks start at 1, so
 *   `num_words: 10000` keeps 9,996 words (ids 4..9999).
 * The order of reviews is this project's (Keras' file was shuffled with seed 113 before saving);
 * the trainer shuffles every epoch, so the order does not change what is learnt.
 */
import type { KerasImdbTokenizerState } from './preprocessing';
import { splitTokens } from './tokenizer';
import { DataError, type Vocabulary } from './types';

/** `load_data`'s defaults: 0 stays padding. */
export const KERAS_IMDB_START_ID = 1;
export const KERAS_IMDB_OOV_ID = 2;
export const KERAS_IMDB_INDEX_FROM = 3;

/** How the words of a review are found: Keras' `text_to_word_sequence` defaults on the raw text. */
const KERAS_WORDS = { level: 'word', lowercase: true, strip_html: false } as const;

/** Labels of the reserved ids in the vocabulary (heatmap axes, `seqlab predict`). */
export const KERAS_IMDB_RESERVED_TOKENS = ['', '<START>', '<OOV>', '<UNUSED>'] as const;

export interface KerasImdbOptions {
  /**
   * Keras `num_words`: ids `>= num_words` become `oov_char`; the embedding's `input_dim`. Undefined
   * is Keras' `None`: the largest id, so, as in Keras, the rarest word alone becomes OOV.
   */
  numWords?: number;
  /** Keras `skip_top`: ids below it become `oov_char` (the start token too, as in Keras). Default 0. */
  skipTop?: number;
}

/**
 * Keras' word index fitted on training reviews, and the encoder that turns any review into Keras'
 * ids. `encode` is what both the training arrays and new text (probes, predict) go through.
 */
export class KerasImdbEncoder {
  /** word -> rank (1 = most frequent in training). */
  private readonly ranks: Map<string, number>;
  /** `tokens[id]` for ids `0 .. numWords - 1`: padding, start, OOV, unused, then words by rank. */
  readonly vocabulary: Vocabulary;
  readonly numWords: number;

  /**
   * @param words every training word, most frequent first (`words[r - 1]` has rank r).
   * @throws DataError when `numWords` cannot hold a single word (below 5).
   */
  constructor(
    readonly words: readonly string[],
    readonly options: KerasImdbOptions,
  ) {
    this.numWords = options.numWords ?? words.length + KERAS_IMDB_INDEX_FROM;
    if (!Number.isInteger(this.numWords) || this.numWords <= KERAS_IMDB_INDEX_FROM + 1) {
      throw new DataError(
        `\`data.tokenizer.vocab_size\` is ${this.numWords}; Keras' IMDB ids reserve 0-3 (padding, start, OOV, unused), so it must be at least 5.`,
      );
    }
    this.ranks = new Map(words.map((word, i) => [word, i + 1]));
    const kept = words.slice(0, this.numWords - KERAS_IMDB_INDEX_FROM - 1);
    this.vocabulary = { tokens: [...KERAS_IMDB_RESERVED_TOKENS, ...kept], level: 'word' };
  }

  /** Ranks the words of the training reviews (Keras' `imdb_word_index.json`, built on training data). */
  static fit(trainTexts: readonly string[], options: KerasImdbOptions): KerasImdbEncoder {
    return new KerasImdbEncoder(rankWords(trainTexts), options);
  }

  /**
   * Rebuilds the encoder a run saved (preprocessing.ts).
   * @throws DataError for ids other than Keras' defaults (start 1, OOV 2, index_from 3), which this encoder implements.
   */
  static fromState(state: KerasImdbTokenizerState): KerasImdbEncoder {
    if (state.start_id !== KERAS_IMDB_START_ID || state.oov_id !== KERAS_IMDB_OOV_ID || state.index_from !== KERAS_IMDB_INDEX_FROM) {
      throw new DataError(
        `this preprocessing state uses start_id ${state.start_id}, oov_id ${state.oov_id}, index_from ${state.index_from}; Sequence Lab reads Keras' defaults 1, 2, 3. Re-export the model from its run.`,
      );
    }
    return new KerasImdbEncoder(state.words, { numWords: state.num_words, skipTop: state.skip_top });
  }

  /** The documented JSON form (preprocessing.ts), enough to encode new text exactly as in training. */
  toState(): KerasImdbTokenizerState {
    return {
      kind: 'keras-imdb',
      num_words: this.numWords,
      skip_top: this.options.skipTop ?? 0,
      start_id: KERAS_IMDB_START_ID,
      oov_id: KERAS_IMDB_OOV_ID,
      index_from: KERAS_IMDB_INDEX_FROM,
      words: this.words.slice(),
      vocabulary: this.vocabulary.tokens.slice(),
    };
  }

  /** A review as Keras' ids: `[start, ...words]`, unseen words skipped, `[skip_top, num_words)` kept. */
  encode(text: string): Int32Array {
    const { numWords } = this;
    const skipTop = this.options.skipTop ?? 0;
    const words = splitTokens(text, KERAS_WORDS);
    const ids = new Int32Array(words.length + 1);
    let length = 0;
    ids[length++] = KERAS_IMDB_START_ID;
    for (const word of words) {
      const rank = this.ranks.get(word);
      if (rank !== undefined) ids[length++] = rank + KERAS_IMDB_INDEX_FROM;
    }
    for (let i = 0; i < length; i++) if (ids[i] < skipTop || ids[i] >= numWords) ids[i] = KERAS_IMDB_OOV_ID;
    return ids.slice(0, length);
  }
}

/** Every word, most frequent first; equal counts keep the order in which words first appear. */
export function rankWords(texts: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of splitTokens(text, KERAS_WORDS)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Map iteration is insertion order and Array.prototype.sort is stable: ties stay first-seen.
  return [...counts].sort((a, b) => b[1] - a[1]).map(([word]) => word);
}

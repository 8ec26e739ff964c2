/**
 * Keras `Tokenizer` semantics (keras_preprocessing/text.py), so that sequences match what learners
 * get in Python: lowercase, the default punctuation `filters` (word level), a vocabulary of the
 * `vocab_size - 2` most frequent training tokens (ties: first appearance, as Keras' stable sort
 * does), id 0 for padding and id 1 for out-of-vocabulary tokens.
 *
 * A literal OOV token in the training text is counted like any word, as Keras does: when it is
 * frequent enough to be kept it gets its own frequency-ranked id, and that id (not 1) is then the
 * OOV id, so id 1 is never produced. The one difference: when the literal ranks beyond `vocab_size`,
 * Keras would emit ids >= num_words (outside its Embedding); we keep id 1 for OOV then.
 */
import type { TokenizerSpec } from '../language/types';
import { stripHtmlTags, type HtmlRemoval } from './html';
import type { KerasTokenizerState } from './preprocessing';
import type { Vocabulary } from './types';

/** Keras' default `filters`; every one of them, and the space, separates words. */
export const KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

const WORD_SEPARATORS = new RegExp(`[${escapeForCharacterClass(KERAS_FILTERS + ' ')}]+`);

export const PADDING_ID = 0;
export const OOV_ID = 1;

/** How texts are split into tokens (a subset of the spec's `data.tokenizer`). */
export type SplitOptions = Pick<TokenizerSpec, 'level' | 'lowercase' | 'strip_html'>;

export interface FittedTokenizer {
  tokenizer: Tokenizer;
  /** The training texts' ids, unpadded. */
  encoded: Int32Array[];
  /** What HTML stripping removed from the training texts. */
  html: HtmlRemoval;
}

export class Tokenizer {
  private readonly ids: Map<string, number>;

  private constructor(
    readonly options: SplitOptions & { oov_token: string },
    readonly vocabulary: Vocabulary,
    /** Keras `num_words`; `null` keeps every token seen in training. */
    readonly numWords: number | null,
    /** The id unknown tokens get: 1, or the literal OOV token's own id when the training text holds it. */
    readonly oovId: number,
  ) {
    this.ids = new Map();
    vocabulary.tokens.forEach((token, id) => id > OOV_ID && this.ids.set(token, id));
  }

  /**
   * Fits on the training texts and returns them encoded too: counting and encoding share one
   * tokenizing pass (provisional ids in first-seen order, renumbered by frequency afterwards),
   * which halves the time on large corpora such as IMDB. `vocab_size` undefined keeps every token.
   */
  static fit(texts: readonly string[], options: TokenizerSpec): FittedTokenizer {
    const html: HtmlRemoval = { tags: 0, characters: 0 };
    const provisionalIds = new Map<string, number>();
    const counts: number[] = [];
    const provisional = texts.map((text) => {
      const tokens = splitTokens(text, options, html);
      const ids = new Int32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        let id = provisionalIds.get(token);
        if (id === undefined) {
          id = counts.length;
          provisionalIds.set(token, id);
          counts.push(0);
        }
        counts[id]++;
        ids[i] = id;
      }
      return ids;
    });

    const byFrequency = [...provisionalIds]
      .map(([token, id]) => ({ token, id }))
      .sort((a, b) => counts[b.id] - counts[a.id]); // stable: ties keep first-appearance order
    const numWords = options.vocab_size ?? null;
    const kept = numWords === null ? byFrequency : byFrequency.slice(0, Math.max(0, numWords - 2));
    const literalRank = kept.findIndex(({ token }) => token === options.oov_token);
    const oovId = literalRank === -1 ? OOV_ID : literalRank + 2;
    const finalId = new Int32Array(counts.length).fill(oovId);
    kept.forEach(({ id }, rank) => (finalId[id] = rank + 2));
    for (const ids of provisional) {
      for (let i = 0; i < ids.length; i++) ids[i] = finalId[ids[i]];
    }

    const vocabulary: Vocabulary = { tokens: ['', options.oov_token, ...kept.map((k) => k.token)], level: options.level };
    return { tokenizer: new Tokenizer(options, vocabulary, numWords, oovId), encoded: provisional, html };
  }

  /** A tokenizer over a fixed, complete token list (the built-in generators' lexicons): ids 2, 3, ... in order. */
  static fromTokens(tokens: readonly string[], options: TokenizerSpec): Tokenizer {
    return new Tokenizer(options, { tokens: ['', options.oov_token, ...tokens], level: options.level }, tokens.length + 2, OOV_ID);
  }

  /** Rebuilds the tokenizer a run saved (see preprocessing.ts). */
  static fromState(state: KerasTokenizerState): Tokenizer {
    const options = { level: state.level, lowercase: state.lowercase, strip_html: state.strip_html, oov_token: state.oov_token };
    return new Tokenizer(options, { tokens: state.vocabulary.slice(), level: state.level }, state.num_words, state.oov_id);
  }

  /** The documented JSON form of this tokenizer, enough to encode new text exactly as in training. */
  toState(): KerasTokenizerState {
    const { level, lowercase, strip_html, oov_token } = this.options;
    return {
      kind: 'keras',
      level,
      lowercase,
      strip_html,
      filters: level === 'word' ? KERAS_FILTERS : '',
      oov_token,
      oov_id: this.oovId,
      num_words: this.numWords,
      vocabulary: this.vocabulary.tokens.slice(),
    };
  }

  encode(text: string): Int32Array {
    const tokens = splitTokens(text, this.options);
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.ids.get(tokens[i]) ?? this.oovId;
    return ids;
  }
}

/**
 * Keras `text_to_word_sequence` (word level) or the characters (char level, no filtering), after
 * removing real HTML tags when `strip_html` is on (`removal` counts what went).
 */
export function splitTokens(text: string, options: SplitOptions, removal?: HtmlRemoval): string[] {
  let normalized = options.lowercase ? text.toLowerCase() : text;
  if (options.strip_html) normalized = stripHtmlTags(normalized, removal);
  if (options.level === 'char') return Array.from(normalized);
  const tokens = normalized.split(WORD_SEPARATORS);
  // Only a leading or trailing separator leaves an empty string.
  if (tokens[tokens.length - 1] === '') tokens.pop();
  if (tokens[0] === '') tokens.shift();
  return tokens;
}

function escapeForCharacterClass(characters: string): string {
  return characters.replace(/[\\\]^-]/g, '\\$&');
}

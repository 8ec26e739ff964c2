/**
 * Keras `Tokenizer` semantics, so that sequences match what learners get in Python:
 * lowercase, the default punctuation `filters` (word level), a vocabulary of the `vocab_size - 2`
 * most frequent training tokens (ties: first appearance, as Keras' stable sort does), id 0 for
 * padding and id 1 for out-of-vocabulary tokens.
 */
import type { TokenizerSpec } from '../language/types';
import type { Vocabulary } from './types';

/** Keras' default `filters`; every one of them, and the space, separates words. */
export const KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

const WORD_SEPARATORS = new RegExp(`[${escapeForCharacterClass(KERAS_FILTERS + ' ')}]+`);
const HTML_TAG = /<[^>]*>/g;

export const PADDING_ID = 0;
export const OOV_ID = 1;

export class Tokenizer {
  private readonly ids: Map<string, number>;

  private constructor(
    readonly options: TokenizerSpec,
    readonly vocabulary: Vocabulary,
  ) {
    this.ids = new Map(vocabulary.tokens.map((token, id) => [token, id]));
    this.ids.delete(vocabulary.tokens[PADDING_ID]);
    this.ids.delete(vocabulary.tokens[OOV_ID]);
  }

  /**
   * Fits on the training texts and returns them encoded too: counting and encoding share one
   * tokenizing pass (provisional ids in first-seen order, renumbered by frequency afterwards),
   * which halves the time on large corpora such as IMDB.
   */
  static fit(texts: readonly string[], options: TokenizerSpec): { tokenizer: Tokenizer; encoded: Int32Array[] } {
    const provisionalIds = new Map<string, number>();
    const counts: number[] = [];
    const provisional = texts.map((text) => {
      const tokens = splitTokens(text, options);
      const ids = new Int32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        let id = provisionalIds.get(token);
        if (id === undefined) {
          id = token === options.oov_token ? -1 : counts.length;
          provisionalIds.set(token, id);
          if (id >= 0) counts.push(0);
        }
        if (id >= 0) counts[id]++;
        ids[i] = id;
      }
      return ids;
    });

    const byFrequency = [...provisionalIds]
      .filter(([, id]) => id >= 0)
      .map(([token, id]) => ({ token, id }))
      .sort((a, b) => counts[b.id] - counts[a.id]); // stable: ties keep first-appearance order
    const kept = byFrequency.slice(0, Math.max(0, options.vocab_size - 2));
    const finalId = new Int32Array(counts.length).fill(OOV_ID);
    kept.forEach(({ id }, rank) => (finalId[id] = rank + 2));
    for (const ids of provisional) {
      for (let i = 0; i < ids.length; i++) ids[i] = ids[i] < 0 ? OOV_ID : finalId[ids[i]];
    }

    const tokenizer = new Tokenizer(options, { tokens: ['', options.oov_token, ...kept.map((k) => k.token)], level: options.level });
    return { tokenizer, encoded: provisional };
  }

  /** A tokenizer over a fixed, complete token list (the built-in generators' lexicons): ids 2, 3, ... in order. */
  static fromTokens(tokens: readonly string[], options: TokenizerSpec): Tokenizer {
    return new Tokenizer(options, { tokens: ['', options.oov_token, ...tokens], level: options.level });
  }

  encode(text: string): Int32Array {
    const tokens = splitTokens(text, this.options);
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.ids.get(tokens[i]) ?? OOV_ID;
    return ids;
  }
}

/** Keras `text_to_word_sequence` (word level) or the characters (char level, no filtering). */
export function splitTokens(text: string, options: Pick<TokenizerSpec, 'level' | 'lowercase' | 'strip_html'>): string[] {
  let normalized = options.lowercase ? text.toLowerCase() : text;
  if (options.strip_html) normalized = normalized.replace(HTML_TAG, ' ');
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

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

/** A word: a run of characters that are neither filters nor the space. */
const WORD = new RegExp(`[^${escapeForCharacterClass(KERAS_FILTERS + ' ')}]+`);

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
   * Fits on the training texts and returns them encoded too (see TokenizerFitter). `vocab_size`
   * undefined keeps every token.
   */
  static fit(texts: readonly string[], options: TokenizerSpec): FittedTokenizer {
    const fitter = new TokenizerFitter(options);
    for (const text of texts) {
      fitter.add(text);
      fitter.endText();
    }
    return fitter.finish();
  }

  /** The tokenizer of a finished fit: `tokens` in rank order get ids 2, 3, ...; unknown tokens `oovId`. */
  static fitted(options: TokenizerSpec, tokens: string[], oovId: number): Tokenizer {
    return new Tokenizer(options, { tokens: ['', options.oov_token, ...tokens], level: options.level }, options.vocab_size ?? null, oovId);
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

  private charIds?: Int32Array;

  /** Char level: the id of a UTF-16 code from a table built once (no string per character). */
  private charId(code: number): number {
    if (!this.charIds) {
      this.charIds = new Int32Array(0x10000).fill(this.oovId);
      for (const [token, id] of this.ids) if (token.length === 1) this.charIds[token.charCodeAt(0)] = id;
    }
    return this.charIds[code]!;
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

  /** The ids of `text`, at most `maxTokens` of them (a large corpus needs only its first chunks). */
  encode(text: string, maxTokens = Infinity): Int32Array {
    const charLevel = this.options.level === 'char';
    const ids = new IdBuffer(charLevel ? Math.min(text.length, maxTokens) : undefined);
    if (maxTokens <= 0) return ids.toArray();
    const normalized = normalizeText(text, this.options, undefined);
    if (charLevel) {
      forEachCodePoint(normalized, (code) => {
        ids.push(code < 0x10000 ? this.charId(code) : (this.ids.get(String.fromCodePoint(code)) ?? this.oovId));
        return ids.length < maxTokens;
      });
    } else {
      forEachWord(normalized, (token) => {
        ids.push(this.ids.get(token) ?? this.oovId);
        return ids.length < maxTokens;
      });
    }
    return ids.toArray();
  }
}

/**
 * Fits a tokenizer in one pass that also encodes: counting and encoding share the tokenizing
 * (provisional ids in first-seen order, renumbered by frequency at the end), which halves the time
 * on large corpora. Text can be added in pieces (`add` several times, then `endText`), so a corpus
 * of hundreds of megabytes is never split into one giant array of strings, and the caller can
 * yield and report progress between pieces.
 */
export class TokenizerFitter {
  private readonly provisionalIds = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly encoded: Int32Array[] = [];
  private current?: IdBuffer;
  private charTable?: Int32Array;
  private readonly html: HtmlRemoval = { tags: 0, characters: 0 };
  /** Tokens added so far, over every text. */
  tokens = 0;

  /**
   * `maxTokens`: the fit stops there (a run limited by `data.limit` or a preview fits on what it
   * trains on, as the text pipeline does); `capacity`: ids expected at char level (one block).
   */
  constructor(
    private readonly options: TokenizerSpec,
    private readonly maxTokens = Infinity,
    private readonly capacity?: number,
  ) {}

  /**
   * Appends `piece` to the current text; a piece must end between two tokens (at a line end, or
   * anywhere at char level). Returns whether more tokens are wanted (false at `maxTokens`).
   */
  add(piece: string): boolean {
    const charLevel = this.options.level === 'char';
    const ids = (this.current ??= new IdBuffer(charLevel ? Math.min(this.capacity ?? piece.length, this.maxTokens) : undefined));
    const normalized = normalizeText(piece, this.options, this.html);
    const count = (id: number) => {
      this.counts[id]!++;
      ids.push(id);
      return ++this.tokens < this.maxTokens;
    };
    if (this.tokens >= this.maxTokens) return false;
    if (charLevel) {
      // A table by UTF-16 code instead of a Map of one-character strings: 5x faster on a big corpus.
      const table = (this.charTable ??= new Int32Array(0x10000).fill(-1));
      forEachCodePoint(normalized, (code) => {
        let id = code < 0x10000 ? table[code]! : -1;
        if (id === -1) {
          id = this.idOf(String.fromCodePoint(code));
          if (code < 0x10000) table[code] = id;
        }
        return count(id);
      });
    } else {
      forEachWord(normalized, (token) => count(this.idOf(token)));
    }
    return this.tokens < this.maxTokens;
  }

  /** The provisional id of a token, numbered in order of first appearance. */
  private idOf(token: string): number {
    let id = this.provisionalIds.get(token);
    if (id === undefined) {
      id = this.counts.length;
      this.provisionalIds.set(token, id);
      this.counts.push(0);
    }
    return id;
  }

  endText(): void {
    this.encoded.push((this.current ?? new IdBuffer()).toArray());
    this.current = undefined;
  }

  finish(): FittedTokenizer {
    const { counts, options } = this;
    const byFrequency = [...this.provisionalIds]
      .map(([token, id]) => ({ token, id }))
      .sort((a, b) => counts[b.id]! - counts[a.id]!); // stable: ties keep first-appearance order
    const numWords = options.vocab_size ?? null;
    const kept = numWords === null ? byFrequency : byFrequency.slice(0, Math.max(0, numWords - 2));
    const literalRank = kept.findIndex(({ token }) => token === options.oov_token);
    const oovId = literalRank === -1 ? OOV_ID : literalRank + 2;
    const finalId = new Int32Array(counts.length).fill(oovId);
    kept.forEach(({ id }, rank) => (finalId[id] = rank + 2));
    for (const ids of this.encoded) {
      for (let i = 0; i < ids.length; i++) ids[i] = finalId[ids[i]!]!;
    }
    const tokenizer = Tokenizer.fitted(options, kept.map((k) => k.token), oovId);
    return { tokenizer, encoded: this.encoded, html: this.html };
  }
}

/**
 * Growing token ids without doubling copies: fixed blocks assembled once at the end, or one block
 * of a known size (char level: at most one id per UTF-16 unit).
 */
class IdBuffer {
  private readonly blocks: Int32Array[] = [];
  private block: Int32Array;
  private used = 0;
  length = 0;

  constructor(capacity?: number) {
    this.block = new Int32Array(capacity ?? 1024);
  }

  push(id: number): void {
    if (this.used === this.block.length) {
      this.blocks.push(this.block);
      this.block = new Int32Array(Math.min(Math.max(1024, this.length), 1 << 22));
      this.used = 0;
    }
    this.block[this.used++] = id;
    this.length++;
  }

  toArray(): Int32Array {
    if (this.blocks.length === 0) return this.block.subarray(0, this.used);
    const all = new Int32Array(this.length);
    let offset = 0;
    for (const block of this.blocks) {
      all.set(block, offset);
      offset += block.length;
    }
    all.set(this.block.subarray(0, this.used), offset);
    return all;
  }
}

/**
 * Keras `text_to_word_sequence` (word level) or the characters (char level, no filtering), after
 * removing real HTML tags when `strip_html` is on (`removal` counts what went).
 */
export function splitTokens(text: string, options: SplitOptions, removal?: HtmlRemoval): string[] {
  const normalized = normalizeText(text, options, removal);
  if (options.level === 'char') return Array.from(normalized);
  const tokens: string[] = [];
  forEachWord(normalized, (token) => tokens.push(token) > 0);
  return tokens;
}

/** Lowercased and stripped of real HTML tags, as the options say. */
function normalizeText(text: string, options: SplitOptions, removal: HtmlRemoval | undefined): string {
  const lowered = options.lowercase ? text.toLowerCase() : text;
  return options.strip_html ? stripHtmlTags(lowered, removal) : lowered;
}

/** Calls `visit` with each word of normalized text until it returns false; no array is built. */
function forEachWord(text: string, visit: (word: string) => boolean): void {
  const word = new RegExp(WORD.source, 'g');
  for (let match = word.exec(text); match; match = word.exec(text)) if (!visit(match[0])) return;
}

/** Calls `visit` with each code point (a surrogate pair is one) until it returns false; no string per character. */
function forEachCodePoint(text: string, visit: (code: number) => boolean): void {
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (!visit(code)) return;
  }
}

function escapeForCharacterClass(characters: string): string {
  return characters.replace(/[\\\]^-]/g, '\\$&');
}

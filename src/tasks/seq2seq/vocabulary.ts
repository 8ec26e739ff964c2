/**
 * The tokenizer and vocabulary of one side of a pair (source or target), fitted on the training
 * pairs. Ids:
 *
 * - 0: padding, 1: `<OOV>` (a token the training pairs did not have);
 * - target side only: 2 `<start>` (the decoder's first input) and 3 `<end>` (the last token the
 *   decoder learns to produce; decoding stops there) — Keras' `lstm_seq2seq` uses "\t" and "\n";
 * - then the training tokens, most frequent first (ties: first appearance), at most `vocab_size`
 *   ids in all.
 *
 * Levels: `char` (every Unicode code point a token, spaces included) or `word` (a word is a run of
 * letters, digits and marks, with inner apostrophes and hyphens, "l'homme", "arrête-toi"; every
 * other non-space character, punctuation, is a token of its own; spaces separate and are dropped).
 * Texts are lowercased first when `lowercase` is on.
 */

export type TokenLevel = 'char' | 'word';

/** What the spec says about one side (`data.pairs.source` / `data.pairs.target`). */
export interface SideSettings {
  level: TokenLevel;
  lowercase: boolean;
  /** Keep at most this many ids in all (padding, OOV, start and end included); undefined: every training token. */
  vocab_size?: number;
}

export type SideRole = 'source' | 'target';

/** The saved form of a side's vocabulary (`preprocessing.json`): enough to encode new text as in training. */
export interface SideVocabularyState {
  role: SideRole;
  level: TokenLevel;
  lowercase: boolean;
  /** `tokens[id]`, the special tokens included. */
  tokens: string[];
}

export const PADDING_ID = 0;
export const OOV_ID = 1;
export const START_ID = 2;
export const END_ID = 3;
export const OOV_TOKEN = '<OOV>';
export const START_TOKEN = '<start>';
export const END_TOKEN = '<end>';

/** A word with inner apostrophes or hyphens, or any other single non-space character. */
const WORD_TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’-][\p{L}\p{N}\p{M}]+)*|\S/gu;

/** The tokens of `text` at `level` (after lowercasing when asked). */
export function splitSide(text: string, settings: Pick<SideSettings, 'level' | 'lowercase'>): string[] {
  const normalised = settings.lowercase ? text.toLowerCase() : text;
  return settings.level === 'char' ? Array.from(normalised) : (normalised.match(WORD_TOKEN) ?? []);
}

/** Tokens back into text: characters run together, words and punctuation with single spaces. */
export function joinSide(tokens: readonly string[], level: TokenLevel): string {
  return tokens.join(level === 'char' ? '' : ' ');
}

function specialTokens(role: SideRole): string[] {
  return role === 'target' ? ['', OOV_TOKEN, START_TOKEN, END_TOKEN] : ['', OOV_TOKEN];
}

export class SideVocabulary {
  private readonly ids = new Map<string, number>();

  private constructor(readonly state: SideVocabularyState) {
    state.tokens.forEach((token, id) => id >= specialTokens(state.role).length && this.ids.set(token, id));
  }

  /**
   * Fits on the training texts of one side.
   * @throws RangeError when `vocab_size` leaves no room for a single token beyond the special ones.
   */
  static fit(texts: readonly string[], settings: SideSettings, role: SideRole): SideVocabulary {
    const special = specialTokens(role);
    if (settings.vocab_size !== undefined && settings.vocab_size <= special.length) {
      throw new RangeError(`vocab_size ${settings.vocab_size} of the ${role} side leaves no id for a token: ${special.length} ids are taken by padding, <OOV>${role === 'target' ? ', <start> and <end>' : ''}.`);
    }
    const counts = new Map<string, number>();
    for (const text of texts) for (const token of splitSide(text, settings)) counts.set(token, (counts.get(token) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([token]) => token); // stable: ties keep first appearance
    const kept = settings.vocab_size === undefined ? ranked : ranked.slice(0, settings.vocab_size - special.length);
    return new SideVocabulary({ role, level: settings.level, lowercase: settings.lowercase, tokens: [...special, ...kept] });
  }

  static fromState(state: SideVocabularyState): SideVocabulary {
    return new SideVocabulary(state);
  }

  /** Ids in all, the special ones included: the width of this side's one-hot vectors and softmax. */
  get size(): number {
    return this.state.tokens.length;
  }

  get level(): TokenLevel {
    return this.state.level;
  }

  split(text: string): string[] {
    return splitSide(text, this.state);
  }

  /** The ids of `text`'s tokens (no start or end token); unknown tokens are OOV_ID. */
  encode(text: string): number[] {
    return this.split(text).map((token) => this.ids.get(token) ?? OOV_ID);
  }

  /** The token of each id (padding is ""). */
  tokensOf(ids: readonly number[]): string[] {
    return ids.map((id) => this.state.tokens[id] ?? OOV_TOKEN);
  }

  /** The text of decoded ids, the special ids left out. */
  decode(ids: readonly number[]): string {
    const first = specialTokens(this.state.role).length;
    return joinSide(this.tokensOf(ids.filter((id) => id >= first || id === OOV_ID)), this.state.level);
  }

  /** The distinct tokens of `text` this vocabulary lacks, in order of appearance. */
  unknown(text: string): string[] {
    return [...new Set(this.split(text).filter((token) => !this.ids.has(token)))];
  }
}

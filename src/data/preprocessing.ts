/**
 * The preprocessing state: everything needed to turn new raw input (a text, a series) into the
 * model's input array exactly as training did, and the model's output back into something readable
 * (class names, values in the data's units). Every pipeline produces one (`PreparedData.preprocessing`);
 * a run saves it beside `model.json` as `preprocessing.json`.
 *
 * The JSON is versioned and uses Keras' words. Version 1, all counts and ids zero-based:
 *
 * ```jsonc
 * {
 *   "format": "seqlab-preprocessing", "version": 1,
 *   "task": "binary" | "multiclass" | "regression" | "forecast" | "next-token",
 *   "inputKind": "tokens" | "values",        // model input [1, timesteps] ids or [1, timesteps, features]
 *   "timesteps": 200, "features": 1,
 *   "tokenizer": {                            // token input; `kind` tells which tokenizer
 *     "kind": "keras",                        // Keras Tokenizer (keras_preprocessing/text.py)
 *     "level": "word" | "char", "lowercase": true,
 *     "strip_html": true,                     // real tags only (<br />, <p>, </i>, <a href=..>)
 *     "filters": "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n",   // word separators besides the space
 *     "oov_token": "<OOV>", "oov_id": 1,      // the id every unknown token gets
 *     "num_words": 10000 | null,              // ids >= num_words are never produced; null: all kept
 *     "vocabulary": ["", "<OOV>", "the", ...] // vocabulary[id]: 0 padding, 1 OOV, then by frequency
 *   },
 *   "tokenizer": {                            // or Keras' IMDB arrays (data.imdb_preprocessing: keras)
 *     "kind": "keras-imdb",                   // keras.datasets.imdb.load_data (imdbKeras.ts)
 *     "num_words": 10000, "skip_top": 0,      // ids outside [skip_top, num_words) become oov_id
 *     "start_id": 1, "oov_id": 2, "index_from": 3,   // every review starts with start_id
 *     "words": ["the", "and", ...],           // every training word by rank: words[r - 1] has id r + index_from;
 *                                             // a word not in the list is skipped (Keras' "words" file)
 *     "vocabulary": ["", "<START>", "<OOV>", "<UNUSED>", "the", ...]   // vocabulary[id], id < num_words
 *   },
 *   "padding": { "max_len": 200, "padding": "pre", "truncating": "pre" },   // Keras pad_sequences
 *   "classes": { "names": ["ham", "spam"] },  // binary/multiclass: the label of each class id
 *   "normalization": {                        // normalized = (value - offset) / scale
 *     "inputs": [{ "method": "zscore", "offset": 280.3, "scale": 120.0, "column": "Passengers" }],
 *     "target": { "method": "zscore", "offset": 280.3, "scale": 120.0, "column": "Passengers" }
 *   },
 *   "window": { "lookback": 12, "horizon": 1 }   // forecast: the last `lookback` values in
 * }
 * ```
 * Absent sections mean "not used" (no normalization: values go in raw). Readers must reject a
 * `version` they do not know.
 */
import { printableValue } from '../language/printable';
import type { PadSide, Task } from '../language/types';
import { padOne } from './padding';
import { PADDING_ID, Tokenizer } from './tokenizer';
import { KerasImdbEncoder } from './imdbKeras';
import { DataError, type Vocabulary } from './types';

export const PREPROCESSING_FORMAT = 'seqlab-preprocessing';
export const PREPROCESSING_VERSION = 1;
/** File name of the state in a run folder and an exported model. */
export const PREPROCESSING_FILE = 'preprocessing.json';

/** Keras `Tokenizer` state: `fit_on_texts` already done. */
export interface KerasTokenizerState {
  kind: 'keras';
  level: 'word' | 'char';
  lowercase: boolean;
  /** Remove real HTML tags before splitting (see html.ts). */
  strip_html: boolean;
  /** Keras `filters` (word level: each of them and the space separate words; char level: ''). */
  filters: string;
  oov_token: string;
  /** The id of out-of-vocabulary tokens: 1, or the literal OOV token's id when the training text held it (Keras). */
  oov_id: number;
  /** Keras `num_words`: the vocabulary holds ids below it; `null` when every training token was kept. */
  num_words: number | null;
  /** `vocabulary[id]` is the token of `id`; 0 is padding (""), 1 the OOV token. */
  vocabulary: string[];
}

/**
 * Keras' IMDB word index and `load_data`'s id rules (keras/src/datasets/imdb.py; see imdbKeras.ts):
 * `[start_id, ...words]`, a word of rank r gets `r + index_from`, ids outside `[skip_top, num_words)`
 * become `oov_id`, words never seen in training are skipped. Always lowercase, word level, no HTML
 * stripping, Keras' default filters.
 */
export interface KerasImdbTokenizerState {
  kind: 'keras-imdb';
  num_words: number;
  skip_top: number;
  start_id: number;
  oov_id: number;
  index_from: number;
  /** Every word of the training reviews, most frequent first: `words[r - 1]` has rank r. */
  words: string[];
  /** `vocabulary[id]` for ids below `num_words`: "", "<START>", "<OOV>", "<UNUSED>", then `words`. */
  vocabulary: string[];
}

/** One tokenizer kind per `kind`. */
export type TokenizerState = KerasTokenizerState | KerasImdbTokenizerState;

/**
 * Text -> token ids with a fitted vocabulary: a Keras `Tokenizer` (tokenizer.ts) or Keras' IMDB
 * word index (imdbKeras.ts). Training arrays and new text (probes, predict) both go through `encode`.
 */
export interface TokenEncoder {
  readonly vocabulary: Vocabulary;
  /** The ids of one text, before padding. */
  encode(text: string): Int32Array;
  /** The documented JSON form, enough to encode new text exactly as in training. */
  toState(): TokenizerState;
}

/** Rebuilds the encoder of a saved tokenizer state, whatever its kind. */
export function tokenEncoderOf(state: TokenizerState): TokenEncoder {
  return state.kind === 'keras-imdb' ? KerasImdbEncoder.fromState(state) : Tokenizer.fromState(state);
}

/** Keras `pad_sequences(maxlen, padding, truncating)`. */
export interface PaddingState {
  max_len: number;
  padding: PadSide;
  truncating: PadSide;
}

/** `normalized = (value - offset) / scale`, fitted on the training data only. */
export interface AffineStats {
  method: 'zscore' | 'minmax';
  offset: number;
  scale: number;
  /** The column the statistics describe, when the data came from a table. */
  column?: string;
}

export interface NormalizationState {
  /** Per input feature, in feature order; absent: the values go in raw. */
  inputs?: AffineStats[];
  /** The target (forecast: the predicted column; regression: `data.normalize_target`); absent: raw. */
  target?: AffineStats;
}

export interface PreprocessingState {
  format: typeof PREPROCESSING_FORMAT;
  version: typeof PREPROCESSING_VERSION;
  task: Task;
  inputKind: 'tokens' | 'values';
  /** The model's input length: `max_len` for tokens, `lookback` (or the sequence length) for values. */
  timesteps: number;
  /** Values per step (1 for token input). */
  features: number;
  tokenizer?: TokenizerState;
  padding?: PaddingState;
  /** binary / multiclass: `names[id]` is the label of class `id` as written in the data. */
  classes?: { names: string[] };
  normalization?: NormalizationState;
  /** forecast: how windows were cut. */
  window?: { lookback: number; horizon: number };
}

/** A model input for one example, and what is under each of its steps. */
export interface EncodedInput {
  /** `[1, timesteps]` token ids (Int32Array) or `[1, timesteps, features]` values (Float32Array). */
  x: Int32Array | Float32Array;
  shape: number[];
  /** The token under each step ('' for padding), or the step's values in the data's units. */
  tokens: string[];
}

export interface ClassProbability {
  id: number;
  name: string;
  probability: number;
}

/** A model output made readable. */
export type Prediction =
  /** binary / multiclass: the most probable class first in `classes`. */
  | { kind: 'class'; id: number; name: string; probability: number; classes: ClassProbability[] }
  /** regression / forecast: in the data's units (`horizon` values for a forecast). */
  | { kind: 'values'; values: number[] }
  /** next-token: the distribution of the token after the last input step, most probable first. */
  | { kind: 'next-token'; id: number; token: string; probability: number; candidates: ClassProbability[] };

export interface Encoder {
  readonly state: PreprocessingState;
  /** Token input only: the ids of `text` before padding. */
  tokenize(text: string): Int32Array;
  /** Token input only: `text` -> `[1, timesteps]` ids, padded and truncated as in training. */
  encodeText(text: string): EncodedInput;
  /**
   * Value input only: `steps[t][f]` in the data's units -> `[1, timesteps, features]` normalised.
   * A forecast takes the last `lookback` steps; other numeric data needs exactly `timesteps` steps.
   */
  encodeSteps(steps: readonly (readonly number[])[]): EncodedInput;
  /** Raw input as typed: a text for token input, numbers (see parseSteps) for value input. */
  encode(raw: string): EncodedInput;
  /** The label of a class id (its number as text when the labels had no names). */
  className(id: number): string;
  /** Model targets -> the data's units (undoes target normalisation; identity without it). */
  toDataUnits(values: ArrayLike<number>): number[];
  /**
   * The model output for one example (flattened; next-token: `[timesteps, vocabulary]`) -> a
   * prediction. For next-token, `input` tells which step is the last real token (default: the last).
   */
  readPrediction(output: ArrayLike<number>, input?: EncodedInput): Prediction;
}

/** Rebuilds the encoder of a saved state; pure, deterministic, no file access. */
export function createEncoder(state: PreprocessingState): Encoder {
  const tokenizer = state.tokenizer ? tokenEncoderOf(state.tokenizer) : undefined;
  const requireTokens = (): TokenEncoder => {
    if (!tokenizer || !state.padding) {
      throw new DataError('this model reads numbers, not text. Give it numbers, e.g. "1.5, 2, 3.25".');
    }
    return tokenizer;
  };
  const className = (id: number) => state.classes?.names[id] ?? String(id);
  const encodeText = (text: string): EncodedInput => {
    const ids = padOne(requireTokens().encode(text), toPadOptions(state.padding!));
    const vocabulary = state.tokenizer!.vocabulary;
    const tokens = Array.from(ids, (id) => (id === PADDING_ID ? '' : (vocabulary[id] ?? vocabulary[state.tokenizer!.oov_id])));
    return { x: ids, shape: [1, state.timesteps], tokens };
  };
  const encodeSteps = (steps: readonly (readonly number[])[]): EncodedInput => {
    if (state.inputKind !== 'values') throw new DataError('this model reads text, not numbers. Give it a text.');
    const window = chooseSteps(steps, state);
    const x = new Float32Array(state.timesteps * state.features);
    window.forEach((step, t) =>
      step.forEach((value, f) => {
        const stats = state.normalization?.inputs?.[f];
        x[t * state.features + f] = stats ? (value - stats.offset) / stats.scale : value;
      }),
    );
    return { x, shape: [1, state.timesteps, state.features], tokens: window.map((step) => step.map(formatValue).join(',')) };
  };
  return {
    state,
    tokenize: (text) => requireTokens().encode(text),
    encodeText,
    encodeSteps,
    encode: (raw) => (state.inputKind === 'tokens' ? encodeText(raw) : encodeSteps(parseSteps(raw, state.features))),
    className,
    toDataUnits: (values) => denormalize(values, state.normalization?.target),
    readPrediction: (output, input) => readPrediction(state, className, output, input),
  };
}

/** Checks a parsed `preprocessing.json`; throws a DataError that says what is wrong with it. */
export function parsePreprocessingState(json: unknown, file?: string): PreprocessingState {
  const state = json as Partial<PreprocessingState> | null;
  if (state === null || typeof state !== 'object' || state.format !== PREPROCESSING_FORMAT) {
    throw new DataError(`this is not a Sequence Lab preprocessing state (expected "format": "${PREPROCESSING_FORMAT}").`, file);
  }
  if (state.version !== PREPROCESSING_VERSION) {
    throw new DataError(
      `this preprocessing state has version ${String(state.version)}, but this Sequence Lab reads version ${PREPROCESSING_VERSION}. Use the Sequence Lab that trained the model, or re-train it.`,
      file,
    );
  }
  const sizes = [state.timesteps, state.features].every((size) => Number.isInteger(size) && (size as number) > 0);
  const tokensComplete = state.inputKind !== 'tokens' || (knownTokenizer(state.tokenizer) && state.padding !== undefined);
  if (!sizes || (state.inputKind !== 'tokens' && state.inputKind !== 'values') || !tokensComplete) {
    throw new DataError('this preprocessing state is incomplete (input kind, sizes, tokenizer or padding missing). Re-export the model from its run.', file);
  }
  return state as PreprocessingState;
}

function knownTokenizer(tokenizer: TokenizerState | undefined): boolean {
  if (!tokenizer || !Array.isArray(tokenizer.vocabulary)) return false;
  return tokenizer.kind === 'keras' || (tokenizer.kind === 'keras-imdb' && Array.isArray(tokenizer.words));
}

/**
 * Numbers as typed on a command line or in a probe box: steps separated by newlines or `;`, the
 * values of one step by commas or spaces (`"1, 2, 3"` is three steps of one feature;
 * `"0.5 1; 0.2 0"` two steps of two features). Throws a DataError naming the first non-number.
 */
export function parseSteps(raw: string, features: number): number[][] {
  const rows = raw.split(/[;\n]/).map((row) => row.trim()).filter((row) => row !== '');
  const numbers = (row: string) =>
    row.split(/[\s,]+/).filter((cell) => cell !== '').map((cell) => {
      const value = Number(cell);
      if (!Number.isFinite(value)) throw new DataError(`"${printableValue(cell)}" is not a number. Give the series as numbers, e.g. "112, 118, 132".`);
      return value;
    });
  if (features === 1) return rows.flatMap(numbers).map((value) => [value]);
  const cells = rows.map(numbers);
  const flat = cells.length === 1 ? cells[0]! : undefined;
  if (flat && flat.length % features === 0) return Array.from({ length: flat.length / features }, (_, t) => flat.slice(t * features, (t + 1) * features));
  const bad = cells.findIndex((step) => step.length !== features);
  if (bad !== -1) {
    throw new DataError(`step ${bad + 1} has ${cells[bad]!.length} values, but this model reads ${features} per step. Separate steps with ";" or new lines, values with commas.`);
  }
  return cells;
}

function chooseSteps(steps: readonly (readonly number[])[], state: PreprocessingState): (readonly number[])[] {
  const { timesteps, features } = state;
  const wrong = steps.findIndex((step) => step.length !== features);
  if (wrong !== -1) throw new DataError(`step ${wrong + 1} has ${steps[wrong]!.length} values, but this model reads ${features} per step.`);
  if (state.window) {
    if (steps.length < timesteps) {
      throw new DataError(`this model forecasts from the last ${timesteps} values (its lookback), but only ${steps.length} were given. Give at least ${timesteps}.`);
    }
    return steps.slice(steps.length - timesteps);
  }
  if (steps.length !== timesteps) throw new DataError(`this model reads sequences of exactly ${timesteps} steps, but ${steps.length} were given.`);
  return steps.slice();
}

/**
 * A next-token model's probabilities at `step`, from its output `[steps, units]` (flattened), over
 * the `vocabularySize` ids the vocabulary names. Rows are as wide as the output layer, which may have
 * more units than the vocabulary has ids (`vocab_size` above the data's: a 67-unit softmax over a
 * 64-token slice); those extra ids name no token and are left out.
 */
export function stepDistribution(output: ArrayLike<number>, steps: number, step: number, vocabularySize: number): number[] {
  const units = output.length / steps;
  return Array.from({ length: Math.min(units, vocabularySize) }, (_, id) => output[step * units + id]!);
}

function readPrediction(state: PreprocessingState, className: (id: number) => string, output: ArrayLike<number>, input?: EncodedInput): Prediction {
  switch (state.task) {
    case 'binary': {
      const probabilities = output.length === 1 ? [1 - output[0]!, output[0]!] : Array.from(output);
      return classPrediction(probabilities, className);
    }
    case 'multiclass':
      return classPrediction(Array.from(output), className);
    case 'regression':
    case 'forecast':
      return { kind: 'values', values: denormalize(output, state.normalization?.target) };
    case 'next-token': {
      const vocabulary = state.tokenizer?.vocabulary ?? [];
      const steps = state.timesteps;
      const lastReal = input ? input.tokens.reduce((last, token, t) => (token !== '' ? t : last), steps - 1) : steps - 1;
      const distribution = stepDistribution(output, steps, lastReal, vocabulary.length);
      const ranked = rank(distribution, (id) => vocabulary[id] ?? String(id));
      const best = ranked[0]!;
      return { kind: 'next-token', id: best.id, token: best.name, probability: best.probability, candidates: ranked.slice(0, 10) };
    }
  }
}

function classPrediction(probabilities: number[], className: (id: number) => string): Prediction {
  const classes = rank(probabilities, className);
  const best = classes[0]!;
  return { kind: 'class', id: best.id, name: best.name, probability: best.probability, classes };
}

function rank(probabilities: number[], name: (id: number) => string): ClassProbability[] {
  return probabilities.map((probability, id) => ({ id, name: name(id), probability })).sort((a, b) => b.probability - a.probability || a.id - b.id);
}

function denormalize(values: ArrayLike<number>, stats: AffineStats | undefined): number[] {
  return Array.from(values, (value) => (stats ? value * stats.scale + stats.offset : value));
}

function toPadOptions(padding: PaddingState) {
  return { maxLen: padding.max_len, padding: padding.padding, truncating: padding.truncating };
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}


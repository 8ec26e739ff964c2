/**
 * Text generation with a next-token model (character or word level), as tfjs-examples'
 * lstm-text-generation does it: the last `window` tokens go in, the distribution after the last of
 * them comes out, one token is drawn and appended, and the window slides. The model sees what it
 * was trained on, chunks of at most `window` tokens from a fresh state. Pure: the model comes in as
 * a function, the randomness as a seeded `Random`.
 */
import { stepDistribution, tokenEncoderOf, type PreprocessingState } from '../data/preprocessing';
import { deriveSeed, seededRandom, type Random } from '../data/random';
import { MAX_GENERATION_TOKENS, type GeneratedToken, type GenerationEvent, type GenerationSettings } from '../protocol';
import { significant } from '../inspect/rounding';
import { rankTokens, sampleToken, type SamplingSettings } from './sampling';

/** Alternatives kept with each token (the panel shows them on hover). */
export const ALTERNATIVES = 5;
/** Longest generation a request may ask for, in tokens. */
export const MAX_GENERATION_LENGTH = MAX_GENERATION_TOKENS;
/** The padding id: never a next token (training chunks hold none). */
const PADDING_ID = 0;

/** A next-token model as generation needs it. */
export interface NextTokenModel {
  /** `vocabulary[id]`; id 0 is padding. */
  readonly vocabulary: readonly string[];
  readonly level: 'word' | 'char';
  /** The model's input length: at most this many tokens of context. */
  readonly window: number;
  /** The ids of a text, as training tokenized it (no padding). */
  tokenize(text: string): Int32Array;
  /**
   * The model's output for `[window]` ids (the context first, padding after it): row-major
   * `[window, vocabulary]` probabilities. Causal layers make the rows of the context independent
   * of what follows them.
   */
  run(ids: Int32Array): ArrayLike<number>;
}

export interface GenerationRequest extends SamplingSettings {
  /** The text generation continues. */
  seed: string;
  /** Tokens to generate (1..MAX_GENERATION_LENGTH). */
  length: number;
}

/** The seed text cannot start a generation (it has no token the model knows, or the request is out of range). */
export class GenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenerationError';
  }
}

/**
 * Checks a request before any model runs; throws a GenerationError naming what to change.
 * Returns the seed's token ids.
 */
export function seedTokens(model: NextTokenModel, request: GenerationRequest): Int32Array {
  const { length, temperature, topK } = request;
  if (!Number.isInteger(length) || length < 1 || length > MAX_GENERATION_LENGTH) {
    throw new GenerationError(`The length must be a whole number from 1 to ${MAX_GENERATION_LENGTH} tokens (got ${length}).`);
  }
  if (!Number.isFinite(temperature) || temperature < 0) throw new GenerationError(`The temperature must be 0 (always the most probable token) or more (got ${temperature}).`);
  if (!Number.isInteger(topK) || topK < 0) throw new GenerationError(`top-k must be a whole number, 0 for every token (got ${topK}).`);
  const ids = model.tokenize(request.seed);
  if (ids.length === 0) {
    throw new GenerationError(`The seed text has no ${model.level === 'char' ? 'character' : 'word'} this model can read: give it a few ${model.level === 'char' ? 'characters' : 'words'} of text like its training text.`);
  }
  return ids;
}

/**
 * Generates `request.length` tokens after the seed, one at a time (a consumer can stream them),
 * each with the probability the model gave it and its `ALTERNATIVES` most probable alternatives.
 * One number of `random` is consumed per token (none at temperature 0), so a seeded `random` gives
 * the same text every time. Throws a GenerationError for a request that cannot run.
 */
export function* generateTokens(model: NextTokenModel, request: GenerationRequest, random: Random): Generator<GeneratedToken> {
  const context = Array.from(seedTokens(model, request));
  const excluded = new Set([PADDING_ID]);
  for (let n = 0; n < request.length; n++) {
    const window = context.slice(-model.window);
    const ids = new Int32Array(model.window);
    ids.set(window);
    const distribution = stepDistribution(model.run(ids), model.window, window.length - 1, model.vocabulary.length);
    const ranked = rankTokens(distribution, excluded);
    const id = sampleToken(ranked, request, random);
    context.push(id);
    yield {
      token: model.vocabulary[id] ?? '',
      id,
      p: significant(distribution[id]),
      top: ranked.slice(0, ALTERNATIVES).map((alternative) => ({ token: model.vocabulary[alternative.id] ?? '', p: significant(alternative.probability) })),
    };
  }
}

/** The seed and the generated tokens as one text: characters run together, words with spaces. */
export function generatedText(seed: string, tokens: readonly Pick<GeneratedToken, 'token'>[], level: 'word' | 'char'): string {
  if (level === 'char') return seed + tokens.map((t) => t.token).join('');
  return [seed.trimEnd(), ...tokens.map((t) => t.token)].join(' ');
}

/**
 * The next-token model of a run from its preprocessing state and a function running the model on
 * `[1, window]` ids (a loaded predictor's `outputFor`, or a model in the worker). Throws a
 * GenerationError when the run is not a next-token model.
 */
export function nextTokenModel(state: PreprocessingState, run: (ids: Int32Array) => ArrayLike<number>): NextTokenModel {
  if (state.task !== 'next-token' || !state.tokenizer) {
    throw new GenerationError(`This run's model is a ${state.task} model: only next-token models (data.task: next-token) generate text.`);
  }
  const encoder = tokenEncoderOf(state.tokenizer);
  return {
    vocabulary: state.tokenizer.vocabulary,
    level: state.tokenizer.kind === 'keras' ? state.tokenizer.level : 'word',
    window: state.timesteps,
    tokenize: (text) => encoder.encode(text),
    run,
  };
}

/** The random stream of draw number `sample` of a run whose `data.seed` is `seed`. */
export function generationRandom(seed: number, sample: number): Random {
  return seededRandom(deriveSeed(seed, 'generate', sample));
}

/** A partial event at least this often while streaming (and after the first token). */
const STREAM_INTERVAL_MS = 120;

export interface GenerationRun {
  /** Request id, unique within the run. */
  id: string;
  settings: GenerationSettings;
  weights: GenerationEvent['weights'];
  /** `data.seed` of the run: the random stream is `generationRandom(seed, settings.sample)`. */
  seed: number;
}

/**
 * Generates as `run` asks, yielding to the event loop after every token so that messages (a stop,
 * another request) and training batches go on; `partial` receives the text so far every
 * STREAM_INTERVAL_MS, and the returned promise the complete event. Rejects with a GenerationError
 * for a request that cannot run.
 */
export async function streamGeneration(model: NextTokenModel, run: GenerationRun, partial: (event: GenerationEvent) => void): Promise<GenerationEvent> {
  const tokens: GeneratedToken[] = [];
  const event = (complete: boolean): GenerationEvent => ({ type: 'generation', id: run.id, level: model.level, settings: run.settings, weights: run.weights, tokens: tokens.slice(), complete });
  let sent = 0;
  for (const token of generateTokens(model, run.settings, generationRandom(run.seed, run.settings.sample))) {
    tokens.push(token);
    if (Date.now() - sent >= STREAM_INTERVAL_MS) {
      sent = Date.now();
      partial(event(false));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return event(true);
}

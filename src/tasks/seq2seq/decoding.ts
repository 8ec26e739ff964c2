/**
 * Decoding a sequence-to-sequence model's output: greedy, beam search and sampling, as pure
 * functions over a "next-token distribution" callback. The decoder comes in as `step` (one call per
 * output position for every hypothesis still alive, of every source, so a model runs one batch per
 * step), the randomness as a seed. Decoding starts from the start token and stops at the end token
 * or after `maxLength` tokens.
 *
 * Beam search keeps the `beamWidth` most probable continuations (by summed log-probability) of the
 * hypotheses alive; one that takes the end token is finished and leaves the beam, so the beam
 * narrows as hypotheses finish and the search ends when none is alive. Finished hypotheses are
 * ranked by log P / L^α (L: tokens including the end token; α = `lengthPenalty`; 0 ranks by
 * probability alone, which favours short outputs; 1 by the mean log-probability per token) — the
 * length normalisation of Wu et al. 2016 (GNMT, §7) in its simple form. A hypothesis cut at
 * `maxLength` is kept, marked unfinished, ranked after every finished one.
 */
import { deriveSeed, seededRandom } from '../../data/random';
import { rankTokens, sampleToken } from '../sampling';

/** One hypothesis to extend: the decoder state after its last token, and that token. */
export interface StepInput<S> {
  state: S;
  token: number;
}

/** The decoder's answer for one hypothesis. */
export interface StepOutput<S> {
  /** `[vocabulary]` probabilities of the next token (summing to about 1). */
  probabilities: ArrayLike<number>;
  /** The decoder state after `token`. */
  state: S;
  /** `[source steps]` attention weights of this step, when the model attends. */
  attention?: ArrayLike<number>;
}

/**
 * The model as decoding needs it: the next-token distributions of a batch of hypotheses, in order.
 * States are values: the search may pass one state to several continuations and drops the rest.
 */
export type StepFunction<S> = (inputs: readonly StepInput<S>[]) => StepOutput<S>[];

/** A token id with its probability. */
export interface TokenChoice {
  id: number;
  probability: number;
}

/** One output position of a decoded hypothesis. */
export interface DecodedStep extends TokenChoice {
  /** The most probable tokens at this position (at most `alternatives`), most probable first. */
  top: TokenChoice[];
  attention?: number[];
}

/** A decoded output. */
export interface Decoded {
  /** The tokens, without the start and end tokens. */
  ids: number[];
  /** Per output position, including the end token's when `finished`. */
  steps: DecodedStep[];
  /** Natural log of the output's probability (end token included). */
  logProbability: number;
  /** The ranking score: `logProbability / length^lengthPenalty` (equal to logProbability for greedy and sampling). */
  score: number;
  /** Whether it ended with the end token (false: cut at `maxLength`). */
  finished: boolean;
}

export interface DecodeSettings {
  startToken: number;
  endToken: number;
  /** At most this many tokens, the end token included. */
  maxLength: number;
  /** Ids never chosen; default: the start token alone (pass padding and the start token). */
  excluded?: ReadonlySet<number>;
  /** Alternatives recorded per position (0: none; decoding a validation set needs none). */
  alternatives?: number;
}

export interface BeamSettings extends DecodeSettings {
  beamWidth: number;
  /** α of the length normalisation (0 to 2; 0 turns it off). */
  lengthPenalty: number;
}

export interface SampleSettings extends DecodeSettings {
  /** Softmax temperature (> 0; 0 is greedy). */
  temperature: number;
  /** Seed of the draws: the same seed gives the same outputs. */
  seed: number;
}

/** The decoding a request asks for. */
export type DecodeMethod = { method: 'greedy' } | ({ method: 'beam' } & Pick<BeamSettings, 'beamWidth' | 'lengthPenalty'>) | ({ method: 'sample' } & Pick<SampleSettings, 'temperature' | 'seed'>);

/** Thrown for settings no decoding can run with. */
export class DecodeSettingsError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeSettingsError';
  }
}

function checkSettings(settings: DecodeSettings): void {
  if (!Number.isInteger(settings.maxLength) || settings.maxLength < 1) throw new DecodeSettingsError(`The maximum length must be a whole number of tokens, at least 1 (got ${settings.maxLength}).`);
  const alternatives = settings.alternatives ?? 0;
  if (!Number.isInteger(alternatives) || alternatives < 0) throw new DecodeSettingsError(`The alternatives per token must be a whole number >= 0 (got ${alternatives}).`);
}

/** A hypothesis being extended. */
interface Hypothesis<S> {
  source: number;
  state: S;
  token: number;
  ids: number[];
  steps: DecodedStep[];
  logProbability: number;
}

function excludedIds(settings: DecodeSettings): ReadonlySet<number> {
  return settings.excluded ?? new Set([settings.startToken]);
}

/** The id of the most probable token not excluded (ties: the lower id). */
function argmax(probabilities: ArrayLike<number>, excluded: ReadonlySet<number>): number {
  let best = -1;
  for (let id = 0; id < probabilities.length; id++) if (!excluded.has(id) && (best === -1 || probabilities[id] > probabilities[best])) best = id;
  if (best === -1) throw new DecodeSettingsError('Every token of the vocabulary is excluded: nothing can be decoded.');
  return best;
}

/** The `k` most probable ids not excluded, most probable first (ties: the lower id); O(vocabulary × k). */
export function topTokens(probabilities: ArrayLike<number>, k: number, excluded: ReadonlySet<number>): TokenChoice[] {
  const top: TokenChoice[] = [];
  if (k <= 0) return top;
  for (let id = 0; id < probabilities.length; id++) {
    if (excluded.has(id)) continue;
    const probability = probabilities[id];
    if (top.length === k && probability <= top[k - 1].probability) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].probability < probability) at--;
    top.splice(at, 0, { id, probability });
    if (top.length > k) top.pop();
  }
  return top;
}

function recordStep(output: StepOutput<unknown>, id: number, settings: DecodeSettings, excluded: ReadonlySet<number>): DecodedStep {
  const step: DecodedStep = { id, probability: output.probabilities[id], top: topTokens(output.probabilities, settings.alternatives ?? 0, excluded) };
  if (output.attention) step.attention = Array.from(output.attention);
  return step;
}

function extend<S>(hypothesis: Hypothesis<S>, output: StepOutput<S>, step: DecodedStep): Hypothesis<S> {
  return {
    source: hypothesis.source,
    state: output.state,
    token: step.id,
    ids: [...hypothesis.ids, step.id],
    steps: [...hypothesis.steps, step],
    logProbability: hypothesis.logProbability + Math.log(step.probability),
  };
}

function decoded<S>(hypothesis: Hypothesis<S>, finished: boolean, lengthPenalty = 0): Decoded {
  const ids = finished ? hypothesis.ids.slice(0, -1) : hypothesis.ids;
  const length = Math.max(1, hypothesis.steps.length);
  return { ids, steps: hypothesis.steps, logProbability: hypothesis.logProbability, score: hypothesis.logProbability / length ** lengthPenalty, finished };
}

function initial<S>(states: readonly S[], settings: DecodeSettings): Hypothesis<S>[] {
  return states.map((state, source) => ({ source, state, token: settings.startToken, ids: [], steps: [], logProbability: 0 }));
}

/**
 * Token by token, one chooser per position, for every source at once: the shared loop of greedy
 * decoding and sampling. Returns one output per source.
 */
function decodeEach<S>(states: readonly S[], step: StepFunction<S>, settings: DecodeSettings, choose: (probabilities: ArrayLike<number>, source: number) => number): Decoded[] {
  checkSettings(settings);
  const excluded = excludedIds(settings);
  const results: Decoded[] = new Array(states.length);
  let alive = initial(states, settings);
  for (let position = 0; position < settings.maxLength && alive.length > 0; position++) {
    const outputs = step(alive.map(({ state, token }) => ({ state, token })));
    const next: Hypothesis<S>[] = [];
    alive.forEach((hypothesis, i) => {
      const output = outputs[i];
      const extended = extend(hypothesis, output, recordStep(output, choose(output.probabilities, hypothesis.source), settings, excluded));
      if (extended.token === settings.endToken) results[hypothesis.source] = decoded(extended, true);
      else next.push(extended);
    });
    alive = next;
  }
  for (const hypothesis of alive) results[hypothesis.source] = decoded(hypothesis, false);
  return results;
}

/**
 * The most probable token at every position, for each initial decoder state (one per source).
 * @throws DecodeSettingsError for a maximum length below 1 or a vocabulary that is all excluded.
 */
export function greedyDecode<S>(states: readonly S[], step: StepFunction<S>, settings: DecodeSettings): Decoded[] {
  const excluded = excludedIds(settings);
  return decodeEach(states, step, settings, (probabilities) => argmax(probabilities, excluded));
}

/**
 * One output per source drawn token by token from the distribution reweighted by the temperature
 * (p^(1/T), renormalised); each source draws from its own stream of `seed`, so an output does not
 * depend on the other sources decoded with it.
 * @throws DecodeSettingsError for a temperature that is not > 0, as greedyDecode does otherwise.
 */
export function sampleDecode<S>(states: readonly S[], step: StepFunction<S>, settings: SampleSettings): Decoded[] {
  if (!(settings.temperature > 0) || !Number.isFinite(settings.temperature)) throw new DecodeSettingsError(`The sampling temperature must be above 0 (got ${settings.temperature}); greedy decoding is temperature 0.`);
  const excluded = excludedIds(settings);
  const streams = states.map((_, source) => seededRandom(deriveSeed(settings.seed, 'sample', source)));
  return decodeEach(states, step, settings, (probabilities, source) => sampleToken(rankTokens(probabilities, excluded), { temperature: settings.temperature, topK: 0 }, streams[source]));
}

/**
 * Beam search (see the module comment) for each initial decoder state; per source, its finished
 * hypotheses best first (at most `beamWidth`), then the ones cut at `maxLength`.
 * @throws DecodeSettingsError for a beam width below 1 or a length penalty outside 0..2.
 */
export function beamSearch<S>(states: readonly S[], step: StepFunction<S>, settings: BeamSettings): Decoded[][] {
  checkSettings(settings);
  const { beamWidth, lengthPenalty } = settings;
  if (!Number.isInteger(beamWidth) || beamWidth < 1) throw new DecodeSettingsError(`The beam width must be a whole number, at least 1 (got ${beamWidth}).`);
  if (!(lengthPenalty >= 0 && lengthPenalty <= 2)) throw new DecodeSettingsError(`The length penalty α must be from 0 to 2 (got ${lengthPenalty}).`);
  const excluded = excludedIds(settings);
  const finished: Decoded[][] = states.map(() => []);
  const width = states.map(() => beamWidth);
  let alive = initial(states, settings);
  for (let position = 0; position < settings.maxLength && alive.length > 0; position++) {
    const outputs = step(alive.map(({ state, token }) => ({ state, token })));
    // Every continuation of every alive hypothesis, grouped by source; each beam keeps its best `width`.
    const candidates: { hypothesis: Hypothesis<S>; output: StepOutput<S>; choice: TokenChoice; logProbability: number }[][] = states.map(() => []);
    alive.forEach((hypothesis, i) => {
      for (const choice of topTokens(outputs[i].probabilities, width[hypothesis.source], excluded)) {
        if (choice.probability > 0) candidates[hypothesis.source].push({ hypothesis, output: outputs[i], choice, logProbability: hypothesis.logProbability + Math.log(choice.probability) });
      }
    });
    const next: Hypothesis<S>[] = [];
    candidates.forEach((list, source) => {
      list.sort((a, b) => b.logProbability - a.logProbability || a.choice.id - b.choice.id);
      for (const { hypothesis, output, choice } of list.slice(0, width[source])) {
        const extended = extend(hypothesis, output, recordStep(output, choice.id, settings, excluded));
        if (choice.id === settings.endToken) {
          finished[source].push(decoded(extended, true, lengthPenalty));
          width[source]--;
        } else {
          next.push(extended);
        }
      }
    });
    alive = next;
  }
  const cut = states.map((): Decoded[] => []);
  for (const hypothesis of alive) cut[hypothesis.source].push(decoded(hypothesis, false, lengthPenalty));
  const byScore = (a: Decoded, b: Decoded) => b.score - a.score;
  return finished.map((list, source) => [...list.sort(byScore), ...cut[source].sort(byScore)]);
}

/**
 * Decodes by `method` and returns each source's candidates best first (greedy and sampling: one).
 * @throws DecodeSettingsError as the method's function does.
 */
export function decode<S>(states: readonly S[], step: StepFunction<S>, settings: DecodeSettings, method: DecodeMethod): Decoded[][] {
  switch (method.method) {
    case 'greedy':
      return greedyDecode(states, step, settings).map((output) => [output]);
    case 'sample':
      return sampleDecode(states, step, { ...settings, ...method }).map((output) => [output]);
    case 'beam':
      return beamSearch(states, step, { ...settings, ...method });
  }
}

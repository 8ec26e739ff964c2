/**
 * What a model must beat, computed once from the training data before training (no TensorFlow.js
 * here): each baseline is a rule fitted on the training split (class frequencies, token counts,
 * the training mean, or no fitting at all for the naive forecasts) and measured on the training
 * split and on the validation split, so it compares with `loss` and with `val_loss` alike.
 *
 * - classification: always predicting the majority class (accuracy), and predicting the class
 *   frequencies (cross-entropy, nats per example);
 * - next-token: uniform, unigram and bigram models of the training text (cross-entropy, nats per
 *   token); on the training text the exact entropies, on the validation text add-one (unigram)
 *   and interpolated (bigram) estimates, since it holds pairs the training text lacks;
 * - forecast: the naive forecast (repeat the last value) and, with a season, the seasonal-naive
 *   one (repeat the value one season earlier); regression: predicting the training mean. MAE and
 *   RMSE in the data's units, and the loss in the units the model trains on.
 */
import type { PreparedData, Split } from '../data/types';
import type { LossName, MetricName, ModelSpec } from '../language/types';
import type { Baseline } from '../protocol';
import { detectSeason } from './seasonality';

/** Keras's clipping of probabilities: a class never seen in training costs -ln(1e-7), not infinity. */
const EPSILON = 1e-7;

export interface BaselineReport {
  baselines: Baseline[];
  /** Why an expected baseline is missing (e.g. a season longer than the lookback). */
  notes: string[];
}

export function computeBaselines(spec: ModelSpec, data: PreparedData): BaselineReport {
  switch (spec.data.task) {
    case 'binary':
    case 'multiclass':
      return { baselines: classBaselines(data, spec.data.task === 'binary' ? 2 : (data.classes ?? 0)), notes: [] };
    case 'next-token':
      return { baselines: tokenBaselines(data), notes: [] };
    case 'regression':
      return { baselines: valueBaselines([meanRule(data.train)], spec, data), notes: [] };
    case 'forecast':
      return forecastBaselines(spec, data);
  }
}

/** Each split that has examples, with the metric prefix its figures compare to. */
function splits(data: PreparedData): { split: Split; prefix: '' | 'val_'; where: string }[] {
  return [
    { split: data.train, prefix: '' as const, where: 'training split' },
    { split: data.validation, prefix: 'val_' as const, where: 'validation split' },
  ].filter(({ split }) => split.count > 0);
}

// ---------------------------------------------------------------- classification

function classBaselines(data: PreparedData, classes: number): Baseline[] {
  const counts = new Float64Array(classes);
  for (const id of data.train.y) counts[id]++;
  const frequencies = Array.from(counts, (count) => count / data.train.count);
  const majority = frequencies.indexOf(Math.max(...frequencies));
  const majorityName = data.classNames?.[majority] ?? String(majority);
  return splits(data).flatMap(({ split, prefix, where }) => {
    let hits = 0;
    let nats = 0;
    for (const id of split.y) {
      if (id === majority) hits++;
      nats -= Math.log(Math.max(frequencies[id] ?? 0, EPSILON));
    }
    return [
      {
        name: 'majority class',
        metric: `${prefix}accuracy`,
        value: hits / split.count,
        unit: 'fraction',
        description: `Always predicting the most frequent training class ("${majorityName}"), on the ${where}.`,
      },
      {
        name: 'class frequencies',
        metric: `${prefix}loss`,
        value: nats / split.count,
        unit: 'nats per example',
        description: `Cross-entropy of predicting the training class frequencies for every example, on the ${where}.`,
      },
    ];
  });
}

// ---------------------------------------------------------------- next-token

/** Targets and the token before each (`x[t]` precedes `y[t]` in a next-token chunk). */
function tokenPairs(split: Split): { previous: Int32Array | Float32Array; next: Int32Array | Float32Array } {
  return { previous: split.x, next: split.y };
}

/** Vocabularies up to this size count token pairs in a dense `[V * V]` table (16 MB), larger ones in a map. */
const DENSE_PAIR_VOCABULARY = 2048;

/**
 * Token and pair counts of the training text, in typed arrays indexed by id (a corpus of 100 M+
 * tokens is counted in about a second; maps of maps took 20 s+ before the first batch).
 */
function countTokens(train: { previous: ArrayLike<number>; next: ArrayLike<number> }, vocabulary: number) {
  const unigram = new Float64Array(vocabulary);
  const contexts = new Float64Array(vocabulary);
  const dense = vocabulary <= DENSE_PAIR_VOCABULARY ? new Uint32Array(vocabulary * vocabulary) : undefined;
  const sparse = new PairCounts();
  for (let i = 0; i < train.next.length; i++) {
    const previous = train.previous[i]!;
    const next = train.next[i]!;
    unigram[next]++;
    contexts[previous]++;
    const pair = previous * vocabulary + next;
    if (dense) dense[pair]++;
    else sparse.increment(pair);
  }
  const pairs = (previous: number, next: number) => (dense ? dense[previous * vocabulary + next]! : sparse.get(previous * vocabulary + next));
  /** Calls `visit` with every pair seen (previous id, count), once per distinct pair. */
  const forEachPair = (visit: (previous: number, count: number) => void) => {
    if (dense) dense.forEach((count, pair) => count > 0 && visit(Math.floor(pair / vocabulary), count));
    else sparse.forEach((pair, count) => visit(Math.floor(pair / vocabulary), count));
  };
  return { unigram, contexts, pairs, forEachPair, distinct: unigram.reduce((sum, count) => sum + (count > 0 ? 1 : 0), 0) };
}

/**
 * Counts by non-negative integer key (a token pair `previous * V + next`) in an open-addressing
 * table of typed arrays: tens of millions of increments in seconds, where a Map took 25 s.
 */
class PairCounts {
  private keys = new Float64Array(1 << 16).fill(-1);
  private counts = new Uint32Array(1 << 16);
  private size = 0;

  increment(key: number): void {
    const slot = this.slotOf(key);
    if (this.keys[slot] === -1) {
      this.keys[slot] = key;
      if (++this.size * 2 > this.keys.length) this.grow();
      this.counts[this.slotOf(key)]!++;
      return;
    }
    this.counts[slot]!++;
  }

  get(key: number): number {
    const slot = this.slotOf(key);
    return this.keys[slot] === key ? this.counts[slot]! : 0;
  }

  forEach(visit: (key: number, count: number) => void): void {
    for (let slot = 0; slot < this.keys.length; slot++) if (this.keys[slot]! !== -1) visit(this.keys[slot]!, this.counts[slot]!);
  }

  /** The slot holding `key`, or the empty slot where it belongs (linear probing). */
  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let slot = (Math.imul(key | 0, 0x9e3779b1) ^ Math.imul(Math.floor(key / 2 ** 32), 0x85ebca6b)) & mask;
    while (this.keys[slot] !== -1 && this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { keys, counts } = this;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.counts = new Uint32Array(keys.length * 2);
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] === -1) continue;
      const target = this.slotOf(keys[slot]!);
      this.keys[target] = keys[slot]!;
      this.counts[target] = counts[slot]!;
    }
  }
}

/** One more than the largest id in the splits: the size of tables indexed by id. */
function idRange(splits: readonly Split[]): number {
  let largest = 0;
  for (const split of splits) for (const array of [split.x, split.y]) for (let i = 0; i < array.length; i++) if (array[i]! > largest) largest = array[i]!;
  return largest + 1;
}

function tokenBaselines(data: PreparedData): Baseline[] {
  const train = tokenPairs(data.train);
  const { unigram, contexts, pairs, forEachPair, distinct } = countTokens(train, idRange([data.train, data.validation]));
  const total = train.next.length;
  const unit = 'nats per token';
  const baselines: Baseline[] = [];
  for (const { split, prefix } of splits(data)) {
    const text = prefix === '' ? 'training text' : 'validation text';
    const { previous, next } = tokenPairs(split);
    baselines.push({
      name: 'uniform',
      metric: `${prefix}loss`,
      value: Math.log(distinct),
      unit,
      description: `A uniform guess over the ${distinct} distinct tokens of the training text, on the ${text}.`,
    });
    if (prefix === '') {
      // On its own text a maximum-likelihood model's cross-entropy is the text's entropy, summed
      // over distinct tokens and pairs (count * -ln p) rather than token by token.
      let unigramNats = 0;
      let bigramNats = 0;
      unigram.forEach((count) => count > 0 && (unigramNats -= count * Math.log(count / total)));
      forEachPair((before, count) => (bigramNats -= count * Math.log(count / contexts[before]!)));
      baselines.push(
        { name: 'unigram', metric: 'loss', value: unigramNats / next.length, unit, description: `Token frequencies of the training text, on the ${text} (its unigram entropy).` },
        { name: 'bigram', metric: 'loss', value: bigramNats / next.length, unit, description: `Next-token frequencies after each token of the training text, on the ${text} (its bigram conditional entropy).` },
      );
      continue;
    }
    // Unseen tokens and pairs: add-one unigram over the training tokens plus one "other" token, and
    // a bigram interpolated with it (a Dirichlet prior of weight 1 on the unigram).
    const smoothedUnigram = (token: number): number => (unigram[token]! + 1) / (total + distinct + 1);
    let unigramNats = 0;
    let bigramNats = 0;
    for (let i = 0; i < next.length; i++) {
      const prior = smoothedUnigram(next[i]!);
      unigramNats -= Math.log(prior);
      bigramNats -= Math.log((pairs(previous[i]!, next[i]!) + prior) / (contexts[previous[i]!]! + 1));
    }
    baselines.push(
      { name: 'unigram', metric: 'val_loss', value: unigramNats / next.length, unit, description: `Token frequencies of the training text (add-one smoothed), on the ${text}.` },
      { name: 'bigram', metric: 'val_loss', value: bigramNats / next.length, unit, description: `Next-token frequencies of the training text (interpolated with the unigram), on the ${text}.` },
    );
  }
  return baselines;
}

// ---------------------------------------------------------------- forecast and regression

/**
 * The forecast column's value at `step` (0-based, within the lookback) of example `row`: windows
 * `[count, lookback, features]` hold the forecast column first.
 */
function windowValue(split: Split, row: number, step: number): number {
  const [, lookback, features] = split.xShape;
  return split.x[(row * lookback + step) * (features ?? 1)];
}

/** A prediction rule on one example: `[horizon]` normalised values from its row of `x`. */
export interface ValueRule {
  name: string;
  description: string;
  predict(split: Split, row: number): ArrayLike<number>;
}

function meanRule(train: Split): ValueRule {
  let sum = 0;
  for (const value of train.y) sum += value;
  const mean = sum / train.y.length;
  const perExample = train.y.length / train.count;
  const prediction = new Float32Array(perExample).fill(mean);
  return { name: 'training mean', description: 'Always predicting the mean training target', predict: () => prediction };
}

function lastValueRule(horizon: number): ValueRule {
  return {
    name: 'naive last value',
    description: 'Repeating the last value of each window',
    predict: (split, row) => new Float32Array(horizon).fill(windowValue(split, row, split.xShape[1] - 1)),
  };
}

/** Step j ahead (1-based) repeats the value k·season steps before it, the nearest inside the window. */
function seasonalRule(horizon: number, season: number): ValueRule {
  return {
    name: `seasonal naive (${season})`,
    description: `Repeating the value one season (${season} steps) before each predicted step`,
    predict: (split, row) => {
      const lookback = split.xShape[1];
      const prediction = new Float32Array(horizon);
      for (let j = 1; j <= horizon; j++) {
        const back = Math.ceil(j / season) * season; // steps from the predicted step back to its source
        prediction[j - 1] = windowValue(split, row, lookback - 1 + j - back);
      }
      return prediction;
    },
  };
}

function forecastBaselines(spec: ModelSpec, data: PreparedData): BaselineReport {
  const { rules, notes } = naiveForecasts(spec, data);
  return { baselines: valueBaselines(rules, spec, data), notes };
}

/**
 * The naive forecasts of a forecast run: repeat the last value, and with a season (written or
 * detected) the seasonal-naive one. The forecast view draws them with the figures below.
 */
export function naiveForecasts(spec: ModelSpec, data: PreparedData): { rules: ValueRule[]; notes: string[] } {
  const { lookback, horizon, season: written } = spec.data.window;
  const rules = [lastValueRule(horizon)];
  const notes: string[] = [];
  const season = written ?? detectSeason(trainingSeries(data.train), lookback);
  if (season !== undefined && season <= lookback) rules.push(seasonalRule(horizon, season));
  else if (season !== undefined) notes.push(`No seasonal-naive baseline: the season (${season} steps) is longer than the lookback (${lookback}); raise \`data.window.lookback\` to at least ${season}.`);
  return { rules, notes };
}

/** The forecast column back from its consecutive windows: the first window, then each window's last value. */
function trainingSeries(split: Split): Float32Array {
  const lookback = split.xShape[1];
  if (split.count === 0) return new Float32Array(0);
  const series = new Float32Array(lookback + split.count - 1);
  for (let step = 0; step < lookback; step++) series[step] = windowValue(split, 0, step);
  for (let row = 1; row < split.count; row++) series[lookback + row - 1] = windowValue(split, row, lookback - 1);
  return series;
}

/**
 * MAE and RMSE in the data's units (`data_mae`, `data_rmse`) of each rule on each split, and the
 * figure matching the training loss and any `mae`/`mse` metric, in the units the model sees.
 */
function valueBaselines(rules: ValueRule[], spec: ModelSpec, data: PreparedData): Baseline[] {
  const target = data.preprocessing.normalization?.target;
  const scale = target?.scale ?? 1;
  const trainedUnits = target ? 'normalised units' : 'data units';
  const lossMatches: Partial<Record<LossName | MetricName, 'mae' | 'mse'>> = { mae: 'mae', mse: 'mse' };
  return rules.flatMap((rule) =>
    splits(data).flatMap(({ split, prefix, where }) => {
      const { mae, mse } = errors(rule, split);
      const describe = (what: string) => `${rule.description}, on the ${where}: ${what}.`;
      const figures: Baseline[] = [
        { name: rule.name, metric: `${prefix}data_mae`, value: mae * scale, unit: 'data units', description: describe('mean absolute error in the data\'s units') },
        { name: rule.name, metric: `${prefix}data_rmse`, value: Math.sqrt(mse) * scale, unit: 'data units', description: describe('root mean squared error in the data\'s units') },
      ];
      const named: [string, 'mae' | 'mse' | undefined][] = [['loss', lossMatches[spec.train.loss]], ...spec.train.metrics.map((metric): [string, 'mae' | 'mse' | undefined] => [metric, lossMatches[metric]])];
      for (const [metric, kind] of named) {
        if (!kind) continue;
        figures.push({ name: rule.name, metric: `${prefix}${metric}`, value: kind === 'mae' ? mae : mse, unit: trainedUnits, description: describe(`${kind} in the ${trainedUnits} the model is trained on`) });
      }
      return figures;
    }),
  );
}

/** Mean absolute and squared error of a rule over a split, in the split's (normalised) units. */
function errors(rule: ValueRule, split: Split): { mae: number; mse: number } {
  const perExample = split.y.length / split.count;
  let absolute = 0;
  let squared = 0;
  for (let row = 0; row < split.count; row++) {
    const prediction = rule.predict(split, row);
    for (let j = 0; j < perExample; j++) {
      const error = prediction[j] - split.y[row * perExample + j];
      absolute += Math.abs(error);
      squared += error * error;
    }
  }
  return { mae: absolute / split.y.length, mse: squared / split.y.length };
}

/** Baselines on small data whose answers are known in closed form, through the real pipelines. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareCorpus } from '../../src/data/corpusPipeline';
import { assemblePreparedData, type PipelineResult } from '../../src/data/prepared';
import { seededRandom } from '../../src/data/random';
import { prepareSeries } from '../../src/data/seriesPipeline';
import { prepareTextExamples } from '../../src/data/textPipeline';
import type { ModelSpec, WindowSpec } from '../../src/language/types';
import type { Baseline } from '../../src/protocol';
import { computeBaselines } from '../../src/training/baselines';
import { detectSeason } from '../../src/training/seasonality';
import { specWith } from '../fixtures/data/specs';

const unlimited = { train: Infinity, validation: Infinity };
const series = (values: number[]) => ({ file: 'series.csv', values: Float64Array.from(values), features: 1, lines: values.map((_, i) => i + 2) });
const close = (actual: number | undefined, expected: number, tolerance = 1e-6): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);

function find(baselines: readonly Baseline[], name: string, metric: string): number | undefined {
  return baselines.find((baseline) => baseline.name === name && baseline.metric === metric)?.value;
}

function forecast(values: number[], window: WindowSpec): { spec: ModelSpec; baselines: Baseline[]; notes: string[] } {
  const spec = specWith({ source: 'series.csv', task: 'forecast', window, validation: { split: 0.25 } });
  spec.train.loss = 'mse';
  spec.train.metrics = ['mae'];
  const data = assemblePreparedData(prepareSeries(series(values), undefined, 0.25, spec.data, unlimited), spec.data, 0);
  return { spec, ...computeBaselines(spec, data) };
}

describe('forecast baselines, in the data units', () => {
  it('a constant series: every naive forecast is exact', () => {
    const { baselines, notes } = forecast(Array(60).fill(7), { lookback: 5, horizon: 1, normalize: 'zscore' });
    for (const metric of ['data_mae', 'data_rmse', 'val_data_mae', 'val_data_rmse', 'loss', 'val_loss', 'mae']) close(find(baselines, 'naive last value', metric), 0);
    assert.ok(!baselines.some((baseline) => baseline.name.startsWith('seasonal')), 'a constant series has no season');
    assert.deepEqual(notes, []);
  });

  it('a straight line rising 10 per step: last value misses by 10 and 20 at horizons 1 and 2; a season of 3 by 30', () => {
    const { baselines } = forecast(Array.from({ length: 80 }, (_, t) => 10 * t), { lookback: 4, horizon: 2, normalize: 'zscore', season: 3 });
    close(find(baselines, 'naive last value', 'val_data_mae'), 15, 1e-3);
    close(find(baselines, 'naive last value', 'val_data_rmse'), Math.sqrt((100 + 400) / 2), 1e-3);
    close(find(baselines, 'seasonal naive (3)', 'val_data_mae'), 30, 1e-3);
    close(find(baselines, 'seasonal naive (3)', 'data_rmse'), 30, 1e-3);
    // The loss figure is in the normalised units the model trains on: data units over the scale.
    const line = Array.from({ length: 60 }, (_, t) => 10 * t); // the training part (75% of 80)
    const mean = line.reduce((a, b) => a + b) / line.length;
    const std = Math.sqrt(line.reduce((sum, v) => sum + (v - mean) ** 2, 0) / line.length);
    close(find(baselines, 'naive last value', 'val_loss'), (100 + 400) / 2 / std ** 2, 1e-5);
    const loss = baselines.find((b) => b.name === 'naive last value' && b.metric === 'val_loss');
    assert.equal(loss?.unit, 'normalised units');
    assert.equal(baselines.find((b) => b.metric === 'val_data_mae')?.unit, 'data units');
  });

  it('windows over several columns forecast the first one: the other columns never enter a naive forecast', () => {
    const spec = specWith({ source: 'table.csv', task: 'forecast', window: { lookback: 4, horizon: 1, normalize: 'zscore', season: 2 }, validation: { split: 0.25 } });
    // Column 1 is the forecast one, 10 per step; column 2 is noise the model may use as input.
    const rows = Array.from({ length: 40 }, (_, t) => [10 * t, ((t * 7919) % 13) - 6]).flat();
    const table = { file: 'table.csv', values: Float64Array.from(rows), features: 2, columns: ['y', 'noise'], lines: Array.from({ length: 40 }, (_, i) => i + 2) };
    const data = assemblePreparedData(prepareSeries(table, undefined, 0.25, spec.data, unlimited), spec.data, 0);
    assert.deepEqual(data.train.xShape.slice(1), [4, 2]);
    const { baselines } = computeBaselines(spec, data);
    close(find(baselines, 'naive last value', 'val_data_mae'), 10);
    close(find(baselines, 'seasonal naive (2)', 'val_data_mae'), 20);
  });

  it('detects a 12-step season and repeats it exactly; says when the lookback is too short for it', () => {
    const seasonal = Array.from({ length: 120 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + 5 * Math.cos((2 * Math.PI * t) / 4));
    const { baselines } = forecast(seasonal, { lookback: 12, horizon: 1, normalize: 'minmax' });
    close(find(baselines, 'seasonal naive (12)', 'val_data_mae'), 0, 1e-3);
    assert.ok(find(baselines, 'naive last value', 'val_data_mae')! > 5);
    const short = forecast(seasonal, { lookback: 6, horizon: 1, normalize: 'minmax', season: 12 });
    assert.ok(!short.baselines.some((baseline) => baseline.name.startsWith('seasonal')));
    assert.match(short.notes.join(' '), /season \(12 steps\) is longer than the lookback \(6\).*lookback/);
  });

  it('detectSeason takes a peak of the autocorrelation, not the high values a smooth series has at every short lag', () => {
    const smooth = Array.from({ length: 300 }, (_, t) => Math.sin((2 * Math.PI * t) / 25));
    assert.equal(detectSeason(smooth, 8), undefined, 'a period of 25 seen through 8 lags has no season');
    assert.equal(detectSeason(smooth, 40), 25);
    const monthly = Array.from({ length: 144 }, (_, t) => 100 + 2 * t + 30 * Math.sin((2 * Math.PI * t) / 12) + 8 * Math.cos((2 * Math.PI * t) / 4));
    assert.equal(detectSeason(monthly, 24), 12);
  });

  it('detectSeason finds nothing in noise-free trends or white noise', () => {
    assert.equal(detectSeason(Array.from({ length: 100 }, (_, t) => 3 * t), 24), undefined);
    let state = 1;
    const noise = Array.from({ length: 200 }, () => ((state = (state * 48271) % 2147483647) / 2147483647));
    assert.equal(detectSeason(noise, 24), undefined);
  });
});

describe('regression baseline', () => {
  it('predicting the training mean: targets 1, 2, 3, 4 give MAE 1 and RMSE sqrt(1.25)', () => {
    const spec = specWith({ source: 'values.csv', task: 'regression' });
    spec.train.loss = 'mae';
    const examples = (labels: string[]) => ({ file: 'values.csv', examples: labels.map((label, i) => ({ text: `w${i}`, label, line: i + 2 })) });
    const result = prepareTextExamples(examples(['1', '2', '3', '4']), examples(['2.5', '4.5']), spec.data);
    const { baselines } = computeBaselines(spec, assemblePreparedData(result, spec.data, 0));
    close(find(baselines, 'training mean', 'data_mae'), 1);
    close(find(baselines, 'training mean', 'data_rmse'), Math.sqrt(1.25));
    close(find(baselines, 'training mean', 'loss'), 1); // the loss is mae, on unscaled targets
    close(find(baselines, 'training mean', 'val_data_mae'), 1);
  });
});

describe('classification baselines', () => {
  const labelled = (counts: Record<string, number>) => ({
    file: 'labels.tsv',
    examples: Object.entries(counts).flatMap(([label, count]) => Array.from({ length: count }, (_, i) => ({ text: `text ${i}`, label, line: i + 1 }))),
  });

  it('a 70/30 label file: majority accuracy 0.7 and the class-frequency cross-entropy', () => {
    const spec = specWith({ source: 'labels.tsv', task: 'binary' });
    const result = prepareTextExamples(labelled({ ham: 70, spam: 30 }), labelled({ ham: 8, spam: 2 }), spec.data);
    const { baselines } = computeBaselines(spec, assemblePreparedData(result, spec.data, 0));
    close(find(baselines, 'majority class', 'accuracy'), 0.7);
    close(find(baselines, 'class frequencies', 'loss'), -(0.7 * Math.log(0.7) + 0.3 * Math.log(0.3)));
    // On the validation split (8/2) with the training rule: the same class, the same frequencies.
    close(find(baselines, 'majority class', 'val_accuracy'), 0.8);
    close(find(baselines, 'class frequencies', 'val_loss'), -(0.8 * Math.log(0.7) + 0.2 * Math.log(0.3)));
    assert.match(baselines.find((b) => b.metric === 'val_accuracy')!.description, /"ham".*validation split/);
  });

  it('multiclass: a class absent from training costs -ln(1e-7), as a clipped prediction would', () => {
    const spec = specWith({ source: 'labels.tsv', task: 'multiclass', num_classes: 3 });
    const result = prepareTextExamples(labelled({ 0: 2, 1: 2 }), labelled({ 2: 1 }), spec.data);
    const { baselines } = computeBaselines(spec, assemblePreparedData(result, spec.data, 0));
    close(find(baselines, 'class frequencies', 'val_loss'), -Math.log(1e-7));
    close(find(baselines, 'majority class', 'val_accuracy'), 0);
  });
});

describe('next-token baselines, in nats per token', () => {
  it('"aaab" repeated: uniform ln 2, unigram entropy H(3/4, 1/4), bigram 3/4 H(2/3, 1/3)', async () => {
    const spec = specWith({ source: 'text.txt', task: 'next-token', max_len: 4, tokenizer: { level: 'char', vocab_size: 100, lowercase: false, strip_html: false, oov_token: '<OOV>' } });
    const text = 'aaab'.repeat(1000);
    const result: PipelineResult = await prepareCorpus({ file: 'text.txt', text }, undefined, 0.2, spec.data, unlimited);
    const { baselines } = computeBaselines(spec, assemblePreparedData(result, spec.data, 0));
    const entropy = (...p: number[]) => -p.reduce((sum, q) => sum + q * Math.log(q), 0);
    close(find(baselines, 'uniform', 'loss'), Math.log(2));
    close(find(baselines, 'unigram', 'loss'), entropy(0.75, 0.25));
    close(find(baselines, 'bigram', 'loss'), 0.75 * entropy(2 / 3, 1 / 3));
    // The validation text has the same statistics; the smoothed estimates stay within 0.01 nats.
    close(find(baselines, 'unigram', 'val_loss'), entropy(0.75, 0.25), 0.01);
    close(find(baselines, 'bigram', 'val_loss'), 0.75 * entropy(2 / 3, 1 / 3), 0.01);
    assert.ok(baselines.every((baseline) => baseline.unit === 'nats per token'));
    assert.match(baselines.find((b) => b.name === 'bigram' && b.metric === 'val_loss')!.description, /training text.*validation text/);
  });

  it('a vocabulary of thousands of words (pairs counted sparsely): the exact unigram and bigram entropies', async () => {
    const spec = specWith({ source: 'text.txt', task: 'next-token', max_len: 5, tokenizer: { level: 'word', vocab_size: 100_000, lowercase: true, strip_html: false, oov_token: '<OOV>' } });
    const random = seededRandom(3);
    const words = Array.from({ length: 40_000 }, () => `w${Math.floor(random() ** 2 * 3000)}`); // about 3,000 distinct words, skewed
    const result = await prepareCorpus({ file: 'text.txt', text: words.join(' ') }, undefined, 0.2, spec.data, unlimited);
    const { baselines } = computeBaselines(spec, assemblePreparedData(result, spec.data, 0));
    // The reference: plain counting over the training pairs (x[i] -> y[i]).
    const { x, y } = result.train;
    const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    const unigram = new Map<number, number>();
    const contexts = new Map<number, number>();
    const bigram = new Map<string, number>();
    for (let i = 0; i < y.length; i++) {
      count(unigram, y[i]!);
      count(contexts, x[i]!);
      count(bigram, `${x[i]} ${y[i]}`);
    }
    let unigramNats = 0;
    let bigramNats = 0;
    for (let i = 0; i < y.length; i++) {
      unigramNats -= Math.log(unigram.get(y[i]!)! / y.length);
      bigramNats -= Math.log(bigram.get(`${x[i]} ${y[i]}`)! / contexts.get(x[i]!)!);
    }
    assert.ok(result.vocabulary!.tokens.length > 2048, 'more words than the dense table takes');
    assert.ok(bigramNats / y.length > 1, 'pairs vary: a wrong pair count would show');
    close(find(baselines, 'uniform', 'loss'), Math.log(unigram.size));
    close(find(baselines, 'unigram', 'loss'), unigramNats / y.length);
    close(find(baselines, 'bigram', 'loss'), bigramNats / y.length);
    // On the validation text: pairs looked up one by one (add-one unigram prior, weight 1).
    const validation = result.validation;
    let validationNats = 0;
    for (let i = 0; i < validation.y.length; i++) {
      const prior = ((unigram.get(validation.y[i]!) ?? 0) + 1) / (y.length + unigram.size + 1);
      validationNats -= Math.log(((bigram.get(`${validation.x[i]} ${validation.y[i]}`) ?? 0) + prior) / ((contexts.get(validation.x[i]!) ?? 0) + 1));
    }
    close(find(baselines, 'bigram', 'val_loss'), validationNats / validation.y.length);
  });

  it('a validation text with a pair the training text lacks stays finite', async () => {
    const spec = specWith({ source: 'text.txt', task: 'next-token', max_len: 3, tokenizer: { level: 'char', vocab_size: 100, lowercase: false, strip_html: false, oov_token: '<OOV>' } });
    const result = await prepareCorpus({ file: 'a.txt', text: 'abababababab' }, { file: 'b.txt', text: 'aabbaabbccc' }, 0, spec.data, unlimited);
    const { baselines } = computeBaselines(spec, assemblePreparedData(result, spec.data, 0));
    assert.ok(baselines.every((baseline) => Number.isFinite(baseline.value)), JSON.stringify(baselines));
  });
});

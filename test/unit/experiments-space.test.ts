import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatParameterPath, parseParameterPath, ParameterPathError, valueAt } from '../../src/experiments/parameterPath';
import { gridValues, NoGridError, sampleDomain } from '../../src/experiments/searchSpace';
import { parseDuration, repeatSeed, resolveSweep, type SweepSpec } from '../../src/experiments/sweepSpec';
import { configurationAt, configurationCount, gridConfigurations, randomConfiguration } from '../../src/experiments/trialPlan';
import { seededRandom } from '../../src/data/random';

const INTEGER_FIELDS = new Set(['units', 'epochs', 'batch_size']);
const fieldType = (path: (string | number)[]) => (INTEGER_FIELDS.has(String(path[path.length - 1])) ? 'integer' : 'number');

function sweep(raw: unknown, seed = 42): SweepSpec {
  return resolveSweep(raw, seed, fieldType);
}

test('spec paths parse, print back and address parsed YAML', () => {
  assert.deepEqual(parseParameterPath('model[1].units'), ['model', 1, 'units']);
  assert.deepEqual(parseParameterPath('model[0].layer.units'), ['model', 0, 'layer', 'units']);
  assert.equal(formatParameterPath(['model', 1, 'units']), 'model[1].units');
  assert.equal(formatParameterPath(['train', 'learning_rate']), 'train.learning_rate');
  for (const bad of ['', 'model[x].units', 'model..units', 'train.learning-rate', '[0].units']) assert.throws(() => parseParameterPath(bad), ParameterPathError, bad);
  const data = { model: [{ type: 'gru', units: 8 }, { type: 'dense' }], train: { learning_rate: 0.01 } };
  assert.equal(valueAt(data, ['model', 0, 'units']), 8);
  assert.equal(valueAt(data, ['model', 5, 'units']), undefined);
  assert.equal(valueAt(data, ['train', 'learning_rate', 'x']), undefined);
});

test('max_time reads seconds and h/m/s durations', () => {
  assert.equal(parseDuration(90), 90);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('30m'), 1800);
  assert.equal(parseDuration('1h30m'), 5400);
  for (const bad of ['soon', '', '-5m', 0, -1]) assert.equal(parseDuration(bad), undefined, String(bad));
});

test('resolveSweep fills the defaults and reads every parameter form', () => {
  const spec = sweep({
    parameters: {
      'model[0].type': ['simple_rnn', 'lstm', 'gru'],
      'model[0].units': { min: 8, max: 32, step: 8 },
      'train.learning_rate': { min: 0.001, max: 0.1, log: true, count: 3 },
      'model[0].dropout': { distribution: 'normal', mean: 0.2, std: 0.05, min: 0, max: 0.5 },
    },
    repeats: 3,
    metric: ['val_accuracy', 'duration'],
  });
  assert.equal(spec.method, 'grid');
  assert.equal(spec.repeats, 3);
  assert.equal(spec.seed, 42);
  assert.deepEqual(spec.objectives, [
    { metric: 'val_accuracy', goal: 'maximize' },
    { metric: 'duration', goal: 'minimize' },
  ]);
  assert.deepEqual(spec.parameters.map((p) => p.domain.kind), ['values', 'range', 'range', 'normal']);
  assert.equal((spec.parameters[1]!.domain as { integer: boolean }).integer, true);
  assert.equal(sweep({}).objectives[0]!.metric, 'val_loss');
  assert.equal(sweep({ metric: 'val_mae', goal: 'maximize' }).objectives[0]!.goal, 'maximize');
});

test('grid values: lists, counts (linear and log), steps, integer rounding', () => {
  const [type, units, rate, dropout] = sweep({
    parameters: {
      'model[0].type': ['lstm', 'gru'],
      'model[0].units': { min: 8, max: 30, step: 8 },
      'train.learning_rate': { min: 0.001, max: 0.1, log: true, count: 3 },
      'model[0].dropout': { min: 0, max: 0.3, step: 0.1 },
    },
  }).parameters;
  assert.deepEqual(gridValues(type!), ['lstm', 'gru']);
  assert.deepEqual(gridValues(units!), [8, 16, 24]);
  assert.deepEqual(gridValues(rate!), [0.001, 0.01, 0.1]);
  assert.deepEqual(gridValues(dropout!), [0, 0.1, 0.2, 0.3]);
  const logUnits = sweep({ parameters: { 'model[0].units': { min: 4, max: 64, log: true, count: 5 } } }).parameters[0]!;
  assert.deepEqual(gridValues(logUnits), [4, 8, 16, 32, 64]);
  const continuous = sweep({ parameters: { 'train.learning_rate': { min: 0.001, max: 0.1 } } }).parameters[0]!;
  assert.throws(() => gridValues(continuous), NoGridError);
});

test('grid expansion: the cartesian product, first parameter slowest, capped by trials', () => {
  const spec = sweep({ parameters: { 'model[0].type': ['simple_rnn', 'lstm', 'gru'], 'model[0].units': [8, 16], 'train.learning_rate': [0.01, 0.001] } });
  const grid = gridConfigurations(spec.parameters);
  assert.equal(grid.length, 12);
  assert.equal(configurationCount(spec), 12);
  assert.deepEqual(grid[0], { 'model[0].type': 'simple_rnn', 'model[0].units': 8, 'train.learning_rate': 0.01 });
  assert.deepEqual(grid[1], { 'model[0].type': 'simple_rnn', 'model[0].units': 8, 'train.learning_rate': 0.001 });
  assert.deepEqual(grid[11], { 'model[0].type': 'gru', 'model[0].units': 16, 'train.learning_rate': 0.001 });
  assert.equal(new Set(grid.map((c) => JSON.stringify(c))).size, 12, 'every configuration once');
  assert.equal(configurationCount({ ...spec, trials: 5 }), 5);
  assert.deepEqual(configurationAt(spec, 4), grid[4]);
  assert.throws(() => configurationAt(spec, 12), RangeError);
});

test('random search: the same seed gives the same trials, another seed others, all within the domain', () => {
  const raw = {
    method: 'random',
    trials: 20,
    parameters: {
      'model[0].type': ['lstm', 'gru'],
      'model[0].units': { min: 8, max: 64, log: true },
      'train.learning_rate': { min: 0.0001, max: 0.1, log: true },
      'model[0].dropout': { min: 0, max: 0.5, step: 0.1 },
    },
  };
  const a = Array.from({ length: 20 }, (_, k) => configurationAt(sweep(raw, 7), k));
  const b = Array.from({ length: 20 }, (_, k) => configurationAt(sweep(raw, 7), k));
  const c = Array.from({ length: 20 }, (_, k) => configurationAt(sweep(raw, 8), k));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // Configuration k does not depend on which others were drawn first.
  assert.deepEqual(randomConfiguration(sweep(raw, 7).parameters, 7, 13), a[13]);
  for (const configuration of a) {
    const units = configuration['model[0].units'] as number;
    const rate = configuration['train.learning_rate'] as number;
    const dropout = configuration['model[0].dropout'] as number;
    assert.ok(Number.isInteger(units) && units >= 8 && units <= 64, `units ${units}`);
    assert.ok(rate >= 0.0001 && rate <= 0.1, `rate ${rate}`);
    assert.ok([0, 0.1, 0.2, 0.3, 0.4, 0.5].includes(dropout), `dropout ${dropout}`);
  }
  // Log-uniform: about half the draws below the geometric middle of [1e-4, 1e-1].
  const rates = Array.from({ length: 400 }, (_, k) => configurationAt(sweep(raw, 1), k)['train.learning_rate'] as number);
  const belowMiddle = rates.filter((r) => r < Math.sqrt(0.0001 * 0.1)).length / rates.length;
  assert.ok(belowMiddle > 0.4 && belowMiddle < 0.6, `log-uniform: ${belowMiddle} below the geometric middle`);
});

test('weighted lists and normal draws sample as written', () => {
  const random = seededRandom(3);
  const draws = Array.from({ length: 2000 }, () => sampleDomain({ kind: 'values', values: ['a', 'b'], weights: [3, 1] }, random));
  const share = draws.filter((d) => d === 'a').length / draws.length;
  assert.ok(Math.abs(share - 0.75) < 0.04, `weights 3:1 gave ${share}`);
  const normal = Array.from({ length: 2000 }, () => sampleDomain({ kind: 'normal', mean: 0.2, std: 0.05, log: false, min: 0, max: 0.25, integer: false }, random) as number);
  assert.ok(normal.every((x) => x >= 0 && x <= 0.25));
  const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
  assert.ok(mean > 0.18 && mean < 0.2, `clipped normal mean ${mean}`);
});

test('repeat seeds: repeat 0 is data.seed itself, later repeats derived and distinct', () => {
  assert.equal(repeatSeed(42, 0), 42);
  const seeds = [0, 1, 2, 3, 4].map((r) => repeatSeed(42, r));
  assert.equal(new Set(seeds).size, 5);
  assert.deepEqual(seeds, [0, 1, 2, 3, 4].map((r) => repeatSeed(42, r)));
  assert.notEqual(repeatSeed(43, 1), repeatSeed(42, 1));
});

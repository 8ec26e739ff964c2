import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveSweep, type SweepSpec } from '../../src/experiments/sweepSpec';
import { configurationAt } from '../../src/experiments/trialPlan';
import { goodCount, observationWeights, type Observation } from '../../src/experiments/tpe';
import type { Configuration } from '../../src/experiments/searchSpace';

const fieldType = (path: (string | number)[]) => (path[path.length - 1] === 'units' ? 'integer' : 'number');

const RAW = {
  method: 'tpe',
  trials: 40,
  tpe: { startup_trials: 8 },
  parameters: {
    'model[0].type': ['simple_rnn', 'lstm', 'gru'],
    'model[0].units': { min: 4, max: 128, log: true },
    'train.learning_rate': { min: 0.0001, max: 0.1, log: true },
  },
};

/** A known landscape: best at gru, 32 units, learning rate 0.01. */
function loss(configuration: Configuration): number {
  const type = configuration['model[0].type'];
  const units = configuration['model[0].units'] as number;
  const rate = configuration['train.learning_rate'] as number;
  return (type === 'gru' ? 0 : type === 'lstm' ? 0.3 : 1) + (Math.log2(units) - 5) ** 2 / 10 + (Math.log10(rate) + 2) ** 2;
}

/** A sequential sweep: configuration k learns from every earlier one. */
function runSweep(spec: SweepSpec, trials: number): Observation[] {
  const observations: Observation[] = [];
  for (let k = 0; k < trials; k++) {
    const configuration = configurationAt(spec, k, observations);
    observations.push({ configuration, loss: loss(configuration) });
  }
  return observations;
}

test("Optuna's split and weights: γ(n) = min(⌈0.1 n⌉, 25), older observations ramped beyond 25", () => {
  assert.deepEqual([1, 9, 10, 11, 100, 300].map(goodCount), [1, 1, 1, 2, 10, 25]);
  assert.deepEqual(observationWeights(3), [1, 1, 1]);
  const w = observationWeights(30);
  assert.equal(w.length, 30);
  assert.ok(Math.abs(w[0]! - 1 / 30) < 1e-12);
  assert.deepEqual(w.slice(5), Array.from({ length: 25 }, () => 1));
  assert.ok(w[1]! > w[0]! && Math.abs(w[4]! - 1) < 1e-12, "numpy.linspace(1/n, 1, n - 25) includes its end");
});

test('TPE: the same spec and results give the same trials; another seed gives others', () => {
  const a = runSweep(resolveSweep(RAW, 42, fieldType), 25);
  const b = runSweep(resolveSweep(RAW, 42, fieldType), 25);
  const c = runSweep(resolveSweep({ ...RAW, seed: 43 }, 42, fieldType), 25);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((o) => o.configuration), c.map((o) => o.configuration));
  // The start-up trials are random search's.
  const random = resolveSweep({ ...RAW, method: 'random' }, 42, fieldType);
  assert.deepEqual(a.slice(0, 8).map((o) => o.configuration), Array.from({ length: 8 }, (_, k) => configurationAt(random, k)));
  for (const { configuration } of a) {
    const units = configuration['model[0].units'] as number;
    assert.ok(Number.isInteger(units) && units >= 4 && units <= 128, `units ${units}`);
    const rate = configuration['train.learning_rate'] as number;
    assert.ok(rate >= 0.0001 && rate <= 0.1, `rate ${rate}`);
  }
});

test('TPE: it learns the landscape — its later trials beat random search on the same budget', () => {
  const seeds = [1, 2, 3, 4, 5];
  let tpeWins = 0;
  for (const seed of seeds) {
    const tpe = runSweep(resolveSweep({ ...RAW, seed }, 0, fieldType), 40);
    const random = runSweep(resolveSweep({ ...RAW, method: 'random', seed }, 0, fieldType), 40);
    const tail = (observations: Observation[]) => observations.slice(20).reduce((sum, o) => sum + o.loss, 0) / 20;
    if (tail(tpe) < tail(random)) tpeWins++;
    const best = tpe.reduce((a, b) => (b.loss < a.loss ? b : a));
    assert.equal(best.configuration['model[0].type'], 'gru', `seed ${seed}: best ${JSON.stringify(best)}`);
  }
  assert.equal(tpeWins, seeds.length, 'the mean loss of TPE trials 21-40 is below random search for every seed');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parameterImportance } from '../../src/experiments/importance';
import { dominates, paretoFront } from '../../src/experiments/pareto';
import { rungIndex, shouldStop } from '../../src/experiments/pruning';
import { differenceSentence, summarize, welch } from '../../src/experiments/significance';
import type { SweepEarlyStopping } from '../../src/experiments/sweepSpec';

// Constructed so that every step of Welch's interval is exact by hand: each side's variance is
// 0.001 (deviations ±0.04, ±0.02, 0), so SE = √(2 × 0.001 / 5) = 0.02 and
// df = (0.0004)² / (2 × (0.0002)² / 4) = 8; t(0.975, 8) = 2.306004 (any t table).
const A = [0.8, 0.82, 0.84, 0.86, 0.88];
const B = A.map((x) => x - 0.01);
const T_975_8 = 2.306004;

test("Welch's interval on data with a known answer", () => {
  const result = welch(A, B);
  assert.ok(Math.abs(result.difference - 0.01) < 1e-12);
  assert.ok(Math.abs(result.standardError - 0.02) < 1e-12);
  assert.ok(Math.abs(result.df - 8) < 1e-9);
  assert.ok(Math.abs(result.low - (0.01 - T_975_8 * 0.02)) < 1e-6, `low ${result.low}`);
  assert.ok(Math.abs(result.high - (0.01 + T_975_8 * 0.02)) < 1e-6, `high ${result.high}`);
  assert.ok(result.p > 0.6 && result.p < 0.65, `p ${result.p}`); // t = 0.5 on 8 df: p = 0.6306
  assert.deepEqual(summarize([1]), { n: 1, mean: 1, sd: 0 });
  assert.throws(() => welch([1], [1, 2]), RangeError);
});

test('the significance sentence: not distinguishable within the noise, distinguishable beyond it', () => {
  assert.equal(differenceSentence('GRU', 'LSTM', 'val_accuracy', A, B, 'maximize'), 'GRU vs LSTM: +1.0 points val_accuracy, 95% interval [\u22123.6, +5.6] over 5 seeds each: not distinguishable');
  const far = A.map((x) => x - 0.11);
  // difference 0.11 ± 0.0461: [0.0639, 0.1561]
  assert.equal(differenceSentence('GRU', 'LSTM', 'val_accuracy', A, far, 'maximize'), 'GRU vs LSTM: +11.0 points val_accuracy, 95% interval [+6.4, +15.6] over 5 seeds each: distinguishable: GRU is better');
  // A loss: smaller is better, so the side with the lower mean wins; units are the metric's own.
  // sd 0.01 each, SE = √(2 × 0.0001 / 3) = 0.008165, df = 4, t(0.975, 4) = 2.776: −0.2 ± 0.0227.
  assert.equal(differenceSentence('lr 0.01', 'lr 0.001', 'val_mae', [0.1, 0.11, 0.12], [0.3, 0.31, 0.32], 'minimize'), 'lr 0.01 vs lr 0.001: \u22120.2 val_mae, 95% interval [\u22120.22, \u22120.18] over 3 seeds each: distinguishable: lr 0.01 is better');
  assert.match(differenceSentence('a', 'b', 'val_loss', [0.3], [0.2, 0.25]), /too few to tell noise from a difference/);
  // Identical seeds on both sides: no noise at all, the difference is exact.
  assert.match(differenceSentence('a', 'b', 'val_loss', [0.2, 0.2], [0.3, 0.3], 'minimize'), /\[\u22120\.1, \u22120\.1\].*distinguishable: a is better/);
});

const median: SweepEarlyStopping = { method: 'median', min_epochs: 2, reduction_factor: 3, min_trials: 3 };
const asha: SweepEarlyStopping = { method: 'asha', min_epochs: 1, reduction_factor: 3, min_trials: 1 };
const objective = { metric: 'val_loss', goal: 'minimize' as const };

test('median stopping: a run worse than the median of the completed runs at the same epoch stops, never before min_epochs', () => {
  const completed = [
    [0.9, 0.5, 0.4],
    [0.9, 0.6, 0.5],
    [0.9, 0.7, 0.6],
  ];
  assert.equal(shouldStop(median, [2.0], completed, [], objective).stop, false, 'epoch 1 < min_epochs');
  const bad = shouldStop(median, [1.0, 0.8], completed, [], objective);
  assert.equal(bad.stop, true);
  assert.match(bad.reason!, /median rule after epoch 2: its best val_loss so far, 0\.8, is worse than the median 0\.6 of 3 completed runs/);
  assert.equal(shouldStop(median, [1.0, 0.6], completed, [], objective).stop, false, 'equal to the median continues');
  assert.equal(shouldStop(median, [1.0, 0.8], completed.slice(0, 2), [], objective).stop, false, 'fewer than min_trials completed runs');
  // A maximised metric arrives negated and is shown with its own sign.
  const accuracies = [[0.5, 0.6], [0.5, 0.7], [0.5, 0.8]].map((curve) => curve.map((v) => -v));
  const accuracy = shouldStop(median, [-0.5, -0.55], accuracies, [], { metric: 'val_accuracy', goal: 'maximize' });
  assert.equal(accuracy.stop, true);
  assert.match(accuracy.reason!, /best val_accuracy so far, 0\.55, is worse than the median 0\.7/);
});

test('successive halving: at rung epochs only the best 1/η continue', () => {
  assert.deepEqual([1, 2, 3, 4, 9, 27].map((e) => rungIndex(e, asha)), [0, undefined, 1, undefined, 2, 3]);
  assert.equal(shouldStop(asha, [0.5], [], [], objective).stop, false, 'the first run at a rung is the best there');
  const others = [[0.3], [0.4], [0.6], [0.7], [0.8]];
  // 6 runs at rung epoch 1: the best ⌊6/3⌋ = 2 continue (0.3 and 0.4).
  assert.equal(shouldStop(asha, [0.35], [], others, objective).stop, false);
  const stopped = shouldStop(asha, [0.5], [], others, objective);
  assert.equal(stopped.stop, true);
  assert.match(stopped.reason!, /rung epoch 1: its val_loss 0\.5 is not among the best 2 of the 6 runs/);
  assert.equal(shouldStop(asha, [0.5, 0.1], [], others, objective).stop, false, 'epoch 2 is no rung');
});

test('importance: the parameter that moves the objective explains its variance', () => {
  const runs = [];
  for (const type of ['simple_rnn', 'lstm', 'gru']) {
    for (const units of [8, 16, 32, 64, 128]) {
      const noise = ((units * 7) % 5) / 1000;
      runs.push({ configuration: { 'model[0].type': type, 'model[0].units': units }, value: (type === 'simple_rnn' ? 0.5 : 0.1) + noise });
    }
  }
  const [first, second] = parameterImportance(['model[0].units', 'model[0].type'], runs);
  assert.equal(first!.path, 'model[0].type');
  assert.ok(first!.explained > 0.99, `η² ${first!.explained}`);
  assert.ok(second!.explained < 0.01);
  assert.ok(Math.abs(first!.share + second!.share - 1) < 1e-12);
  assert.deepEqual(parameterImportance(['x'], [{ configuration: { x: 1 }, value: 2 }, { configuration: { x: 2 }, value: 2 }]).map((i) => i.share), [0]);
});

test('Pareto front: no run on it is beaten on every objective', () => {
  const goals = ['maximize', 'minimize'] as const;
  assert.equal(dominates([0.9, 10], [0.8, 12], goals), true);
  assert.equal(dominates([0.9, 10], [0.9, 10], goals), false);
  const front = paretoFront(
    [
      { id: 'fast', values: [0.8, 5] },
      { id: 'best', values: [0.9, 20] },
      { id: 'dominated', values: [0.79, 6] },
      { id: 'balanced', values: [0.85, 10] },
      { id: 'unfinished', values: [0.95, undefined] },
    ],
    goals,
  );
  assert.deepEqual(front, ['fast', 'best', 'balanced']);
});

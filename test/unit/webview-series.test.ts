import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../src/protocol';
import { curveData, envelopeIndices, smoothEma } from '../../webview/src/series';
import { stateFromView } from '../../webview/src/state';

test('EMA smoothing with weight 0 returns the values', () => {
  assert.deepEqual(smoothEma([3, 1, 2], 0), [3, 1, 2]);
});

test('EMA smoothing is bias-corrected: a constant series stays constant from the first point', () => {
  for (const value of smoothEma([5, 5, 5, 5], 0.9)) assert.ok(Math.abs((value ?? 0) - 5) < 1e-12);
});

test('EMA smoothing follows the recurrence and keeps NaN as a gap', () => {
  const w = 0.5;
  const [a, gap, b] = smoothEma([2, Number.NaN, 4], w);
  assert.equal(a, 2);
  assert.equal(gap, null);
  // average after two points: (0.5 * 0.5 * 2 + 0.5 * 4) / (1 - 0.25)
  assert.ok(Math.abs((b ?? 0) - (0.5 + 2) / 0.75) < 1e-12);
});

const view = {
  runId: 'r',
  runDir: '',
  events: [
    { type: 'run', runId: 'r', runDir: '', name: 'n', epochs: 2, batchesPerEpoch: 2, batchSize: 4, quick: false, startedAt: '' },
    { type: 'batch', epoch: 0, batch: 0, step: 0, loss: 1, metrics: {}, samplesPerSec: 1 },
    { type: 'batch', epoch: 0, batch: 1, step: 1, loss: 0.5, metrics: {}, samplesPerSec: 1 },
    { type: 'epoch', epoch: 0, train: { loss: 0.75 }, validation: { loss: 0.9 }, durationMs: 1, liveTensors: 0 },
    { type: 'batch', epoch: 1, batch: 0, step: 2, loss: 0.25, metrics: {}, samplesPerSec: 1 },
  ] satisfies RunEvent[],
};

test('curve data puts batches at fractional epochs and epoch values at the epoch end', () => {
  const curves = curveData(stateFromView(view), 'loss', { smoothing: 0, logScale: false });
  assert.deepEqual(curves.x, [0.5, 1, 1.5]);
  assert.deepEqual(curves.series[0], [1, 0.5, 0.25]);
  assert.deepEqual(curves.series[2], [null, 0.75, null]);
  assert.deepEqual(curves.series[3], [null, 0.9, null]);
  assert.equal(curves.points, 3 + 3 + 1 + 1);
});

test('an epoch value without a batch at the same x gets its own x', () => {
  const events = view.events.filter((event) => !(event.type === 'batch' && event.step === 1));
  const curves = curveData(stateFromView({ ...view, events }), 'loss', { smoothing: 0, logScale: false });
  assert.deepEqual(curves.x, [0.5, 1, 1.5]);
  assert.deepEqual(curves.series[0], [1, null, 0.25]);
  assert.deepEqual(curves.series[2], [null, 0.75, null]);
});

test('on a log scale non-positive values become gaps', () => {
  const events: RunEvent[] = [...view.events, { type: 'batch', epoch: 1, batch: 1, step: 3, loss: 0, metrics: {}, samplesPerSec: 1 }];
  const linear = curveData(stateFromView({ ...view, events }), 'loss', { smoothing: 0, logScale: false });
  const log = curveData(stateFromView({ ...view, events }), 'loss', { smoothing: 0, logScale: true });
  assert.equal(linear.series[0].at(-1), 0);
  assert.equal(log.series[0].at(-1), null);
  assert.equal(linear.points - log.points, 2); // the raw and the smoothed value
});

/** A run of `count` batches with a noisy loss, one epoch of `count` batches. */
function longRun(count: number) {
  const events: RunEvent[] = [{ type: 'run', runId: 'r', runDir: '', name: 'n', epochs: 1, batchesPerEpoch: count, batchSize: 4, quick: false, startedAt: '' }];
  for (let step = 0; step < count; step++) {
    events.push({ type: 'batch', epoch: 0, batch: step, step, loss: 1 + Math.sin(step * 1.3) + step / count, metrics: {}, samplesPerSec: 1 });
  }
  return stateFromView({ runId: 'r', runDir: '', events });
}

test('a long run is thinned to the first, lowest, highest and last batch of each column, with the stored values', () => {
  const state = longRun(10_000);
  const full = curveData(state, 'loss', { smoothing: 0.9, logScale: false });
  const thin = curveData(state, 'loss', { smoothing: 0.9, logScale: false, buckets: 100 });
  assert.equal(full.x.length, 10_000);
  assert.ok(thin.x.length <= 4 * 101 && thin.x.length >= 200, `${thin.x.length} rows`);
  assert.equal(thin.points, full.points);
  // Every drawn row is a stored batch: same x, same raw value.
  const rawAt = new Map(full.x.map((x, i) => [x, full.series[0][i]]));
  thin.x.forEach((x, i) => assert.equal(thin.series[0][i], rawAt.get(x)));
  assert.deepEqual([thin.x[0], thin.x.at(-1)], [full.x[0], full.x.at(-1)]);
  const values = (series: (number | null)[]) => series.filter((v): v is number => v !== null);
  assert.equal(Math.min(...values(thin.series[0])), Math.min(...values(full.series[0])));
  assert.equal(Math.max(...values(thin.series[0])), Math.max(...values(full.series[0])));
  // The smoothed line: one point per column, the stored EMA at that batch.
  const smoothedAt = new Map(full.x.map((x, i) => [x, full.series[1][i]]));
  const smoothedRows = thin.x.filter((_, i) => thin.series[1][i] !== null);
  assert.ok(smoothedRows.length <= 101 && smoothedRows.length >= 99, `${smoothedRows.length} smoothed points`);
  for (const x of smoothedRows) assert.equal(thin.series[1][thin.x.indexOf(x)], smoothedAt.get(x));
  assert.equal(thin.series[1].at(-1), full.series[1].at(-1));
});

test('a zoomed range is thinned on columns of its own, so it keeps its detail', () => {
  const state = longRun(10_000);
  const focus = { min: 0.5, max: 0.51 }; // 100 batches
  const zoomed = curveData(state, 'loss', { smoothing: 0, logScale: false, buckets: 100, focus });
  const inside = zoomed.x.filter((x) => x >= focus.min && x <= focus.max);
  assert.ok(inside.length >= 99, `${inside.length} rows in the zoomed range`);
  assert.deepEqual([zoomed.x[0], zoomed.x.at(-1)], [1 / 10_000, 1]);
});

test('no more than 4 batches per column: every batch is drawn', () => {
  const state = longRun(400);
  assert.deepEqual(curveData(state, 'loss', { smoothing: 0.5, logScale: false, buckets: 100 }), curveData(state, 'loss', { smoothing: 0.5, logScale: false }));
});

test('gradient norms are thinned to each column’s ends and each series’ extremes, spikes included', () => {
  const n = 10_000;
  const before = Array.from({ length: n }, (_, i) => (i === 4321 ? 1e6 : 1 + (i % 7)));
  const after = before.map((v) => Math.min(v, 5));
  const kept = envelopeIndices((i) => (i + 1) / n, n, [before, after], 100);
  assert.ok(kept.length <= 100 * 6 && kept.length >= 200, `${kept.length} rows`);
  assert.ok(kept.includes(4321), 'the spike is drawn');
  assert.deepEqual([kept[0], kept.at(-1)], [0, n - 1]);
  assert.deepEqual(kept, [...kept].sort((a, b) => a - b));
  assert.deepEqual(envelopeIndices((i) => i, 300, [before], 100), Array.from({ length: 300 }, (_, i) => i));
});

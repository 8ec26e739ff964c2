import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../src/protocol';
import { columnOf, initialState, reduce, reduceAll, stateFromView } from '../../webview/src/state';

const run: RunEvent = {
  type: 'run',
  runId: 'r1',
  runDir: '/runs/r1',
  name: 'demo',
  epochs: 2,
  batchesPerEpoch: 2,
  batchSize: 8,
  quick: false,
  startedAt: '2026-01-01T00:00:00.000Z',
};

function batch(step: number, loss: number, metrics: Record<string, number> = {}): RunEvent {
  return { type: 'batch', epoch: Math.floor(step / 2), batch: step % 2, step, loss, metrics, samplesPerSec: 100 + step };
}

function probes(epoch: number, value: number): RunEvent {
  return {
    type: 'probes',
    epoch,
    probes: [{ id: 'probe-0', label: 'p', tokens: ['a', 'b'], layers: [{ layer: 'lstm', units: 1, states: [[value], [value]] }] }],
  };
}

test('batches become columns with loss first and the latest position and throughput', () => {
  const state = stateFromView({ runId: 'r1', runDir: '', events: [run, batch(0, 0.9, { acc: 0.4 }), batch(1, 0.7, { acc: 0.6 })] });
  assert.equal(state.batches.length, 2);
  assert.deepEqual(columnOf(state.batches, 'loss'), [0.9, 0.7]);
  assert.deepEqual(columnOf(state.batches, 'acc'), [0.4, 0.6]);
  assert.deepEqual(state.quantities, ['loss', 'acc']);
  assert.deepEqual(state.position, { epoch: 0, batch: 1, step: 1 });
  assert.equal(state.samplesPerSec, 101);
});

test('a metric first reported mid-run is NaN for the earlier batches', () => {
  const state = [batch(0, 1), batch(1, 0.8, { mae: 0.3 })].reduce(reduce, initialState());
  assert.equal(columnOf(state.batches, 'mae').length, 2);
  assert.ok(Number.isNaN(columnOf(state.batches, 'mae')[0]));
  assert.equal(columnOf(state.batches, 'mae')[1], 0.3);
});

test('an older state keeps seeing only its own batches after later appends', () => {
  const first = reduce(initialState(), batch(0, 1));
  const second = reduce(first, batch(1, 0.5));
  assert.deepEqual(columnOf(first.batches, 'loss'), [1]);
  assert.deepEqual(columnOf(second.batches, 'loss'), [1, 0.5]);
  // Branching from the older state must not corrupt the newer one.
  const branch = reduce(first, batch(1, 0.25));
  assert.deepEqual(columnOf(branch.batches, 'loss'), [1, 0.25]);
  assert.deepEqual(columnOf(second.batches, 'loss'), [1, 0.5]);
});

test('epoch records and probe snapshots are kept sorted by epoch, a repeated epoch replaces the old one', () => {
  const events: RunEvent[] = [
    probes(0, 0.5),
    probes(-1, 0),
    { type: 'epoch', epoch: 0, train: { loss: 0.8, acc: 0.5 }, validation: { loss: 0.9, acc: 0.4 }, durationMs: 10, liveTensors: 3 },
    probes(0, 0.7),
  ];
  const state = events.reduce(reduce, initialState());
  assert.deepEqual(
    state.snapshots.map((s) => [s.epoch, s.probes[0].layers[0].states[0][0]]),
    [
      [-1, 0],
      [0, 0.7],
    ],
  );
  assert.deepEqual(state.epochs, [{ epoch: 0, train: { loss: 0.8, acc: 0.5 }, validation: { loss: 0.9, acc: 0.4 }, durationMs: 10 }]);
  assert.deepEqual(state.quantities, ['loss', 'acc']);
});

test('status follows done and error events', () => {
  const running = stateFromView({ runId: 'r1', runDir: '', events: [run] });
  assert.equal(running.status, 'running');
  const stopped = reduce(running, { type: 'done', status: 'stopped', finalMetrics: {}, durationMs: 5, reason: 'Stopped by you.' });
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.stopReason, 'Stopped by you.');
  const failed = reduce(running, { type: 'error', kind: 'data', message: 'The file x.csv has no column "text".' });
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error?.message, 'The file x.csv has no column "text".');
});

test('hello, data and model events fill the header and summary', () => {
  const state = stateFromView({
    runId: 'r1',
    runDir: '/runs/r1',
    events: [
      { type: 'hello', protocol: 1, backend: 'wasm', versions: { seqlab: '0.1.0', tfjs: '4.22.0', node: '20' }, backendNote: 'tfjs-node is not installed.' },
      run,
      { type: 'model', summary: { inputShape: [null, 4], layers: [], totalParams: 12 } },
    ],
  });
  assert.equal(state.backend, 'wasm');
  assert.equal(state.backendNote, 'tfjs-node is not installed.');
  assert.equal(state.run?.name, 'demo');
  assert.equal(state.summary?.totalParams, 12);
});

test('appending a batch shares the columns instead of copying them (10k batches stay linear)', () => {
  const events = Array.from({ length: 10_000 }, (_, step) => batch(step, 1 / (step + 1), { acc: step / 10_000 }));
  const before = events.slice(0, -1).reduce(reduce, initialState());
  const after = reduce(before, events[events.length - 1]);
  assert.equal(after.batches.length, 10_000);
  assert.equal(columnOf(after.batches, 'acc')[9_999], 0.9999);
  assert.equal(after.batches.step, before.batches.step);
  assert.equal(after.batches.values, before.batches.values);
  assert.equal(after.batches.values.loss, before.batches.values.loss);
});

test('folding many events at once gives the state that folding them one by one gives', () => {
  const events: RunEvent[] = [
    { type: 'run', runId: 'r', runDir: '', name: 'n', epochs: 2, batchesPerEpoch: 3, batchSize: 4, quick: false, startedAt: '' },
    ...[0, 1, 2].map((step): RunEvent => ({ type: 'batch', epoch: 0, batch: step, step, loss: 1 / (step + 1), metrics: { acc: step / 3 }, samplesPerSec: 10 + step, gradNorm: step })),
    { type: 'epoch', epoch: 0, train: { loss: 0.5 }, validation: { loss: 0.6, val_acc: 0.7 }, durationMs: 1, liveTensors: 0 },
    { type: 'batch', epoch: 1, batch: 0, step: 3, loss: 0.2, metrics: { acc: 0.9, auc: 0.8 }, samplesPerSec: 20, clippedGradNorm: 1 },
  ];
  const oneByOne = events.reduce(reduce, initialState('r'));
  const together = reduceAll(initialState('r'), events);
  assert.deepEqual(together, oneByOne);
  assert.deepEqual(columnOf(together.batches, 'auc'), [Number.NaN, Number.NaN, Number.NaN, 0.8]);
  assert.deepEqual(together.position, { epoch: 1, batch: 0, step: 3 });
});

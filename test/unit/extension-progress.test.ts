import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../src/protocol';
import {
  advance,
  describeMetrics,
  describeProgress,
  formatValue,
  fractionDone,
  INITIAL_PROGRESS,
  lossTrend,
  type RunProgress,
} from '../../src/extension/training/progress';

const run: RunEvent = {
  type: 'run',
  runId: 'r',
  runDir: '/runs/r',
  name: 'demo',
  epochs: 3,
  batchesPerEpoch: 10,
  batchSize: 32,
  quick: false,
  startedAt: '2026-01-01T00:00:00Z',
};

function batch(epoch: number, batchIndex: number, loss: number): RunEvent {
  return { type: 'batch', epoch, batch: batchIndex, step: epoch * 10 + batchIndex, loss, metrics: { accuracy: 0.5 }, samplesPerSec: 100 };
}

function epoch(index: number, loss: number, valLoss: number): RunEvent {
  return { type: 'epoch', epoch: index, train: { loss, accuracy: 0.6 }, validation: { loss: valLoss }, durationMs: 10, liveTensors: 5 };
}

function fold(events: RunEvent[]): RunProgress {
  return events.reduce(advance, INITIAL_PROGRESS);
}

describe('run progress shown in the editor', () => {
  it('counts batches across epochs against the run size', () => {
    const progress = fold([run, batch(0, 0, 0.7), batch(0, 1, 0.69), epoch(0, 0.68, 0.7), batch(1, 0, 0.6)]);
    assert.equal(progress.steps, 11);
    assert.equal(fractionDone(progress), 11 / 30);
    assert.equal(describeProgress(progress), 'epoch 2/3 · loss 0.6');
  });

  it('says "starting" before the worker has announced the run', () => {
    assert.equal(describeProgress(INITIAL_PROGRESS), 'starting');
    assert.equal(fractionDone(INITIAL_PROGRESS), 0);
  });

  it('compares the loss with the first batch during the first epoch, then with the previous epoch', () => {
    assert.equal(lossTrend(fold([run, batch(0, 0, 0.7)])), '→');
    assert.equal(lossTrend(fold([run, batch(0, 0, 0.7), batch(0, 1, 0.5)])), '↓');
    const afterTwoEpochs = fold([run, batch(0, 0, 0.7), epoch(0, 0.5, 0.6), batch(1, 0, 0.55), epoch(1, 0.6, 0.7)]);
    assert.equal(lossTrend(afterTwoEpochs), '↑', 'epoch 2 (0.6) is worse than epoch 1 (0.5)');
    const midEpoch = fold([run, batch(0, 0, 0.7), epoch(0, 0.5, 0.6), batch(1, 0, 0.45)]);
    assert.equal(lossTrend(midEpoch), '↓', 'a batch of epoch 2 compares with epoch 1');
  });

  it('shows the epoch summary with validation metrics prefixed val_, then the final metrics', () => {
    const afterEpoch = fold([run, batch(0, 0, 0.7), epoch(0, 0.5, 0.55)]);
    assert.deepEqual(afterEpoch.latest, { loss: 0.5, accuracy: 0.6, val_loss: 0.55 });
    assert.equal(describeMetrics(afterEpoch), 'loss 0.5 ↓ · accuracy 0.6 · val_loss 0.55');
    assert.equal(describeMetrics(afterEpoch, { trend: false }), 'loss 0.5 · accuracy 0.6 · val_loss 0.55');
    const done = advance(afterEpoch, { type: 'done', status: 'completed', finalMetrics: { loss: 0.5, val_loss: 0.55 }, durationMs: 100 });
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.latest, { loss: 0.5, val_loss: 0.55 });
  });

  it('keeps the human error message of a failed run', () => {
    const failed = advance(fold([run]), { type: 'error', kind: 'numeric', message: 'The loss became NaN: lower learning_rate.' });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorMessage, 'The loss became NaN: lower learning_rate.');
  });

  it('formats values with three significant digits and exponents only for extremes', () => {
    assert.equal(formatValue(0.41234), '0.412');
    assert.equal(formatValue(12.5), '12.5');
    assert.equal(formatValue(0.00001234), '1.23e-5');
    assert.equal(formatValue(2), '2');
    assert.equal(formatValue(Number.NaN), 'NaN');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../src/protocol';
import { runToCsv } from '../../webview/src/csv';
import { stateFromView } from '../../webview/src/state';

const events: RunEvent[] = [
  { type: 'batch', epoch: 0, batch: 0, step: 0, loss: 0.9, metrics: { acc: 0.5 }, samplesPerSec: 10 },
  { type: 'batch', epoch: 0, batch: 1, step: 1, loss: Number.NaN, metrics: {}, samplesPerSec: 10 },
  { type: 'epoch', epoch: 0, train: { loss: 0.8, acc: 0.55 }, validation: { loss: 0.85, acc: 0.5 }, durationMs: 3, liveTensors: 0 },
  { type: 'epoch', epoch: 1, train: { loss: 0.6, acc: 0.7 }, validation: {}, durationMs: 3, liveTensors: 0 },
];

test('CSV has one row per batch and per epoch, with empty cells for missing values', () => {
  const csv = runToCsv(stateFromView({ runId: 'r', runDir: '', events }));
  assert.equal(
    csv,
    [
      'kind,epoch,batch,step,loss,acc',
      'train_batch,0,0,0,0.9,0.5',
      'train_batch,0,1,1,,',
      'train_epoch,0,,,0.8,0.55',
      'validation_epoch,0,,,0.85,0.5',
      'train_epoch,1,,,0.6,0.7',
      '',
    ].join('\n'),
  );
});

test('CSV quotes a metric name that contains a comma or a quote', () => {
  const state = stateFromView({
    runId: 'r',
    runDir: '',
    events: [{ type: 'batch', epoch: 0, batch: 0, step: 0, loss: 1, metrics: { 'f1,"macro"': 0.5 }, samplesPerSec: 1 }],
  });
  assert.equal(runToCsv(state).split('\n')[0], 'kind,epoch,batch,step,loss,"f1,""macro"""');
});

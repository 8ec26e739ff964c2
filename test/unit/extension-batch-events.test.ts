import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchEventBuffer } from '../../src/extension/panel/batchEvents';
import { isHostToWebview, type HostToWebview, type RunEvent } from '../../src/protocol';

const batch = (step: number): RunEvent => ({ type: 'batch', epoch: 0, batch: step, step, loss: 1 / (step + 1), metrics: {}, samplesPerSec: 100 });
const epoch: RunEvent = { type: 'epoch', epoch: 0, train: { loss: 0.5 }, validation: { loss: 0.6 }, durationMs: 10, liveTensors: 1 };

test('batch events held together reach the panel as one events message, in order, within the delay', async () => {
  const sent: HostToWebview[] = [];
  const buffer = new BatchEventBuffer((message) => sent.push(message), 20);
  for (let step = 0; step < 500; step++) buffer.add('run-1', batch(step));
  assert.deepEqual(sent, []);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0], { type: 'events', runId: 'run-1', events: Array.from({ length: 500 }, (_, step) => batch(step)) });
});

test('a lone batch event goes as an event message; flush sends what is held at once', () => {
  const sent: HostToWebview[] = [];
  const buffer = new BatchEventBuffer((message) => sent.push(message), 10_000);
  buffer.add('run-1', batch(0));
  buffer.flush();
  assert.deepEqual(sent, [{ type: 'event', runId: 'run-1', event: batch(0) }]);
  buffer.flush();
  assert.equal(sent.length, 1);
});

test('events of another run first send what was held for the previous one', () => {
  const sent: HostToWebview[] = [];
  const buffer = new BatchEventBuffer((message) => sent.push(message), 10_000);
  buffer.add('run-1', batch(0));
  buffer.add('run-1', batch(1));
  buffer.add('run-2', epoch);
  buffer.flush();
  assert.deepEqual(sent, [
    { type: 'events', runId: 'run-1', events: [batch(0), batch(1)] },
    { type: 'event', runId: 'run-2', event: epoch },
  ]);
});

test('dropped events are never sent (the panel gets the whole run in a reset instead)', async () => {
  const sent: HostToWebview[] = [];
  const buffer = new BatchEventBuffer((message) => sent.push(message), 10);
  buffer.add('run-1', batch(0));
  buffer.drop();
  await new Promise((resolve) => setTimeout(resolve, 40));
  buffer.flush();
  assert.deepEqual(sent, []);
});

test('the webview accepts an events message only when every event in it is well formed', () => {
  assert.equal(isHostToWebview({ type: 'events', runId: 'run-1', events: [batch(0), epoch] }), true);
  assert.equal(isHostToWebview({ type: 'events', runId: 'run-1', events: [batch(0), { type: 'no-such-event' }] }), false);
  assert.equal(isHostToWebview({ type: 'events', runId: 'run-1' }), false);
});

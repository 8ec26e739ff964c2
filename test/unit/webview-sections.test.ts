/** What the panel says before a section has content: never a promise a failed run cannot keep. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../src/protocol';
import { isRunning, probeUnavailable, sectionPlaceholder, type Section } from '../../webview/src/sectionStatus';
import { reduce, stateFromView } from '../../webview/src/state';

const run: RunEvent = {
  type: 'run',
  runId: '20260101-000000-imdb-sentiment',
  runDir: '/runs/r',
  name: 'imdb-sentiment',
  epochs: 3,
  batchesPerEpoch: 0,
  batchSize: 32,
  quick: false,
  startedAt: '2026-01-01T00:00:00.000Z',
};
const firstEpoch: RunEvent = { type: 'epoch', epoch: 1, train: { loss: 0.5 }, validation: {}, durationMs: 10, liveTensors: 0 };
const SECTIONS: Section[] = ['curves', 'hidden-states', 'gradient-flow', 'representation', 'model', 'data'];

describe('the spec name, before and after the run event', () => {
  it('comes from the host at once, never from the placeholder id of a job that has not started', () => {
    const starting = stateFromView({ runId: 'pending-6', runDir: '', name: 'imdb-sentiment', events: [] });
    assert.equal(starting.name, 'imdb-sentiment');
    assert.equal(reduce(starting, run).name, 'imdb-sentiment');
    assert.equal(reduce(starting, run).runId, run.runId);
  });
});

describe('section placeholders', () => {
  it('wait while the run goes on', () => {
    const state = stateFromView({ runId: 'pending-1', runDir: '', events: [] });
    assert.equal(sectionPlaceholder(state, 'curves'), 'Curves appear with the first batch.');
    assert.equal(sectionPlaceholder(state, 'model'), 'Waiting for the model…');
    assert.ok(isRunning(state));
  });

  it('say "not reached" for every section of a run that failed before its first batch', () => {
    const state = stateFromView({
      runId: run.runId,
      runDir: run.runDir,
      events: [run, { type: 'error', kind: 'data', message: 'Cannot download the IMDB dataset.' }],
    });
    assert.equal(isRunning(state), false);
    assert.equal(sectionPlaceholder(state, 'curves'), 'Not reached: the run failed before its first batch.');
    assert.equal(sectionPlaceholder(state, 'model'), 'Not reached: the run failed before the model was built.');
    for (const section of SECTIONS) assert.match(sectionPlaceholder(state, section), /^Not reached: the run failed before /);
    assert.match(probeUnavailable(state) ?? '', /^Not reached: the run failed before its first epoch ended, so there is no model to probe\.$/);
  });

  it('tell a finished run that lacks a view (views off, or older than the view) from one that ended early', () => {
    const done: RunEvent = { type: 'done', status: 'completed', finalMetrics: { loss: 0.5 }, durationMs: 20 };
    const state = stateFromView({ runId: 'r', runDir: '', events: [run, firstEpoch, done] });
    assert.match(sectionPlaceholder(state, 'gradient-flow'), /^This run has no gradient flow: it was recorded with views off, or before the view existed\.$/);
    assert.match(sectionPlaceholder(state, 'representation'), /^This run has no representation map/);
    assert.equal(probeUnavailable(state), undefined);
  });

  it('open the probe box once a live run has the weights of an epoch, not before', () => {
    const starting = stateFromView({ runId: 'r', runDir: '', events: [run] });
    assert.match(probeUnavailable(starting) ?? '', /^Probing opens when the first epoch ends/);
    const trained = reduce(starting, firstEpoch);
    assert.equal(probeUnavailable(trained), undefined);
  });

  it('say the run was stopped when it was', () => {
    const state = stateFromView({ runId: 'r', runDir: '', events: [run, { type: 'done', status: 'stopped', finalMetrics: {}, durationMs: 5, reason: 'Stopped before training started.' }] });
    assert.equal(sectionPlaceholder(state, 'hidden-states'), 'Not reached: the run was stopped before its first probe snapshot.');
  });

  it('invite training for a spec that has none, and carry its model summary', () => {
    const summary = { inputShape: [null, 12, 1], layers: [], totalParams: 0 };
    const state = stateFromView({ runId: '', runDir: '', name: 'parity', untrained: { errors: 0, summary }, events: [] });
    assert.equal(isRunning(state), false);
    assert.equal(state.summary, summary);
    assert.equal(state.name, 'parity');
    assert.match(sectionPlaceholder(state, 'curves'), /^Not trained yet: train the spec/);
  });
});

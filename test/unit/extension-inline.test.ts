/** The run result after `train:`: out of date once the spec changed, and a hover that explains it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSpec } from '../../src/language/check';
import { inlineHover, inlineText, isOutOfDate, type InlineJob } from '../../src/extension/training/inlineResult';
import { advance, INITIAL_PROGRESS } from '../../src/extension/training/progress';
import type { RunEvent } from '../../src/protocol';

const SPEC = 'name: p\ndata:\n  source: builtin:parity\nmodel:\n  - type: lstm\n    units: 8\n  - type: dense\n    units: 1\n    activation: sigmoid\n';
const trained = checkSpec(SPEC).spec;

const run: RunEvent = { type: 'run', runId: '20260101-120000-p', runDir: '/r', name: 'p', epochs: 2, batchesPerEpoch: 2, batchSize: 8, quick: true, startedAt: '' };
const batch = (epoch: number, index: number, loss: number): RunEvent => ({ type: 'batch', epoch, batch: index, step: epoch * 2 + index, loss, metrics: {}, samplesPerSec: 1 });
const epoch = (index: number, loss: number): RunEvent => ({ type: 'epoch', epoch: index, train: { loss }, validation: {}, durationMs: 1, liveTensors: 1 });

function job(events: RunEvent[], ended = true): InlineJob {
  return {
    kind: 'preview',
    name: 'p',
    runId: '20260101-120000-p',
    progress: events.reduce(advance, INITIAL_PROGRESS),
    startedAt: new Date(2026, 0, 1, 12, 0, 0),
    ...(ended ? { endedAt: new Date(2026, 0, 1, 12, 0, 42) } : {}),
    trainedSpec: JSON.stringify(trained),
  };
}

describe('inline run results', () => {
  it('are out of date when the resolved spec differs or has errors, not for comments or layout', () => {
    const finished = job([run, batch(0, 0, 0.7)]);
    assert.equal(isOutOfDate(finished, checkSpec(`# note\n${SPEC.replace('units: 8', 'units:   8')}`).spec), false);
    assert.equal(isOutOfDate(finished, checkSpec(SPEC.replace('units: 8', 'units: 9')).spec), true);
    assert.equal(isOutOfDate(finished, checkSpec(SPEC.replace('units: 8', 'units: eight')).spec), true);
  });

  it('say "spec changed" in front of an out-of-date result', () => {
    const done = job([run, batch(0, 0, 0.7), batch(0, 1, 0.5), { type: 'done', status: 'completed', finalMetrics: { loss: 0.5 }, durationMs: 1 }]);
    assert.equal(inlineText(done, false), '✓ preview: loss 0.5 ↓');
    assert.equal(inlineText(done, true), 'spec changed · ✓ preview: loss 0.5 ↓');
  });

  it('hover: which run, when, out of date, and what the arrow compares in the first epoch and after', () => {
    const firstEpoch = inlineHover(job([run, batch(0, 0, 0.7), batch(0, 1, 0.5)], false), true);
    assert.match(firstEpoch, /^\*\*Quick preview\*\* of `p` \(run `20260101-120000-p`\)\n\nStarted 12:00:00, still running\./);
    assert.match(firstEpoch, /Out of date: the spec changed since this run started/);
    assert.match(firstEpoch, /↓ compares the latest training loss \(0\.5\) with the first batch's loss \(0\.7\)/);
    const later = inlineHover(job([run, batch(0, 0, 0.7), epoch(0, 0.6), batch(1, 0, 0.65), { type: 'done', status: 'completed', finalMetrics: {}, durationMs: 1 }]), false);
    assert.match(later, /Started 12:00:00, ended 12:00:42 \(42 s\): completed\./);
    assert.match(later, /↑ compares the latest training loss \(0\.65\) with the previous epoch's training loss \(0\.6\)/);
    assert.doesNotMatch(later, /Out of date/);
  });
});

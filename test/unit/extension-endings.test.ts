/** How the editor tells a job's ending, and which stored run is a spec's own. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endNotice } from '../../src/extension/training/endNotice';
import { newestRunOfSpec } from '../../src/extension/panel/specRuns';
import { INITIAL_PROGRESS, type RunProgress } from '../../src/extension/training/progress';
import type { RunMeta } from '../../src/training/runStore';

const completed: RunProgress = { ...INITIAL_PROGRESS, status: 'completed', latest: { loss: 0.25, accuracy: 0.9 } };
const failed: RunProgress = { ...INITIAL_PROGRESS, status: 'failed', errorMessage: 'Cannot download the IMDB dataset.' };
const stopped: RunProgress = { ...INITIAL_PROGRESS, status: 'stopped' };
const job = (kind: 'train' | 'preview', progress: RunProgress, automatic = false) => ({ kind, automatic, name: 'parity', progress });

describe('notifications: at the end only, and only what the user would miss', () => {
  it('a finished training says so with its final metrics', () => {
    assert.deepEqual(endNotice(job('train', completed)), {
      severity: 'info',
      message: 'Sequence Lab: Training of parity finished: loss 0.25 · accuracy 0.9.',
    });
  });

  it('a failure is an error, with the message that says how to fix it', () => {
    assert.deepEqual(endNotice(job('train', failed)), {
      severity: 'error',
      message: 'Sequence Lab: Training of parity failed. Cannot download the IMDB dataset.',
    });
    assert.equal(endNotice(job('preview', failed))?.severity, 'error');
  });

  it('nothing for a running job, a stop the user asked for, a preview that reports inline, or an automatic preview', () => {
    assert.equal(endNotice(job('train', INITIAL_PROGRESS)), undefined);
    assert.equal(endNotice(job('train', stopped)), undefined);
    assert.equal(endNotice(job('preview', completed)), undefined);
    assert.equal(endNotice(job('preview', failed, true)), undefined);
  });
});

function meta(id: string, name: string, specPath?: string): RunMeta {
  return {
    id,
    name,
    ...(specPath ? { specPath } : {}),
    status: 'completed',
    startedAt: `2026-01-01T00:00:${id.padStart(2, '0')}Z`,
    backend: 'wasm',
    versions: { seqlab: '0', tfjs: '0', node: '20' },
    seed: 1,
    specHash: 'h',
    epochs: 1,
    quick: false,
  };
}

describe("a spec's own runs, in a runs folder shared with other specs", () => {
  // Newest first, as listRuns gives them.
  const runs = [meta('3', 'imdb-sentiment', '/w/imdb-sentiment.seqlab.yaml'), meta('2', 'parity', '/w/copy.seqlab.yaml'), meta('1', 'parity')];

  it('never picks another spec’s run, even the newest', () => {
    assert.equal(newestRunOfSpec(runs, '/w/sine.seqlab.yaml', 'sine'), undefined);
  });

  it('matches by the spec path the run recorded, before the name', () => {
    assert.equal(newestRunOfSpec(runs, '/w/copy.seqlab.yaml', 'parity')?.id, '2');
    assert.equal(newestRunOfSpec(runs, '/w/imdb-sentiment.seqlab.yaml', undefined)?.id, '3');
  });

  it('falls back to the name for runs recorded without a spec path', () => {
    assert.equal(newestRunOfSpec(runs, '/w/parity.seqlab.yaml', 'parity')?.id, '1');
  });
});

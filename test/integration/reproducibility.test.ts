/**
 * Same spec + seed + backend = the same run: for every recurrent cell type, with input and
 * recurrent dropout, a dropout layer and shuffling, two trainings give the same final metrics and
 * every weight bit for bit; another seed gives other numbers.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { RecurrentType } from '../../src/language/types';
import { startTraining } from '../../src/training/client';
import { compareRuns } from '../../src/training/rerun';
import { readMeta } from '../../src/training/runStore';
import { assertBuilt, collect, tempDir, workerPath, writeSpec } from './worker-fixtures';

const root = tempDir('repro');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

/** Every random draw of a run in one small spec: initialisers, three kinds of dropout masks, shuffles. */
function spec(cell: RecurrentType, seed: number): string {
  return `name: repro ${cell}
data:
  source: builtin:sentiment
  generator:
    samples: 240
  validation: 0.25
  seed: ${seed}
model:
  - type: embedding
    output_dim: 8
  - type: bidirectional
    layer:
      type: ${cell}
      units: 6
      return_sequences: true
      dropout: 0.2
      recurrent_dropout: 0.2
  - type: ${cell}
    units: 6
    dropout: 0.3
    recurrent_dropout: 0.3
  - type: dropout
    rate: 0.4
  - type: dense
    units: 1
    activation: sigmoid
train:
  loss: binary_crossentropy
  metrics: [accuracy]
  epochs: 2
  batch_size: 32
  shuffle: true
inspect:
  probes:
    - text: the film was not good
`;
}

async function trainRun(cell: RecurrentType, seed: number): Promise<string> {
  const specPath = writeSpec(root, spec(cell, seed), `${cell}-${seed}.seqlab.yaml`);
  const { outcome } = await collect(startTraining({ specPath, runsDir: `${root}/runs-${cell}`, backend: 'wasm' }, { workerPath }));
  assert.equal(outcome.status, 'completed', outcome.error?.message);
  return outcome.runDir!;
}

for (const cell of ['simple_rnn', 'lstm', 'gru'] as const) {
  describe(`${cell} with dropout, recurrent dropout, a dropout layer and shuffling`, () => {
    let first: string;
    before(async () => {
      first = await trainRun(cell, 7);
    });

    it('trains to the same final metrics and the same weights, bit for bit, with the same seed', async () => {
      const second = await trainRun(cell, 7);
      const comparison = compareRuns(first, second);
      assert.deepEqual(comparison.differences, []);
      assert.equal(comparison.matched, true);
      assert.equal(comparison.compared.metrics, 4, 'loss, accuracy, val_loss, val_accuracy');
      assert.ok(comparison.compared.weights >= 9 && comparison.compared.values > 500, JSON.stringify(comparison.compared));
      assert.deepEqual(readMeta(second).finalMetrics, readMeta(first).finalMetrics);
    });

    it('trains to other numbers with another seed', async () => {
      const other = await trainRun(cell, 8);
      const comparison = compareRuns(first, other);
      assert.equal(comparison.matched, false);
      assert.ok(comparison.differences.some((line) => line.startsWith('The seed differs: 7 in the original, 8 in the re-run.')));
      assert.ok(comparison.differences.some((line) => /^Final loss differs/.test(line)), comparison.differences.join('\n'));
      assert.ok(comparison.differences.filter((line) => /^Weight \S+ differs/.test(line)).length >= 9, comparison.differences.join('\n'));
    });
  });
}

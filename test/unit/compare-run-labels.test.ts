import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { labelRunFolders, runLabels, type LabelledRun } from '../../src/compare/runLabels';
import { createRun } from '../../src/training/runStore';

function run(id: string, name: string, minute: number, fields: Record<string, string>): LabelledRun {
  return { id, name, startedAt: `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`, fields: new Map(Object.entries(fields)) };
}

test('runs of one name are numbered by start time and labelled by what differs', () => {
  const labels = runLabels([
    run('b', 'sentiment', 2, { 'model[0].type': 'gru', 'model[0].units': '32', 'train.epochs': '3' }),
    run('a', 'sentiment', 1, { 'model[0].type': 'lstm', 'model[0].units': '32', 'train.epochs': '3' }),
    run('c', 'sentiment', 3, { 'model[0].type': 'gru', 'model[0].units': '64', 'train.epochs': '3' }),
    run('solo', 'forecast', 1, { 'model[0].type': 'lstm' }),
  ]);
  assert.equal(labels.get('a'), '#1 \u00b7 lstm \u00b7 units 32');
  assert.equal(labels.get('b'), '#2 \u00b7 gru \u00b7 units 32');
  assert.equal(labels.get('c'), '#3 \u00b7 gru \u00b7 units 64');
  assert.equal(labels.get('solo'), '', 'a unique name needs no label');
});

test('labels: same last key twice keeps the paths, flags read as words, many differences are counted', () => {
  const labels = runLabels([
    run('a', 's', 1, { 'model[0].units': '8', 'model[1].units': '16', quick_preview: 'true', 'train.learning_rate': '0.01', 'data.seed': '1' }),
    run('b', 's', 2, { 'model[0].units': '16', 'model[1].units': '8', quick_preview: 'false', 'train.learning_rate': '0.001', 'data.seed': '2' }),
    run('c', 's', 3, { 'model[0].units': '16', 'model[1].units': '8', quick_preview: 'false', 'train.learning_rate': '0.001', 'data.seed': '2' }),
  ]);
  assert.equal(labels.get('a'), '#1 \u00b7 model[0].units 8 \u00b7 model[1].units 16 \u00b7 quick preview \u00b7 +2 more');
  assert.equal(labels.get('b'), '#2 \u00b7 model[0].units 16 \u00b7 model[1].units 8 \u00b7 no quick preview \u00b7 +2 more');
  assert.equal(labels.get('c'), '#3 \u00b7 model[0].units 16 \u00b7 model[1].units 8 \u00b7 no quick preview \u00b7 +2 more', 'identical runs differ by their number alone');
});

const root = mkdtempSync(join(tmpdir(), 'seqlab-labels-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('stored runs are labelled from their spec snapshots, defaults filled in, previews told apart', () => {
  const spec = (cell: string, extra = '') => `name: quick\ndata: {source: builtin:parity, task: binary}\nmodel:\n  - {type: ${cell}, units: 8${extra}}\n  - {type: dense, units: 1, activation: sigmoid}\n`;
  const dirs = [
    { text: spec('lstm'), quick: false },
    { text: spec('gru'), quick: false },
    // The default activation written out: the same resolved spec as the first, told apart by the preview.
    { text: spec('lstm', ', activation: tanh'), quick: true },
  ].map(({ text, quick }, i) =>
    createRun({ runsDir: root, name: 'quick', specText: text, backend: 'wasm', versions: { seqlab: '0', tfjs: '0', node: '0' }, seed: 42, epochs: quick ? 1 : 10, quick, now: new Date(2026, 0, 1, 0, 0, i) }).dir,
  );
  const labels = labelRunFolders(dirs);
  assert.equal(labels.get(dirs[0]!), '#1 \u00b7 lstm \u00b7 epochs 10');
  assert.equal(labels.get(dirs[1]!), '#2 \u00b7 gru \u00b7 epochs 10');
  assert.equal(labels.get(dirs[2]!), '#3 \u00b7 lstm \u00b7 epochs 1 \u00b7 quick preview');
});

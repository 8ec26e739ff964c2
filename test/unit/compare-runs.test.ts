import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compareRuns, differences, MAX_PLOTTED_RUNS } from '../../src/compare/compareRuns';
import type { RunEvent } from '../../src/protocol';
import { createRun, type NewRun } from '../../src/training/runStore';

const root = mkdtempSync(join(tmpdir(), 'seqlab-compare-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SPEC = `name: rnn
data: {source: builtin:parity, task: binary, generator: {samples: 100}}
model:
  - {type: simple_rnn, units: 8}
  - {type: dense, units: 1, activation: sigmoid}
train: {loss: binary_crossentropy, metrics: [accuracy], epochs: 2}
`;

let count = 0;
function run(specText: string, overrides: Partial<NewRun> = {}, events: RunEvent[] = []): string {
  const recorder = createRun({
    runsDir: root,
    name: `run-${count}`,
    specText,
    backend: 'wasm',
    versions: { seqlab: '0.1.0', tfjs: '4.22.0', node: 'v20' },
    seed: 42,
    dataHash: 'aaaa',
    epochs: 2,
    quick: false,
    now: new Date(2026, 0, 1, 0, 0, count++),
    ...overrides,
  });
  for (const event of events) recorder.append(event);
  return recorder.dir;
}

const epoch: RunEvent = { type: 'epoch', epoch: 0, train: { loss: 0.6, accuracy: 0.7 }, validation: { loss: 0.65, accuracy: 0.68 }, durationMs: 1000, liveTensors: 0 };
const probes: RunEvent = { type: 'probes', epoch: 0, probes: [] };

test('the spec fields that differ, with defaults filled in: a default written out is no difference', () => {
  const lstm = SPEC.replace('simple_rnn, units: 8', 'lstm, units: 16');
  const explicitDefault = SPEC.replace('epochs: 2}', 'epochs: 2, batch_size: 32}');
  const { view } = compareRuns([run(SPEC), run(lstm), run(explicitDefault)]);
  assert.deepEqual(
    view.specDifferences.map((d) => [d.field, d.values]),
    [
      ['model[0].type', ['simple_rnn', 'lstm', 'simple_rnn']],
      ['model[0].units', ['8', '16', '8']],
    ],
  );
});

test('what else differed: seed, data, backend, versions and threads, and only those that do', () => {
  const { view } = compareRuns([run(SPEC, { threads: 2 }), run(SPEC, { seed: 7, dataHash: 'bbbb', backend: 'cpu', threads: 1, versions: { seqlab: '0.1.0', tfjs: '4.22.0', node: 'v22' } })]);
  assert.deepEqual(
    view.runDifferences.map((d) => d.field),
    ['seed', 'data hash', 'backend', 'threads', 'versions.node'],
  );
  assert.ok(view.notes.some((note) => /different data/.test(note)), view.notes.join('\n'));
});

test('runs of different tasks are compared with a note; heatmap events are left out', () => {
  const forecast = SPEC.replace('builtin:parity, task: binary', 'builtin:sine, task: forecast').replace('binary_crossentropy', 'mse').replace('activation: sigmoid', 'activation: linear');
  const { view } = compareRuns([run(SPEC, {}, [epoch, probes]), run(forecast, {}, [epoch])]);
  assert.deepEqual(view.runs.map((r) => r.meta.task), ['binary', 'forecast']);
  assert.ok(view.notes.some((note) => /different tasks \(binary, forecast\)/.test(note)), view.notes.join('\n'));
  assert.deepEqual(view.runs[0].events.map((e) => e.type), ['epoch']);
});

test('a run without a finished epoch is said to have nothing to compare; the plotted runs are capped', () => {
  const dirs = Array.from({ length: MAX_PLOTTED_RUNS + 1 }, () => run(SPEC, {}, [epoch]));
  const { view } = compareRuns([...dirs, run(SPEC)]);
  assert.equal(view.plotted, MAX_PLOTTED_RUNS);
  assert.ok(view.notes.some((note) => /has no finished epoch/.test(note)));
  assert.ok(view.notes.some((note) => new RegExp(`first ${MAX_PLOTTED_RUNS} of these ${MAX_PLOTTED_RUNS + 2} runs`).test(note)));
});

test('differences keep fields set in only some runs', () => {
  const fields = differences([new Map([['a', '1']]), new Map([['a', '1'], ['b', '2']])]);
  assert.deepEqual(fields, [{ field: 'b', values: [null, '2'] }]);
});

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { after, describe, it } from 'node:test';
import type { RunEvent } from '../../src/protocol';
import {
  createRun,
  endRun,
  listRuns,
  METRICS_FILE,
  openRun,
  PROBES_FILE,
  VIEWS_FILE,
  readMeta,
  readRun,
  slugify,
  type NewRun,
} from '../../src/training/runStore';

const root = mkdtempSync(join(tmpdir(), 'seqlab-runstore-'));
after(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function freshRunsDir(): string {
  return join(root, `runs-${counter++}`);
}

function newRun(runsDir: string, overrides: Partial<NewRun> = {}): NewRun {
  return {
    runsDir,
    name: 'Sentiment (quick)',
    specText: 'name: Sentiment (quick)\n',
    backend: 'wasm',
    versions: { seqlab: '0.1.0', tfjs: '4.22.0', node: process.version },
    seed: 42,
    dataHash: 'abc123',
    epochs: 2,
    quick: true,
    now: new Date(2026, 10, 25, 15, 4, 5),
    ...overrides,
  };
}

const batch = (step: number): RunEvent => ({
  type: 'batch',
  epoch: 0,
  batch: step,
  step,
  loss: 1 / (step + 1),
  metrics: { accuracy: 0.5 },
  samplesPerSec: 100,
});
const probes = (epoch: number): RunEvent => ({ type: 'probes', epoch, probes: [] });
const epoch = (index: number): RunEvent => ({
  type: 'epoch',
  epoch: index,
  train: { loss: 0.5 },
  validation: { loss: 0.6 },
  durationMs: 10,
  liveTensors: 7,
});

describe('createRun', () => {
  it('names the folder after the local start time and the spec name, with a spec snapshot and a running run.json', () => {
    const runsDir = freshRunsDir();
    const run = createRun(newRun(runsDir));
    assert.equal(basename(run.dir), '20261125-150405-sentiment-quick');
    assert.equal(readFileSync(join(run.dir, 'spec.seqlab.yaml'), 'utf8'), 'name: Sentiment (quick)\n');
    const meta = readMeta(run.dir);
    assert.equal(meta.id, '20261125-150405-sentiment-quick');
    assert.equal(meta.status, 'running');
    assert.equal(meta.specHash.length, 16);
    assert.equal(meta.endedAt, undefined);
  });

  it('never reuses a folder when two runs start in the same second', () => {
    const runsDir = freshRunsDir();
    const first = createRun(newRun(runsDir));
    const second = createRun(newRun(runsDir));
    assert.notEqual(first.dir, second.dir);
    assert.equal(basename(second.dir), '20261125-150405-sentiment-quick-2');
  });

  it('hashes different spec texts differently', () => {
    const runsDir = freshRunsDir();
    const a = readMeta(createRun(newRun(runsDir, { specText: 'a' })).dir);
    const b = readMeta(createRun(newRun(runsDir, { specText: 'b' })).dir);
    assert.notEqual(a.specHash, b.specHash);
  });
});

describe('run.json updates', () => {
  it('is replaced atomically: no temp file is left and every write parses', () => {
    const run = createRun(newRun(freshRunsDir()));
    for (let i = 0; i < 20; i++) run.update({ dataHash: `hash-${i}` });
    const finished = run.finish({ status: 'completed', finalMetrics: { loss: 0.1, val_loss: 0.2 } });
    assert.deepEqual(readdirSync(run.dir).sort(), ['run.json', 'spec.seqlab.yaml']);
    assert.deepEqual(readMeta(run.dir), finished);
    assert.equal(finished.status, 'completed');
    assert.ok(finished.endedAt && Date.parse(finished.endedAt) >= Date.parse(finished.startedAt));
  });
});

describe('readRun', () => {
  it('merges metrics.jsonl and probes.jsonl back into the original event order', () => {
    const run = createRun(newRun(freshRunsDir()));
    const events = [probes(-1), batch(0), batch(1), epoch(0), probes(0), batch(2), epoch(1), probes(1)];
    for (const event of events) run.append(event);
    assert.equal(readFileSync(join(run.dir, PROBES_FILE), 'utf8').trim().split('\n').length, 3);
    assert.equal(readFileSync(join(run.dir, METRICS_FILE), 'utf8').trim().split('\n').length, 5);
    const { meta, view } = readRun(run.dir);
    assert.equal(view.runId, meta.id);
    assert.equal(view.runDir, run.dir);
    assert.deepEqual(view.events, events);
  });

  it('keeps the views apart in views.jsonl, merges them back in order, and continues after them', () => {
    const run = createRun(newRun(freshRunsDir()));
    const gradients: RunEvent = { type: 'gradients', epoch: 0, sequences: 2, loss: 0.5, layers: [{ layer: 'gru', cell: 'gru', direction: 'forward', norms: [0.1, 1] }] };
    const map: RunEvent = { type: 'representation', epoch: 0, layer: 'gru', method: 'PCA', explained: [0.5, 0.2], points: [0, 1, 1, 0] };
    const events = [batch(0), epoch(0), probes(0), gradients, map];
    for (const event of events) run.append(event);
    assert.equal(readFileSync(join(run.dir, VIEWS_FILE), 'utf8').trim().split('\n').length, 2);
    assert.deepEqual(readRun(run.dir).view.events, events);
    // A probe typed after the run (the probe process) is appended after everything else.
    const inspection: RunEvent = { type: 'inspection', id: 'q', input: 'x', weights: { kind: 'final' }, probe: { id: 'q', label: 'x', tokens: ['x'], layers: [] }, gates: [] };
    openRun(run.dir).append(inspection);
    assert.deepEqual(readRun(run.dir).view.events, [...events, inspection]);
  });

  it('tolerates a last line cut short by a killed process, in silence', () => {
    const run = createRun(newRun(freshRunsDir()));
    run.append(batch(0));
    run.append(batch(1));
    appendFileSync(join(run.dir, METRICS_FILE), '{"seq":2,"type":"batch","epoch":0,"bat');
    const { view, problems } = readRun(run.dir);
    assert.deepEqual(view.events, [batch(0), batch(1)]);
    assert.deepEqual(problems, []);
  });

  it('reports every damaged line before the last one, by file and line number', () => {
    const run = createRun(newRun(freshRunsDir()));
    run.append(batch(0));
    appendFileSync(join(run.dir, METRICS_FILE), '{"seq":1,"type":"batch","ep\n');
    appendFileSync(join(run.dir, METRICS_FILE), '{"seq":2,"type":"nonsense"}\n');
    run.append(batch(3));
    run.append(probes(0));
    appendFileSync(join(run.dir, PROBES_FILE), '{"type":"probes","epoch":1,"probes":[]}\n');
    run.append(epoch(0));
    const { view, problems } = readRun(run.dir);
    assert.deepEqual(view.events, [batch(0), batch(3), probes(0), epoch(0)]);
    assert.deepEqual(problems, [
      'metrics.jsonl line 2 is not valid JSON; its event is left out.',
      'metrics.jsonl line 3 is not a run event; its event is left out.',
      'probes.jsonl line 2 has no sequence number; its event is left out.',
    ]);
  });

  it('continues numbering after the events already stored when a run is reopened', () => {
    const run = createRun(newRun(freshRunsDir()));
    run.append(batch(0));
    run.append(probes(0));
    const reopened = openRun(run.dir);
    const crash: RunEvent = { type: 'error', kind: 'crash', message: 'The training process was killed.' };
    reopened.append(crash);
    assert.deepEqual(readRun(run.dir).view.events, [batch(0), probes(0), crash]);
  });

  it('says which file is wrong when a folder is not a run', () => {
    const dir = join(root, 'not-a-run');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'run.json'), '{ broken');
    assert.throws(() => readRun(dir), /not-a-run\/run\.json is not a Sequence Lab run record/);
  });
});

describe('endRun: the one writer of how a run ended', () => {
  it('records the first ending and keeps it against later ones', () => {
    const run = createRun(newRun(freshRunsDir()));
    const first = endRun(run.dir, { status: 'stopped', reason: 'Stopped on request.', finalMetrics: { loss: 0.4 } });
    assert.equal(first.status, 'stopped');
    assert.equal(first.reason, 'Stopped on request.');
    const second = endRun(run.dir, { status: 'failed', error: { kind: 'crash', message: 'late' } });
    assert.deepEqual(second, first);
    assert.deepEqual(readMeta(run.dir), first);
  });

  it('records the training process and its machine when the run starts', () => {
    const meta = readMeta(createRun(newRun(freshRunsDir(), { pid: 4242 })).dir);
    assert.equal(meta.pid, 4242);
    assert.equal(meta.host, hostname());
  });
});

describe('a run whose process is gone', () => {
  /** The pid of a process that has exited (and been reaped). */
  const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());

  it('is recorded as failed, with the reason, by listRuns and readRun', () => {
    const runsDir = freshRunsDir();
    const dead = createRun(newRun(runsDir, { name: 'dead', pid: deadPid() }));
    const alive = createRun(newRun(runsDir, { name: 'alive', pid: process.pid }));
    const byName = Object.fromEntries(listRuns(runsDir).map((meta) => [meta.name, meta]));
    assert.equal(byName.dead.status, 'failed');
    assert.equal(byName.dead.error?.kind, 'crash');
    assert.match(byName.dead.error?.message ?? '', /training process \(pid \d+\) ended without recording how the run ended/);
    assert.equal(readMeta(dead.dir).status, 'failed', 'written to run.json, not only shown');
    assert.equal(byName.alive.status, 'running');
    assert.equal(readRun(alive.dir).meta.status, 'running');
  });

  it('is left alone when it ran on another machine', () => {
    const run = createRun(newRun(freshRunsDir(), { pid: deadPid() }));
    writeFileSync(join(run.dir, 'run.json'), JSON.stringify({ ...readMeta(run.dir), host: `not-${hostname()}` }));
    assert.equal(readRun(run.dir).meta.status, 'running');
  });
});

describe('listRuns', () => {
  it('lists runs newest first and skips folders that are not runs', () => {
    const runsDir = freshRunsDir();
    const older = createRun(newRun(runsDir, { name: 'older', now: new Date(2026, 0, 1, 9, 0, 0) }));
    const newest = createRun(newRun(runsDir, { name: 'newest', now: new Date(2026, 5, 1, 9, 0, 0) }));
    const middle = createRun(newRun(runsDir, { name: 'middle', now: new Date(2026, 2, 1, 9, 0, 0) }));
    mkdirSync(join(runsDir, 'stray-folder'));
    mkdirSync(join(runsDir, 'broken'));
    writeFileSync(join(runsDir, 'broken', 'run.json'), '[]');
    assert.deepEqual(
      listRuns(runsDir).map((meta) => meta.id),
      [newest, middle, older].map((run) => basename(run.dir)),
    );
  });

  it('returns nothing for a runs folder that does not exist yet', () => {
    assert.deepEqual(listRuns(join(root, 'missing')), []);
  });
});

describe('slugify', () => {
  it('keeps folder names short and portable', () => {
    assert.equal(slugify('IMDB: LSTM(64) / dropout 0.2'), 'imdb-lstm-64-dropout-0-2');
    assert.equal(slugify('日本語'), 'run');
    assert.ok(slugify('x'.repeat(100)).length <= 40);
  });
});

/**
 * How a `seqlab` process ends when the world around it does: its reader closes the pipe, it is
 * sent SIGTERM or SIGHUP, its data cannot be read, its logs are damaged. Every run ends recorded
 * (stopped or failed, never `running`), and no command prints a stack trace.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { listRuns, METRICS_FILE, readMeta } from '../../src/training/runStore';
import { assertBuilt, cliPath, sentimentSpec, tempDir, writeSpec } from './worker-fixtures';

const root = tempDir('cli-lifecycle');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

function seqlab(args: string[], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh, empty folder under the test root. */
function freshDir(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits. */
function finished(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveExit) => child.on('close', (code, signal) => resolveExit({ code, signal, stdout, stderr })));
}

/** Resolves once the child has printed its first progress line (training is under way). */
function firstBatch(child: ChildProcessWithoutNullStreams): Promise<void> {
  let stderr = '';
  return new Promise((resolveProgress) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/batch \d+\/\d+/.test(stderr)) resolveProgress();
    }),
  );
}

describe('a reader that closes the pipe early (`seqlab … | head -1`)', () => {
  const specDir = freshDir('pipe');
  const brokenSpec = sentimentSpec().replace('    units: 16\n', '    unit: 16\n');

  /** Runs the CLI with a stdout whose reading end is closed before the CLI writes anything. */
  async function withClosedStdout(args: string[]): Promise<Finished> {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: specDir });
    child.stdout.destroy();
    return finished(child);
  }

  before(() => {
    writeSpec(specDir, brokenSpec, 'broken.seqlab.yaml');
    writeSpec(specDir, sentimentSpec(), 'valid.seqlab.yaml');
  });

  for (const [args, code] of [
    [['check', 'broken.seqlab.yaml'], 2],
    [['check', 'valid.seqlab.yaml'], 0],
    [['--help'], 0],
    [['--version'], 0],
    [['runs', '.'], 0],
  ] as const) {
    it(`\`seqlab ${args.join(' ')}\` keeps its exit code ${code} and prints no stack trace`, async () => {
      const result = await withClosedStdout([...args]);
      assert.equal(result.signal, null);
      assert.equal(result.code, code, result.stderr);
      assert.doesNotMatch(result.stderr, /EPIPE|\n\s+at |Error:/);
    });
  }

  it('is the same through a real shell pipe into head -1', () => {
    const result = spawnSync('bash', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} check broken.seqlab.yaml | head -1; echo "exit \${PIPESTATUS[0]}" >&2`], {
      cwd: specDir,
      encoding: 'utf8',
    });
    assert.match(result.stdout, /^broken\.seqlab\.yaml:\d+:\d+: error: /);
    assert.equal(result.stdout.split('\n').filter(Boolean).length, 1);
    assert.match(result.stderr, /exit 2\n$/);
    assert.doesNotMatch(result.stderr, /EPIPE|\n\s+at /);
  });

  it('lets training go on to the end, recorded, when only its stdout reader is gone', async () => {
    const dir = freshDir('pipe-train');
    writeSpec(dir, sentimentSpec({ samples: 200, epochs: 1 }));
    const result = await withClosedStdoutIn(dir, ['train', 'test.seqlab.yaml', '--backend', 'cpu']);
    assert.equal(result.code, 0, result.stderr);
    const [run] = listRuns(join(dir, '.seqlab', 'runs'));
    assert.equal(run.status, 'completed');
  });

  async function withClosedStdoutIn(cwd: string, args: string[]): Promise<Finished> {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd });
    child.stdout.destroy();
    return finished(child);
  }
});

describe('a training stopped by a signal', () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} to seqlab stops after the current batch, saves the model and records the run as stopped`, async () => {
      const dir = freshDir(`signal-${signal}`);
      writeSpec(dir, sentimentSpec({ samples: 1200, epochs: 50 }));
      const child = spawn(process.execPath, [cliPath, 'train', 'test.seqlab.yaml'], { cwd: dir });
      const result = finished(child);
      await firstBatch(child);
      child.kill(signal);
      const { code, stdout, stderr } = await result;

      assert.equal(code, 0, stderr);
      assert.match(stderr, new RegExp(`${signal}: Stopping after the current batch`));
      assert.match(stdout, /^Stopped in /m);
      const runDir = join(dir, '.seqlab', 'runs', listRuns(join(dir, '.seqlab', 'runs'))[0].id);
      const meta = readMeta(runDir);
      assert.equal(meta.status, 'stopped');
      assert.equal(meta.reason, 'Stopped on request.');
      assert.ok(existsSync(join(runDir, 'model', 'model.json')));
    });
  }

  it('SIGTERM to the whole process group (as `timeout` sends it) stops the run the same way', async () => {
    const dir = freshDir('signal-group');
    writeSpec(dir, sentimentSpec({ samples: 1200, epochs: 50 }));
    const child = spawn(process.execPath, [cliPath, 'train', 'test.seqlab.yaml'], { cwd: dir, detached: true });
    const result = finished(child);
    await firstBatch(child);
    process.kill(-child.pid!, 'SIGTERM');
    const { code, stderr } = await result;

    assert.equal(code, 0, stderr);
    const [run] = listRuns(join(dir, '.seqlab', 'runs'));
    assert.equal(run.status, 'stopped');
    assert.ok(existsSync(join(dir, '.seqlab', 'runs', run.id, 'model', 'model.json')));
  });

  it('a run whose processes are killed outright is listed as failed by `seqlab runs`', async () => {
    const dir = freshDir('signal-kill');
    writeSpec(dir, sentimentSpec({ samples: 1200, epochs: 50 }));
    const child = spawn(process.execPath, [cliPath, 'train', 'test.seqlab.yaml'], { cwd: dir, detached: true });
    const result = finished(child);
    await firstBatch(child);
    process.kill(-child.pid!, 'SIGKILL');
    await result;
    const runsDir = join(dir, '.seqlab', 'runs');
    const runDir = join(runsDir, readdirSync(runsDir)[0]);
    // The SIGKILLed worker is gone (or a zombie) a moment after its parent.
    for (let waited = 0; listRuns(runsDir)[0].status === 'running' && waited < 10_000; waited += 100) await delay(100);
    assert.equal(listRuns(runsDir)[0].status, 'failed');
    assert.equal(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).status, 'failed', 'recorded in run.json, not only shown');

    const listing = seqlab(['runs', dir]);
    assert.equal(listing.code, 0, listing.stderr);
    assert.match(listing.stdout, /^\S+-worker-test +failed +50 +\S+ +The training process \(pid \d+\) ended without recording/m);
  });
});

describe('a run that fails while reading its data', () => {
  it('is kept as a failed run folder with its error, listed by `seqlab runs`', () => {
    const dir = freshDir('bad-data');
    writeFileSync(join(dir, 'empty.csv'), 'text,label\n');
    writeSpec(
      dir,
      sentimentSpec({ name: 'bad data' }).replace(/data:\n {2}source: builtin:sentiment\n {2}generator:\n {4}samples: \d+\n/, 'data:\n  source: empty.csv\n  task: binary\n  max_len: 20\n'),
    );
    const result = seqlab(['train', 'test.seqlab.yaml'], dir);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^Data error: .*empty\.csv: the file has a header row but no data rows/m);
    assert.match(result.stdout, /^Run folder: +\.seqlab\/runs\/\d{8}-\d{6}-bad-data$/m);

    const [run] = listRuns(join(dir, '.seqlab', 'runs'));
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.kind, 'data');
    assert.match(run.error?.message ?? '', /empty\.csv: the file has a header row but no data rows/);
    assert.equal(run.dataHash, undefined);
    const listing = seqlab(['runs', dir]);
    assert.match(listing.stdout, new RegExp(`^${run.id} +failed +5 +\\S+ +\\S*empty\\.csv: the file has a header ro`, 'm'));
  });
});

describe('a run whose metrics.jsonl is damaged in the middle', () => {
  it('`seqlab report` says which line was left out, and so does the report', () => {
    const dir = freshDir('damaged');
    writeSpec(dir, sentimentSpec({ samples: 200, epochs: 1 }));
    const trained = seqlab(['train', 'test.seqlab.yaml', '--backend', 'cpu'], dir);
    assert.equal(trained.code, 0, trained.stderr);
    const runDir = join(dir, '.seqlab', 'runs', listRuns(join(dir, '.seqlab', 'runs'))[0].id);
    const metrics = readFileSync(join(runDir, METRICS_FILE), 'utf8').split('\n');
    metrics[3] = metrics[3].slice(0, 20);
    writeFileSync(join(runDir, METRICS_FILE), metrics.join('\n'));
    appendFileSync(join(runDir, METRICS_FILE), '{"seq":999,"type":"ba'); // a torn last line stays silent

    const report = seqlab(['report', runDir]);
    assert.equal(report.code, 0, report.stderr);
    assert.equal(report.stderr, 'seqlab: warning: metrics.jsonl line 4 is not valid JSON; its event is left out.\n');
    assert.match(readFileSync(join(runDir, 'report.html'), 'utf8'), /<li>metrics\.jsonl line 4 is not valid JSON; its event is left out\.<\/li>/);
  });
});

/**
 * How a training process can end badly: its parent vanishing (no orphan may remain), dying on its
 * own with some last words, or ignoring a stop request (killed after the grace period).
 */
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isRunEvent, PROTOCOL_VERSION } from '../../src/protocol';
import { startTraining, STOP_TIMEOUT_MS } from '../../src/training/client';
import { createRun, readMeta } from '../../src/training/runStore';
import { assertBuilt, collect, sentimentSpec, tempDir, workerPath, writeSpec } from './worker-fixtures';

const root = tempDir('lifecycle');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

/** True while `pid` runs; a zombie (exited, not yet reaped) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (isRunning(pid)) {
    if (performance.now() - start > timeoutMs) throw new Error(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((resolveLater) => setTimeout(resolveLater, 50));
  }
  return performance.now() - start;
}

/** Writes a stand-in worker script (plain JS, run by node) and returns its path. */
function stubWorker(name: string, body: string): string {
  const path = join(root, `${name}.js`);
  writeFileSync(path, body);
  return path;
}

describe('when the parent process dies', () => {
  it('the worker stops the run, records it and exits: no orphan', async () => {
    const specPath = writeSpec(root, sentimentSpec({ samples: 1200, epochs: 50 }), 'orphan.seqlab.yaml');
    // A parent that forks the real worker and is SIGKILLed (no chance to clean up) at the first batch.
    const parentScript = `
      const { fork } = require('node:child_process');
      const worker = fork(${JSON.stringify(workerPath)}, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      let runDir;
      worker.on('message', (event) => {
        if (event.type === 'run') runDir = event.runDir;
        if (event.type === 'batch') {
          process.stdout.write(JSON.stringify({ pid: worker.pid, runDir }) + '\\n', () => process.kill(process.pid, 'SIGKILL'));
        }
      });
      worker.send({ type: 'start', protocol: ${PROTOCOL_VERSION}, options: { specPath: ${JSON.stringify(specPath)}, backend: 'wasm' } });
    `;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolveExit) => parent.on('close', resolveExit));
    const { pid, runDir } = JSON.parse(output) as { pid: number; runDir: string };

    const goneAfterMs = await waitUntilGone(pid, 15_000);
    console.log(`orphaned worker exited ${goneAfterMs.toFixed(0)} ms after its parent died`);
    assert.equal(readMeta(runDir).status, 'stopped');
    assert.ok(existsSync(join(runDir, 'model', 'model.json')));
  });
});

describe('a parent speaking another protocol version', () => {
  it('gets an error instead of a worker waiting forever', async () => {
    const worker = fork(workerPath, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const messages: unknown[] = [];
    worker.on('message', (message) => messages.push(message));
    const exitCode = new Promise((resolveExit) => worker.on('exit', resolveExit));
    worker.send({ type: 'start', protocol: PROTOCOL_VERSION + 1, options: { specPath: join(root, 'a.seqlab.yaml') } });
    assert.equal(await exitCode, 1);
    assert.equal(messages.length, 1);
    assert.ok(isRunEvent(messages[0]) && messages[0].type === 'error' && messages[0].kind === 'internal');
    assert.match((messages[0] as { message: string }).message, /rebuild Sequence Lab/);
  });
});

describe('a worker that dies on its own', () => {
  it('is reported as a crash with its exit code and last output, not its stack', async () => {
    const workerPathStub = stubWorker(
      'dies',
      `process.on('message', () => {
         console.error('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
         console.error('    at someInternalFrame (worker.js:1:1)');
         process.exit(3);
       });`,
    );
    const { outcome, events } = await collect(startTraining({ specPath: join(root, 'unused.seqlab.yaml') }, { workerPath: workerPathStub }));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.runDir, undefined);
    assert.equal(outcome.error?.kind, 'crash');
    assert.match(outcome.error!.message, /exited with code 3/);
    assert.match(outcome.error!.message, /JavaScript heap out of memory/);
    assert.doesNotMatch(outcome.error!.message, /someInternalFrame/);
    assert.match(outcome.error!.detail ?? '', /someInternalFrame/, 'the full output stays available to developers');
    assert.deepEqual(events, [outcome.error]);
  });

  it('ignores messages that are not run events', async () => {
    const workerPathStub = stubWorker(
      'chatty',
      `process.on('message', () => {
         process.send({ type: 'nonsense' });
         process.send('not even an object');
         process.send({ type: 'done', status: 'completed', finalMetrics: { loss: 0.5 }, durationMs: 1 }, () => process.exit(0));
       });`,
    );
    const { outcome, events } = await collect(startTraining({ specPath: join(root, 'unused.seqlab.yaml') }, { workerPath: workerPathStub }));
    assert.deepEqual(events.map((event) => event.type), ['done']);
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(outcome.finalMetrics, { loss: 0.5 });
  });
});

describe('a worker that ignores stop', () => {
  it(`is killed ${STOP_TIMEOUT_MS / 1000} s after stop(), and its run is marked stopped`, async () => {
    const run = createRun({
      runsDir: join(root, 'stuck-runs'),
      name: 'stuck',
      specText: sentimentSpec(),
      backend: 'wasm',
      versions: { seqlab: '0', tfjs: '0', node: process.versions.node },
      seed: 1,
      dataHash: '0',
      epochs: 1,
      quick: false,
    });
    // Announces the run folder, then never reacts to anything (stop included).
    const workerPathStub = stubWorker(
      'stuck',
      `process.on('message', () => {});
       process.send({ type: 'run', runId: 'stuck', runDir: ${JSON.stringify(run.dir)}, name: 'stuck', epochs: 1,
         batchesPerEpoch: 1, batchSize: 1, quick: false, startedAt: new Date().toISOString() });
       setInterval(() => {}, 1000);`,
    );
    const job = startTraining({ specPath: join(root, 'unused.seqlab.yaml') }, { workerPath: workerPathStub });
    const collected = collect(job);
    await new Promise<void>((announced) => job.onEvent((event) => event.type === 'run' && announced()));
    const stopAt = performance.now();
    job.stop();
    const { outcome } = await collected;
    const waitedMs = performance.now() - stopAt;

    assert.equal(outcome.status, 'stopped');
    assert.match(outcome.reason ?? '', /did not stop within 10 s/);
    assert.ok(waitedMs >= STOP_TIMEOUT_MS - 50 && waitedMs < STOP_TIMEOUT_MS + 3000, `waited ${waitedMs} ms`);
    assert.equal(isRunning(job.pid!), false);
    assert.equal(readMeta(run.dir).status, 'stopped');
  });
});

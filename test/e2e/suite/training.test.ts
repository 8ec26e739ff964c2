import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { HostToWebview, RunEvent, RunEventType } from '../../../src/protocol';
import { compareRuns } from '../../../src/training/rerun';
import { extensionState, openSpec, processAlive, TINY_SPEC, waitFor } from './helpers';

/** Every event type the panels were sent for a run, live (`event`) or replayed (`reset`). */
function eventTypesSentFor(runId: string, messages: HostToWebview[]): Set<RunEventType> {
  const types = new Set<RunEventType>();
  for (const message of messages) {
    if (message.type === 'event' && message.runId === runId) types.add(message.event.type);
    if (message.type === 'events' && message.runId === runId) for (const event of message.events) types.add(event.type);
    if (message.type === 'reset' && message.view.runId === runId) for (const event of message.view.events) types.add(event.type);
  }
  return types;
}

async function jobOf(specPath: string) {
  return waitFor('the training job', async () => (await extensionState()).jobs.find((job) => job.specPath === specPath));
}

/** Opens a copy of the tiny spec, runs Train on it and waits for its job to end. */
async function trainToTheEnd(name: string) {
  const editor = await openSpec(name, TINY_SPEC);
  const specPath = editor.document.uri.fsPath;
  await vscode.commands.executeCommand('sequenceLab.train', editor.document.uri);
  return waitFor(
    'the run to finish',
    async () => (await extensionState()).jobs.find((job) => job.specPath === specPath && job.status !== 'running'),
    150_000,
  );
}

describe('training from the editor', function () {
  this.timeout(180_000);

  it('Train writes a completed run and streams batch, epoch and probe events to the panel', async () => {
    const finished = await trainToTheEnd('train');
    assert.equal(finished.status, 'completed');
    const meta = JSON.parse(readFileSync(join(finished.runDir, 'run.json'), 'utf8')) as { status: string };
    assert.equal(meta.status, 'completed');
    // The panel asks for the run once its script runs; the events reach it live or in that reset.
    const types = await waitFor('the panel to receive the run', async () => {
      const sent = eventTypesSentFor(finished.runId, (await extensionState()).panelMessages);
      return ['batch', 'epoch', 'probes', 'done'].every((type) => sent.has(type as RunEventType)) ? sent : undefined;
    });
    assert.ok(types.has('model'));
  });

  it('Stop ends the worker process and marks the run stopped', async () => {
    const editor = await openSpec('stop', TINY_SPEC.replace('samples: 256', 'samples: 4096').replace('epochs: 2', 'epochs: 50'));
    const specPath = editor.document.uri.fsPath;
    const trainedAt = Date.now();
    await vscode.commands.executeCommand('sequenceLab.train', editor.document.uri);
    const started = await waitFor(
      'the first batch',
      async () => {
        const job = (await extensionState()).jobs.find((candidate) => candidate.specPath === specPath);
        return job && job.batches > 0 ? job : undefined;
      },
      120_000,
    );
    console.log(`      (Train to the first batch in the extension host: ${Date.now() - trainedAt} ms)`);
    assert.ok(started.pid && processAlive(started.pid));
    await vscode.commands.executeCommand('sequenceLab.stop', editor.document.uri);
    const stopped = await waitFor('the job to stop', async () => {
      const job = await jobOf(specPath);
      return job.status !== 'running' ? job : undefined;
    });
    assert.equal(stopped.status, 'stopped');
    await waitFor('the worker process to exit', () => (processAlive(started.pid as number) ? undefined : true), 15_000);
    const meta = JSON.parse(readFileSync(join(stopped.runDir, 'run.json'), 'utf8')) as { status: string };
    assert.equal(meta.status, 'stopped');
  });
});

describe('Re-run…', function () {
  this.timeout(300_000);

  it('trains a completed run again into its runs folder and reproduces it bit for bit', async () => {
    const original = await trainToTheEnd('rerun');
    assert.equal(original.status, 'completed');
    await vscode.commands.executeCommand('sequenceLab.rerun', original.runDir);
    const runsDir = dirname(original.runDir);
    const rerunId = readdirSync(runsDir).find((id) => id !== basename(original.runDir));
    assert.ok(rerunId, 'a second run folder beside the first');
    const rerunDir = join(runsDir, rerunId);
    assert.deepEqual(compareRuns(original.runDir, rerunDir).differences, []);
    const meta = JSON.parse(readFileSync(join(rerunDir, 'run.json'), 'utf8')) as { status: string; rerunOf: string; finalMetrics: object };
    assert.equal(meta.status, 'completed');
    assert.equal(meta.rerunOf, original.runId);
    const originalMeta = JSON.parse(readFileSync(join(original.runDir, 'run.json'), 'utf8')) as { finalMetrics: object };
    assert.deepEqual(meta.finalMetrics, originalMeta.finalMetrics);
    assert.deepEqual(readFileSync(join(rerunDir, 'model', 'weights.bin')), readFileSync(join(original.runDir, 'model', 'weights.bin')));
  });
});

describe('runs reopened from the run store', function () {
  this.timeout(180_000);

  it('show exactly the events the live panel was sent', async () => {
    const finished = await trainToTheEnd('reopen');
    const live = await waitFor('the panel to receive the whole run', async () => {
      const events = eventsSentFor(finished.runId, (await extensionState()).panelMessages);
      return events.some((event) => event.type === 'done') ? events : undefined;
    });
    // The worker finishes its folder after its last event: copy it once the process has exited.
    await waitFor('the worker to exit', () => (finished.pid && processAlive(finished.pid) ? undefined : true));
    // A copy of the folder is a run this session never trained: the panel must read it from disk.
    const copy = join(mkdtempSync(join(tmpdir(), 'seqlab-copy-')), finished.runId);
    cpSync(finished.runDir, copy, { recursive: true });
    await vscode.commands.executeCommand('sequenceLab.openRun', copy);
    const stored = await waitFor('the reopened run in a panel', async () =>
      (await extensionState()).panelMessages.find(
        (message): message is Extract<HostToWebview, { type: 'reset' }> => message.type === 'reset' && message.view.runDir === copy,
      ),
    );
    assert.deepEqual(stored.view.events, live);
  });
});

/** The run as the panels were sent it: the latest `reset` for it, then the events after that reset. */
function eventsSentFor(runId: string, messages: HostToWebview[]): RunEvent[] {
  let events: RunEvent[] = [];
  for (const message of messages) {
    if (message.type === 'reset' && message.view.runId === runId) events = [...message.view.events];
    if (message.type === 'event' && message.runId === runId) events.push(message.event);
    if (message.type === 'events' && message.runId === runId) events.push(...message.events);
  }
  return events;
}

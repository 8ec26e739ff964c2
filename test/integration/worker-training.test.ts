/**
 * The real built worker (dist/worker.js) driven through the client: a run that learns, a stop
 * mid-epoch, a worker killed mid-run, and a spec error.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BatchEvent, EpochEvent, ModelEvent, RunEvent, RunStartedEvent } from '../../src/protocol';
import { startTraining } from '../../src/training/client';
import { readMeta, readRun } from '../../src/training/runStore';
import { assertBuilt, collect, sentimentSpec, tempDir, waitForEvent, workerPath, writeSpec } from './worker-fixtures';

const root = tempDir('worker');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

const ofType =
  <K extends RunEvent['type']>(type: K) =>
  (event: RunEvent): event is Extract<RunEvent, { type: K }> =>
    event.type === type;

describe('a run that completes', () => {
  /** Threshold: an untrained binary classifier sits at ln 2 = 0.693; this model gets far below. */
  const LOSS_THRESHOLD = 0.4;
  const dir = join(root, 'complete');
  let run: Awaited<ReturnType<typeof collect>>;

  before(async () => {
    const specPath = writeSpec(tempDirIn(dir), sentimentSpec());
    run = await collect(startTraining({ specPath, backend: 'wasm', threads: 2 }, { workerPath }));
  });

  it('completes and reports events in protocol order', () => {
    assert.equal(run.outcome.status, 'completed', JSON.stringify(run.outcome.error));
    const order = [...new Set(run.events.map((event) => event.type))];
    assert.deepEqual(order.slice(0, 4), ['hello', 'run', 'data', 'model']);
    assert.equal(run.events.at(-1)?.type, 'done');
    const hello = run.events.find(ofType('hello'));
    assert.equal(hello?.backend, 'wasm');
    assert.equal(hello?.threads, 2, 'TrainOptions.threads caps the recurrent kernel');
    assert.equal(hello?.recurrent, 'wasm-kernel');
  });

  it(`learns: the final training loss is below ${LOSS_THRESHOLD}`, () => {
    const epochs = run.events.filter(ofType('epoch'));
    assert.equal(epochs.length, 5);
    const first = epochs[0].train.loss;
    const last = epochs.at(-1)!.train.loss;
    assert.ok(last < LOSS_THRESHOLD, `final loss ${last} (first epoch ${first})`);
    assert.ok(last < first, `loss did not fall: ${first} -> ${last}`);
    assert.equal(run.outcome.finalMetrics.loss, last);
  });

  it('records run.json completed, batch and epoch events, probes and the spec snapshot', () => {
    const runDir = run.outcome.runDir!;
    const meta = readMeta(runDir);
    assert.equal(meta.status, 'completed');
    assert.equal(meta.backend, 'wasm');
    assert.deepEqual([meta.threads, meta.recurrent], [2, 'wasm-kernel']);
    assert.equal(meta.epochs, 5);
    assert.deepEqual(meta.finalMetrics, run.outcome.finalMetrics);
    assert.equal(readFileSync(join(runDir, 'spec.seqlab.yaml'), 'utf8'), sentimentSpec());
    const { view } = readRun(runDir);
    assert.deepEqual(view.events, run.events, 'the run folder replays exactly what the parent saw');
    const started = run.events.find(ofType('run')) as RunStartedEvent;
    assert.equal(run.events.filter(ofType('batch')).length, started.batchesPerEpoch * 5);
    assert.equal(run.events.filter(ofType('probes')).length, 6, 'one snapshot before training, one per epoch');
    // The baselines are kept with the run, once, right after the model.
    const stored = view.events.filter(ofType('baselines'));
    assert.equal(stored.length, 1);
    assert.equal(view.events[view.events.indexOf(stored[0]) - 1]?.type, 'model');
    assert.deepEqual(stored[0].baselines.map((baseline) => `${baseline.name}:${baseline.metric}`), [
      'majority class:accuracy',
      'class frequencies:loss',
      'majority class:val_accuracy',
      'class frequencies:val_loss',
    ]);
  });

  it('saves a model that tf.loadLayersModel loads, with the trained parameter count', async () => {
    const modelDir = join(run.outcome.runDir!, 'model');
    const modelJson = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
    const weights = readFileSync(join(modelDir, modelJson.weightsManifest[0].paths[0]));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
    const summary = (run.events.find(ofType('model')) as ModelEvent).summary;
    assert.equal(model.countParams(), summary.totalParams);
    model.dispose();
  });
});

describe('stopping a run', () => {
  it('stops mid-epoch at the next batch boundary and leaves a consistent run folder', async () => {
    // 4,000 samples: 94 batches an epoch, so stopping at batch 5 is far from the epoch's end.
    const specPath = writeSpec(tempDirIn(join(root, 'stop')), sentimentSpec({ samples: 4000, epochs: 50 }));
    const job = startTraining({ specPath, backend: 'wasm' }, { workerPath });
    const collected = collect(job);
    const batch = await waitForEvent(job, (event): event is BatchEvent => event.type === 'batch' && event.batch === 5);
    const stopAt = performance.now();
    let batchesAfterStop = 0;
    job.onEvent((event) => {
      if (event.type === 'batch') batchesAfterStop += 1;
    });
    job.stop();
    const { outcome, events } = await collected;
    const stopMs = performance.now() - stopAt;
    console.log(`stop took ${stopMs.toFixed(0)} ms (incl. saving the model), ${batchesAfterStop} batch(es) after stop()`);

    assert.equal(outcome.status, 'stopped');
    assert.equal(batch.epoch, 0);
    // The worker checks for stop after every batch. Seen from here, the batches that finished while
    // batch 5's event and the stop message crossed the pipe still arrive; with batches of a few
    // milliseconds that can be several, so the bound is the epoch's rest, never run.
    assert.equal(events.filter(ofType('epoch')).length, 0, `stopped mid-epoch (${batchesAfterStop} batches after stop()), before the first epoch ended`);
    assert.ok(stopMs < 5000, `stop took ${stopMs} ms`);
    const meta = readMeta(outcome.runDir!);
    assert.equal(meta.status, 'stopped');
    assert.ok(meta.endedAt);
    assert.ok(existsSync(join(outcome.runDir!, 'model', 'model.json')), 'the model is saved when stopping');
    assert.deepEqual(readRun(outcome.runDir!).view.events, events);
  });
});

describe('probing a live run', () => {
  it('answers with the latest epoch\'s weights, records the probe with the run, and leaves training as it would have been', async () => {
    const spec = sentimentSpec({ epochs: 3 });
    const probed = startTraining({ specPath: writeSpec(tempDirIn(join(root, 'probe-live')), spec), backend: 'wasm' }, { workerPath });
    const collected = collect(probed);
    await waitForEvent(probed, (event): event is EpochEvent => event.type === 'epoch' && event.epoch === 0);
    await probed.probe('q1', 'the film was not good at all');
    await probed.probe('q2', 'a wonderful , moving film');
    const { events, outcome } = await collected;
    const inspections = events.filter(ofType('inspection'));
    assert.deepEqual(inspections.map((i) => i.id), ['q1', 'q2']);
    const [first] = inspections;
    assert.equal(first.weights.kind, 'epoch');
    assert.ok(first.weights.kind === 'epoch' && first.weights.epoch >= 0, 'weights of a finished epoch');
    assert.match(first.probe.summary?.text ?? '', /· \d+\.\d%$/);
    assert.deepEqual(first.probe.tokens.filter((t) => t !== ''), ['the', 'film', 'was', 'not', 'good', 'at', '<OOV>']); // 'all' is not in the generated reviews' vocabulary
    assert.deepEqual(first.gates[0].gates.map((g) => g.gate), ['update', 'reset', 'candidate']);
    assert.equal(first.attribution?.scores.length, first.probe.tokens.length);
    assert.deepEqual(readRun(outcome.runDir!).view.events.filter(ofType('inspection')), inspections);

    // The same seeded run without probes ends with exactly the same metrics: probes never touch training.
    const plain = await collect(startTraining({ specPath: writeSpec(tempDirIn(join(root, 'probe-none')), spec), backend: 'wasm' }, { workerPath }));
    assert.deepEqual(plain.outcome.finalMetrics, outcome.finalMetrics);
    await assert.rejects(probed.probe('q3', 'too late'), /run has ended/);
  });
});

describe('a worker killed mid-run', () => {
  it('is reported as a crash, with run.json failed and its metrics kept', async () => {
    const specPath = writeSpec(tempDirIn(join(root, 'kill')), sentimentSpec({ samples: 1200, epochs: 50 }));
    const job = startTraining({ specPath, backend: 'wasm' }, { workerPath });
    const collected = collect(job);
    await waitForEvent(job, (event): event is EpochEvent => event.type === 'epoch');
    process.kill(job.pid!, 'SIGKILL');
    const { outcome, events } = await collected;

    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error?.kind, 'crash');
    assert.match(outcome.error!.message, /killed \(SIGKILL/);
    assert.deepEqual(events.at(-1), outcome.error, 'listeners hear about the crash too');
    const meta = readMeta(outcome.runDir!);
    assert.equal(meta.status, 'failed');
    assert.equal(meta.error?.kind, 'crash');
    const stored = readRun(outcome.runDir!).view.events;
    assert.ok(stored.filter(ofType('batch')).length > 0, 'batch events survive the crash');
    assert.ok(stored.filter(ofType('epoch')).length >= 1, 'epoch events survive the crash');
    assert.equal(stored.at(-1)?.type, 'error');
  });
});

describe('a spec with errors', () => {
  it('fails with kind "spec", the formatted diagnostics, and no run folder', async () => {
    const dir = tempDirIn(join(root, 'spec-error'));
    const broken = sentimentSpec().replace('  - type: gru\n    units: 16\n', '  - type: gru\n    unit: 16\n');
    const specPath = writeSpec(dir, broken);
    const runsDir = join(dir, 'runs');
    const { outcome, events } = await collect(startTraining({ specPath, runsDir }, { workerPath }));

    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error?.kind, 'spec');
    assert.match(outcome.error!.message, /test\.seqlab\.yaml:\d+:\d+: error: /);
    assert.equal(outcome.runDir, undefined);
    assert.equal(existsSync(runsDir), false, 'no run folder for a spec that cannot train');
    assert.deepEqual(
      events.map((event) => event.type),
      ['error'],
    );
  });
});

/** A fresh, empty folder for one test's spec (and, by default, its `.seqlab/runs`). */
function tempDirIn(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

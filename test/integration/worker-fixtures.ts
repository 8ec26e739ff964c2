/**
 * Shared by the worker and CLI integration tests: the built worker/CLI paths, small specs on
 * built-in data (no ../shared, no network), and a helper collecting a job's events.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunEvent } from '../../src/protocol';
import type { RunOutcome, TrainingJob } from '../../src/training/client';

export const repoRoot = resolve(__dirname, '../..');
export const workerPath = join(repoRoot, 'dist/worker.js');
export const cliPath = join(repoRoot, 'dist/cli.js');

/** `npm run test:integration` builds first; running a file alone needs `npm run build`. */
export function assertBuilt(): void {
  for (const file of [workerPath, cliPath]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the integration tests.`);
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `seqlab-${prefix}-`));
}

/**
 * A tiny sentiment model on the built-in generator: its loss falls from ln 2 = 0.69 to about 0.25
 * in 5 epochs (about 20 s on 2 busy cores).
 * `samples` and `epochs` scale it up for the tests that need a run to still be going.
 */
export function sentimentSpec(options: { name?: string; samples?: number; epochs?: number; batchSize?: number } = {}): string {
  return `name: ${options.name ?? 'worker test'}
data:
  source: builtin:sentiment
  generator:
    samples: ${options.samples ?? 800}
  validation: 0.25
  seed: 7
model:
  - type: embedding
    output_dim: 16
  - type: gru
    units: 16
  - type: dense
    units: 1
    activation: sigmoid
train:
  optimizer: adam
  learning_rate: 0.04
  loss: binary_crossentropy
  metrics: [accuracy]
  epochs: ${options.epochs ?? 5}
  batch_size: ${options.batchSize ?? 32}
inspect:
  probes:
    - text: the film was not good
    - index: 0
`;
}

/** Writes `text` as `<dir>/<file>` and returns its path. */
export function writeSpec(dir: string, text: string, file = 'test.seqlab.yaml'): string {
  const path = join(dir, file);
  writeFileSync(path, text);
  return path;
}

export interface CollectedRun {
  events: RunEvent[];
  outcome: RunOutcome;
}

/** Records every event of `job` until it ends. */
export async function collect(job: TrainingJob): Promise<CollectedRun> {
  const events: RunEvent[] = [];
  job.onEvent((event) => events.push(event));
  return { events, outcome: await job.done };
}

/** Resolves with the first event matching `predicate`. */
export function waitForEvent<T extends RunEvent>(job: TrainingJob, predicate: (event: RunEvent) => event is T): Promise<T> {
  return new Promise((resolveEvent) => {
    const subscription = job.onEvent((event) => {
      if (predicate(event)) {
        subscription.dispose();
        resolveEvent(event);
      }
    });
  });
}

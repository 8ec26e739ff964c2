/**
 * The training child process (bundled to dist/worker.js, forked by client.ts). The only process
 * that loads TensorFlow.js. It receives one `start` command, reports every step as a RunEvent to
 * its parent AND to the run store (so nothing logged is lost if it dies), and exits when done:
 * 0 when the run completed or was stopped, 1 when it failed.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { version as seqlabVersion } from '../../package.json';
import { prepareData } from '../data/prepare';
import { DataError } from '../data/types';
import { initBackend } from '../model/backend';
import { kernelThreads } from '../model/recurrentKernel';
import { saveModel } from '../model/save';
import {
  isWorkerCommand,
  PROTOCOL_VERSION,
  type ErrorEvent,
  type ErrorKind,
  type InspectionEvent,
  type ProbeFailedMessage,
  type RunEvent,
  type RunStartedEvent,
  type TrainOptions,
} from '../protocol';
import { checkSpec } from '../language/check';
import { formatDiagnostic } from '../language/format';
import { NumericError, SettingsError } from './errors';
import { createRun, defaultRunsDir, type RunRecorder } from './runStore';
import { train } from './trainer';

/** A quick preview trains at most this many epochs unless the caller asks for a number. */
const QUICK_PREVIEW_EPOCHS = 2;
/**
 * After the parent disappears, how long the run may take to stop (finish its batch, save the
 * model) before the process exits anyway. A seed-sized IMDB LSTM batch takes about 0.14 s of CPU
 * (64 samples at 470 per CPU-second: npm run bench, 2026-12-01); the bound leaves room for a busy
 * machine, a large model and the save.
 */
const ORPHAN_GRACE_MS = 15_000;
/** Signals that ask a run to stop like Ctrl-C does. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** An error whose message is already a sentence for the user, tagged with its ErrorEvent kind. */
class RunFailure extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * Sends events to the parent and appends them to the run folder. Events emitted before the run
 * folder exists (hello, ...) are kept and written first once it does.
 */
class EventSink {
  private readonly pending: RunEvent[] = [];
  private run: RunRecorder | undefined;
  private lastDelivery: Promise<void> = Promise.resolve();

  /** `keep: false` sends `event` to the parent only (a probe beyond the run's cap of kept probes). */
  emit(event: RunEvent, keep = true): void {
    // Disk first: whatever the parent has seen is also in the run folder.
    if (keep) {
      if (this.run) this.run.append(event);
      else this.pending.push(event);
    }
    const send = process.send?.bind(process);
    if (send && process.connected) {
      // IPC preserves order, so the last message's callback means everything before it left too.
      this.lastDelivery = new Promise((delivered) => send(event, undefined, {}, () => delivered()));
    }
  }

  attach(run: RunRecorder): void {
    this.run = run;
    for (const event of this.pending.splice(0)) run.append(event);
  }

  get recorder(): RunRecorder | undefined {
    return this.run;
  }

  /** Resolves once every event sent so far has been handed to the IPC channel. */
  delivered(): Promise<void> {
    return this.lastDelivery;
  }
}

class TrainingSession {
  private readonly sink = new EventSink();
  private readonly abort = new AbortController();
  private stopRequested = false;
  /** The `run` event, once the run folder exists; sent when the data is read, or when the run ends before. */
  private announcement: RunStartedEvent | undefined;

  /** Answers probes typed during training; set by the trainer once the model exists. */
  private probe: ((id: string, raw: string) => InspectionEvent) | undefined;

  requestStop(): void {
    this.stopRequested = true;
    this.abort.abort();
  }

  /**
   * A probe typed in the panel while training runs. The message arrives between two batches (the
   * trainer yields after each), runs on the latest epoch's weights in a twin model, and is recorded
   * with the run like every event; a probe that cannot run gets a ProbeFailedMessage instead.
   */
  answerProbe(requestId: string, text: string): void {
    const fail = (message: string): void => {
      const failure: ProbeFailedMessage = { type: 'probeFailed', requestId, message };
      process.send?.(failure, undefined, {}, () => undefined);
    };
    if (!this.probe) return fail('The model is not built yet: probe again once the first batch has run.');
    try {
      const event = this.probe(requestId, text);
      this.sink.emit(event, !event.notKept);
    } catch (error) {
      fail(error instanceof DataError ? `Cannot probe this input: ${error.message}` : `The probe failed: ${(error as Error).message}`);
    }
  }

  /** For an exit that cannot wait for the run to stop: never leave run.json saying `running`. */
  markStoppedIfRunning(reason: string): void {
    this.sink.recorder?.finish({ status: 'stopped', reason });
  }

  /** Runs the whole job; resolves with the process exit code once the parent has every event. */
  async run(options: TrainOptions): Promise<number> {
    const startedMs = Date.now();
    let exitCode = 0;
    try {
      await this.train(options, startedMs);
    } catch (error) {
      const event = toErrorEvent(error);
      this.announce(0);
      // run.json first: whoever reacts to the final event finds the run already marked.
      this.sink.recorder?.finish({ status: 'failed', error: { kind: event.kind, message: event.message } });
      this.sink.emit(event);
      exitCode = 1;
    }
    await this.sink.delivered();
    return exitCode;
  }

  private async train(options: TrainOptions, startedMs: number): Promise<void> {
    const specPath = resolve(options.specPath);
    const specText = options.specText ?? readSpecText(specPath);
    const check = checkSpec(specText, { specPath });
    const errors = check.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || !check.spec) {
      const lines = errors.map((d) => formatDiagnostic(displayPath(specPath), d));
      throw new RunFailure('spec', `The spec has ${plural(errors.length, 'error')}; fix ${errors.length === 1 ? 'it' : 'them'} and train again:\n${lines.join('\n')}`);
    }
    const spec = check.spec;

    const backend = await initBackend(options.backend ?? 'auto', __dirname, options.threads !== undefined ? { threads: options.threads } : {}).catch((error: unknown) => {
      throw new RunFailure(
        'backend',
        `TensorFlow.js could not start a backend: ${(error as Error).message} Choose another backend (auto, wasm or cpu).`,
        (error as Error).stack,
      );
    });
    const versions = { seqlab: seqlabVersion, tfjs: backend.tfjsVersion, node: process.versions.node };
    this.sink.emit({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      backend: backend.backend,
      versions,
      ...(backend.note ? { backendNote: backend.note } : {}),
      threads: backend.threads,
      recurrent: backend.recurrent,
    });

    // The run folder exists before the data is read, so a run that fails reading it is in the history.
    const quick = options.quick ?? false;
    const epochs = options.epochs ?? (quick ? Math.min(spec.train.epochs, QUICK_PREVIEW_EPOCHS) : spec.train.epochs);
    const run = createRun({
      runsDir: options.runsDir ?? defaultRunsDir(dirname(specPath)),
      name: spec.name,
      specText,
      backend: backend.backend,
      recurrent: backend.recurrent,
      versions,
      seed: spec.data.seed,
      epochs,
      quick,
      specPath,
      ...(quick ? { previewExamples: options.previewExamples } : {}),
      maxProbes: options.maxProbes,
      rerunOf: options.rerunOf,
      threads: kernelThreads(),
    });
    this.sink.attach(run);
    const meta = run.meta();
    this.announcement = {
      type: 'run',
      runId: meta.id,
      runDir: run.dir,
      name: spec.name,
      epochs,
      batchesPerEpoch: 0,
      batchSize: spec.train.batch_size,
      quick,
      startedAt: meta.startedAt,
      ...(spec.description ? { description: spec.description } : {}),
    };

    const data = await prepareData(spec, {
      specDir: dirname(specPath),
      quick,
      previewExamples: options.previewExamples,
      signal: this.abort.signal,
    }).catch((error: unknown) => {
      // Aborting the data preparation is how a stop during loading takes effect.
      if (this.stopRequested) return undefined;
      throw error;
    });
    if (!data || this.stopRequested) {
      const reason = 'Stopped before training started.';
      this.announce(0);
      run.finish({ status: 'stopped', reason });
      this.sink.emit({ type: 'done', status: 'stopped', finalMetrics: {}, durationMs: Date.now() - startedMs, reason });
      return;
    }
    run.update({ dataHash: data.hash });
    this.announce(Math.ceil(data.train.count / spec.train.batch_size));
    this.sink.emit({ type: 'data', stats: data.stats });

    const result = await train({
      spec,
      data,
      epochs,
      emit: (event) => this.sink.emit(event),
      shouldStop: () => this.stopRequested,
      ...(options.maxProbes !== undefined ? { maxProbes: options.maxProbes } : {}),
      ...(options.views ? { views: options.views } : {}),
      attachProbe: (probe) => (this.probe = probe),
    });
    this.probe = undefined; // the inspector is gone; a finished run's probes are the probe process's
    const modelPath = await saveModel(result.model, run.modelDir, data.preprocessing);
    result.model.dispose();
    run.finish({ status: result.status, finalMetrics: result.finalMetrics, ...(result.reason ? { reason: result.reason } : {}) });
    this.sink.emit({
      type: 'done',
      status: result.status,
      finalMetrics: result.finalMetrics,
      durationMs: Date.now() - startedMs,
      modelPath,
      ...(result.reason ? { reason: result.reason } : {}),
    });
  }

  /**
   * Sends the `run` event once, when the run folder exists: with the batches per epoch once the
   * data is read, or 0 when the run ends before that (failed or stopped while reading its data).
   */
  private announce(batchesPerEpoch: number): void {
    if (!this.announcement) return;
    this.sink.emit({ ...this.announcement, batchesPerEpoch });
    this.announcement = undefined;
  }
}

function readSpecText(specPath: string): string {
  try {
    return readFileSync(specPath, 'utf8');
  } catch (error) {
    throw new RunFailure('spec', `Cannot read the spec file ${specPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

function toErrorEvent(error: unknown): ErrorEvent {
  if (error instanceof RunFailure) return errorEvent(error.kind, error.message, error.detail);
  if (error instanceof DataError) return errorEvent('data', error.message, error.stack);
  if (error instanceof NumericError) return errorEvent('numeric', error.message, error.stack);
  if (error instanceof SettingsError) return errorEvent('spec', error.message, error.stack);
  const raw = error instanceof Error ? error : new Error(String(error));
  return errorEvent(
    'internal',
    `Training failed unexpectedly: ${raw.message}. This is a bug in Sequence Lab; the run folder keeps everything logged so far.`,
    raw.stack,
  );
}

function errorEvent(kind: ErrorKind, message: string, detail: string | undefined): ErrorEvent {
  return { type: 'error', kind, message, ...(detail ? { detail } : {}) };
}

/** Relative to the working folder when inside it (the CLI's user typed it so), else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function main(): void {
  const session = new TrainingSession();
  let started = false;
  process.on('message', (message: unknown) => {
    if (!isWorkerCommand(message)) {
      if (started) return console.error(`seqlab worker: ignoring an unknown command: ${JSON.stringify(message)}`);
      // Most likely a parent from another build: fail loudly rather than leave it waiting.
      started = true;
      const refusal = errorEvent(
        'internal',
        `The training worker (protocol ${PROTOCOL_VERSION}) cannot understand its start command; rebuild Sequence Lab (\`npm run build\`) so the worker and its caller match.`,
        JSON.stringify(message),
      );
      process.send?.(refusal, undefined, {}, () => process.exit(1));
      return;
    }
    if (message.type === 'stop') return session.requestStop();
    if (message.type === 'probe') return session.answerProbe(message.requestId, message.text);
    if (started) return;
    started = true;
    void session.run(message.options).then((exitCode) => process.exit(exitCode));
  });
  // No orphans: when the parent goes away, stop the run (it is then recorded as stopped) and exit.
  process.on('disconnect', () => {
    session.requestStop();
    if (!started) process.exit(0);
    setTimeout(() => {
      session.markStoppedIfRunning('Stopped: the process that started the run went away, and the run did not stop in time.');
      process.exit(0);
    }, ORPHAN_GRACE_MS).unref();
  });
  // Ctrl-C in a terminal reaches the worker too (same process group), and so do the SIGTERM of
  // `timeout` or `kill` and the SIGHUP of a closed terminal: each is the stop request the parent is
  // sending anyway, so the run ends after its batch instead of dying mid-write. A second signal
  // ends the process at once, the run recorded as stopped.
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals === 1) return session.requestStop();
    session.markStoppedIfRunning(`Stopped by ${signal} before the model was saved.`);
    process.exit(0);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

main();

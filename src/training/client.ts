/**
 * The parent side of training, shared by the CLI and the extension host: forks the worker process,
 * relays its events, and turns any way it can end (done, reported error, crash, kill) into one
 * RunOutcome. Never loads TensorFlow.js: a crash in training cannot take the parent down.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  isProbeFailedMessage,
  isRunEvent,
  PROTOCOL_VERSION,
  type DoneEvent,
  type ErrorEvent,
  type Metrics,
  type RunEvent,
  type TrainOptions,
  type WorkerCommand,
} from '../protocol';
import { endRun, openRun, readMeta, type RunEnding } from './runStore';

/** How long `stop()` waits for the worker to finish its batch and save before killing it. */
export const STOP_TIMEOUT_MS = 10_000;
/** Lines of the worker's stdout/stderr kept to explain a crash. */
const OUTPUT_TAIL_LINES = 12;

export interface RunOutcome {
  status: 'completed' | 'stopped' | 'failed';
  /** Absent when the run ended before its folder was created (spec, backend or data errors). */
  runDir?: string;
  finalMetrics: Metrics;
  error?: ErrorEvent;
  /** Why a run stopped early (early stopping, a stop request, a kill). */
  reason?: string;
}

export interface TrainingJob {
  readonly pid: number | undefined;
  /** Every event from the worker, validated, in order; plus a `crash` error if it dies. */
  onEvent(listener: (event: RunEvent) => void): { dispose(): void };
  /** Asks the worker to stop after the current batch; kills it if it is still alive 10 s later. */
  stop(): void;
  /** Ends the worker at once (its run folder keeps what was logged, marked stopped). */
  kill(): void;
  /**
   * Runs `text` through the model with its latest epoch's weights. Resolves once the worker has
   * sent the `inspection` event (it reaches `onEvent` listeners like every event); rejects with a
   * sentence for the user when the probe cannot run or the worker ends first.
   */
  probe(requestId: string, text: string): Promise<void>;
  readonly done: Promise<RunOutcome>;
}

/** `workerPath` defaults to the worker.js bundled next to the calling bundle (dist/). */
export function startTraining(options: TrainOptions, hooks: { workerPath?: string } = {}): TrainingJob {
  const workerPath = hooks.workerPath ?? join(__dirname, 'worker.js');
  if (!existsSync(workerPath)) {
    throw new Error(`The training worker is missing at ${workerPath}; run \`npm run build\` first.`);
  }
  return new WorkerJob(options, workerPath);
}

class WorkerJob implements TrainingJob {
  readonly done: Promise<RunOutcome>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly outputTail: string[] = [];
  private runDir: string | undefined;
  private doneEvent: DoneEvent | undefined;
  private errorEvent: ErrorEvent | undefined;
  private stopRequested = false;
  /** Set when the worker was killed on purpose, saying why. */
  private killReason: string | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private exited = false;
  /** Probes sent to the worker, by request id, until their inspection or failure arrives. */
  private readonly probes = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(options: TrainOptions, workerPath: string) {
    this.child = fork(workerPath, [], {
      // Piped so a crash can be explained with the worker's last words; JSON serialization keeps
      // every message a plain, validated object.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      // The parent may run under a TypeScript loader (tests); the bundled worker needs none.
      execArgv: [],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.keepOutput(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.keepOutput(chunk));
    this.child.on('message', (message: unknown) => this.receive(message));
    this.done = new Promise((resolveOutcome) => {
      let spawnError: Error | undefined;
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) spawnError = error;
      });
      // 'close' comes after 'exit' once stdio and the IPC channel are drained: no event is lost.
      this.child.on('close', (code, signal) => {
        this.exited = true;
        clearTimeout(this.killTimer);
        for (const requestId of [...this.probes.keys()]) this.settleProbe(requestId, new Error('The run ended before the probe ran: probe its saved model instead.'));
        resolveOutcome(this.outcome(code, signal, spawnError));
      });
    });
    this.send({ type: 'start', protocol: PROTOCOL_VERSION, options });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onEvent(listener: (event: RunEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  stop(): void {
    if (this.exited || this.stopRequested) return;
    this.stopRequested = true;
    this.send({ type: 'stop' });
    this.killTimer = setTimeout(
      () => this.terminate(`Killed: it did not stop within ${STOP_TIMEOUT_MS / 1000} s.`),
      STOP_TIMEOUT_MS,
    );
  }

  kill(): void {
    this.terminate('Killed on request.');
  }

  private terminate(reason: string): void {
    if (this.exited || this.killReason) return;
    this.killReason = reason;
    this.child.kill('SIGKILL');
  }

  private send(command: WorkerCommand): void {
    // A worker that just died cannot take the command; 'close' then reports why it is gone.
    if (this.child.connected) this.child.send(command, () => undefined);
  }

  probe(requestId: string, text: string): Promise<void> {
    if (this.exited || !this.child.connected) return Promise.reject(new Error('The run has ended: probe its saved model instead.'));
    return new Promise((resolve, reject) => {
      this.probes.set(requestId, { resolve, reject });
      this.send({ type: 'probe', requestId, text });
    });
  }

  private receive(message: unknown): void {
    if (isProbeFailedMessage(message)) return this.settleProbe(message.requestId, new Error(message.message));
    if (!isRunEvent(message)) return;
    if (message.type === 'inspection') this.settleProbe(message.id);
    if (message.type === 'run') this.runDir = message.runDir;
    if (message.type === 'done') this.doneEvent = message;
    if (message.type === 'error') this.errorEvent = message;
    this.emit(message);
  }

  private emit(event: RunEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private settleProbe(requestId: string, error?: Error): void {
    const pending = this.probes.get(requestId);
    this.probes.delete(requestId);
    if (error) pending?.reject(error);
    else pending?.resolve();
  }

  private keepOutput(chunk: Buffer): void {
    this.outputTail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    this.outputTail.splice(0, Math.max(0, this.outputTail.length - OUTPUT_TAIL_LINES));
  }

  private outcome(code: number | null, signal: NodeJS.Signals | null, spawnError: Error | undefined): RunOutcome {
    const runDir = this.runDir;
    const where = runDir ? { runDir } : {};
    if (this.doneEvent) {
      const { status, finalMetrics, reason } = this.doneEvent;
      return { status, ...where, finalMetrics, ...(reason ? { reason } : {}) };
    }
    if (this.errorEvent) {
      // The worker reported its failure but may have died before marking the run.
      this.recordEnding({ status: 'failed', error: { kind: this.errorEvent.kind, message: this.errorEvent.message } });
      return { status: 'failed', ...where, finalMetrics: {}, error: this.errorEvent };
    }
    if (this.killReason) {
      this.recordEnding({ status: 'stopped', reason: this.killReason });
      return { status: 'stopped', ...where, finalMetrics: {}, reason: this.killReason };
    }
    const crash: ErrorEvent = {
      type: 'error',
      kind: 'crash',
      message: crashMessage(code, signal, spawnError, this.outputTail),
      ...(this.outputTail.length > 0 ? { detail: this.outputTail.join('\n') } : {}),
    };
    if (runDir && readMeta(runDir).status === 'running') {
      openRun(runDir).append(crash);
      this.recordEnding({ status: 'failed', error: { kind: crash.kind, message: crash.message } });
    }
    this.emit(crash);
    return { status: 'failed', ...where, finalMetrics: {}, error: crash };
  }

  /** Records how the run ended, unless the worker already did (`endRun` keeps the first ending). */
  private recordEnding(ending: RunEnding): void {
    if (this.runDir) endRun(this.runDir, ending);
  }
}

function crashMessage(
  code: number | null,
  signal: NodeJS.Signals | null,
  spawnError: Error | undefined,
  outputTail: readonly string[],
): string {
  if (spawnError) return `The training process could not start: ${spawnError.message}.`;
  const how =
    signal === 'SIGKILL'
      ? 'was killed (SIGKILL; the system may have run out of memory)'
      : signal
        ? `was killed by ${signal}`
        : `exited with code ${code}`;
  // The last lines that are not a stack frame usually name the cause (e.g. "FATAL ERROR: ... heap").
  const lastWords = outputTail.filter((line) => !/^\s+at |^Node\.js v/.test(line)).slice(-3);
  return (
    `The training process ${how} before finishing; the run folder keeps the metrics logged until then.` +
    (lastWords.length > 0 ? ` Its last output:\n${lastWords.join('\n')}` : '')
  );
}

import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { InspectionEvent, RunEvent, TrainOptions } from '../../protocol';
import { startTraining, type TrainingJob } from '../../training/client';
import { ProbeClient } from '../../training/probeClient';
import { advance, INITIAL_PROGRESS, type RunProgress } from './progress';

export type JobKind = 'train' | 'preview';

/** Where a job came from: the spec as it was when the job started. */
export interface JobOrigin {
  /** The spec's `name`; the worker's `run` event confirms it. */
  name: string;
  /** Started by a save, not by the user: it reports inline only, and editing cancels it. */
  automatic: boolean;
  /** The resolved spec the job trains, as JSON: the editor marks the job's result out of date once the spec differs. */
  trainedSpec: string;
}

/** One training process started from the editor, with everything it has reported so far. */
export class SpecJob {
  private static nextPendingId = 1;

  /** Until the worker announces its run folder, a placeholder id that no run on disk has. */
  runId = `pending-${SpecJob.nextPendingId++}`;
  runDir = '';
  readonly events: RunEvent[] = [];
  progress: RunProgress = INITIAL_PROGRESS;
  name: string;
  readonly automatic: boolean;
  readonly trainedSpec: string;
  readonly startedAt = new Date();
  /** When the process exited; undefined while it runs. */
  endedAt: Date | undefined;

  constructor(
    readonly specUri: vscode.Uri,
    readonly kind: JobKind,
    origin: JobOrigin,
    private readonly process: TrainingJob,
  ) {
    this.name = origin.name;
    this.automatic = origin.automatic;
    this.trainedSpec = origin.trainedSpec;
  }

  get running(): boolean {
    return this.progress.status === 'running';
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Resolves once the worker process has exited. */
  get done(): Promise<unknown> {
    return this.process.done;
  }

  stop(): void {
    if (this.running) this.process.stop();
  }

  kill(): void {
    this.process.kill();
  }

  /** Runs `text` through the model at its latest epoch (see TrainingJob.probe); only while running. */
  probe(requestId: string, text: string): Promise<void> {
    return this.process.probe(requestId, text);
  }

  /** Called when the process has exited: a job that never reported its end did not finish. */
  settle(): void {
    this.endedAt = new Date();
    if (this.running) {
      this.progress = { ...this.progress, status: 'failed', errorMessage: 'The training process ended without reporting a result.' };
    }
  }

  record(event: RunEvent): void {
    if (event.type === 'run') {
      this.runId = event.runId;
      this.runDir = event.runDir;
      this.name = event.name;
    }
    this.events.push(event);
    this.progress = advance(this.progress, event);
  }
}

/**
 * Owns every training process the extension starts: at most one per spec, each one's events
 * buffered for panels that open late, and all of them stopped when the extension deactivates.
 */
export class JobManager implements vscode.Disposable {
  private readonly jobs = new Map<string, SpecJob>();
  private readonly eventEmitter = new vscode.EventEmitter<{ job: SpecJob; event: RunEvent }>();
  private readonly startEmitter = new vscode.EventEmitter<SpecJob>();
  private readonly endEmitter = new vscode.EventEmitter<SpecJob>();

  /** Every event of every job, in order (panels, status bar, CodeLens and decorations listen). */
  readonly onDidReceiveEvent = this.eventEmitter.event;
  readonly onDidStartJob = this.startEmitter.event;
  /** The job's process has exited and its last event has been delivered. */
  readonly onDidEndJob = this.endEmitter.event;

  /** Answers probes of runs that are not training (their saved model), forked on the first one. */
  private readonly probes: ProbeClient;

  constructor(private readonly workerPath: string) {
    this.probes = new ProbeClient(join(dirname(workerPath), 'probe.js'));
  }

  /**
   * Probes a run that is not training from its saved model; the inspection is appended to the
   * run folder and, for a job of this session, to its events. Rejects with a sentence for the user.
   */
  async probeSavedModel(runDir: string, requestId: string, text: string): Promise<InspectionEvent> {
    const event = await this.probes.probe(runDir, requestId, text);
    this.allJobs().find((job) => job.runDir === runDir)?.events.push(event);
    return event;
  }

  /** The latest job of the spec, running or finished, if one ran in this session. */
  latestJob(specUri: vscode.Uri): SpecJob | undefined {
    return this.jobs.get(specUri.toString());
  }

  runningJob(specUri: vscode.Uri): SpecJob | undefined {
    const job = this.latestJob(specUri);
    return job?.running ? job : undefined;
  }

  runningJobs(): SpecJob[] {
    return [...this.jobs.values()].filter((job) => job.running);
  }

  allJobs(): SpecJob[] {
    return [...this.jobs.values()];
  }

  findByRunId(runId: string): SpecJob | undefined {
    return [...this.jobs.values()].find((job) => job.runId === runId);
  }

  /** Starts a job, or returns undefined when one is already running for this spec. */
  start(
    specUri: vscode.Uri,
    kind: JobKind,
    options: Omit<TrainOptions, 'specPath'>,
    origin: JobOrigin,
  ): SpecJob | undefined {
    if (this.runningJob(specUri)) return undefined;
    const process = startTraining({ ...options, specPath: specUri.fsPath }, { workerPath: this.workerPath });
    const job = new SpecJob(specUri, kind, origin, process);
    this.jobs.set(specUri.toString(), job);
    process.onEvent((event) => {
      job.record(event);
      this.eventEmitter.fire({ job, event });
    });
    const settle = () => {
      job.settle();
      this.endEmitter.fire(job);
    };
    void process.done.then(settle, settle);
    this.startEmitter.fire(job);
    return job;
  }

  /**
   * Stops every running job and waits for their processes to exit, killing any that outlive
   * `graceMs` (deactivation has little time, and no worker may outlive the extension host).
   */
  async stopAll(graceMs = 3000): Promise<void> {
    const running = this.runningJobs();
    for (const job of running) job.stop();
    const exited = Promise.all(running.map((job) => job.done.catch(() => undefined)));
    const timedOut = await Promise.race([exited.then(() => false), delay(graceMs).then(() => true)]);
    if (!timedOut) return;
    for (const job of running) job.kill();
    await Promise.race([exited, delay(1000)]);
  }

  dispose(): void {
    for (const job of this.runningJobs()) job.kill();
    this.probes.dispose();
    this.eventEmitter.dispose();
    this.startEmitter.dispose();
    this.endEmitter.dispose();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

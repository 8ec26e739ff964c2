/**
 * `seqlab train <spec>`: runs the training worker, narrates its events (backend, data, a progress
 * bar, one line per epoch, the final metrics), then writes the run's HTML report.
 */
import { relative, resolve } from 'node:path';
import type { Baseline, DataStats, RunEvent, TrainOptions } from '../../protocol';
import { startTraining, type RunOutcome, type TrainingJob } from '../../training/client';
import type { Command } from '../args';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_SPEC_ERRORS } from '../errors';
import { formatCount, formatDuration, formatFinalMetrics, formatMetric, formatMetricsInline } from '../format';
import { EpochProgress, type ProgressStream } from '../progress';
import { writeReport } from '../report';
import { readSpecFile, type Output } from './io';

type TrainCommand = Extract<Command, { name: 'train' }>;

/** Signals that stop a run the way Ctrl-C does. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function runTrain(command: TrainCommand, out: Output, progressStream: ProgressStream): Promise<number> {
  const specPath = resolve(command.specPath);
  readSpecFile(command.specPath); // a missing file is reported as typed, before a process starts
  const outcome = await trainAndReport(
    {
      specPath,
      quick: command.quick,
      backend: command.backend,
      ...(command.threads !== undefined ? { threads: command.threads } : {}),
      ...(command.epochs !== undefined ? { epochs: command.epochs } : {}),
      ...(command.out !== undefined ? { runsDir: resolve(command.out) } : {}),
    },
    out,
    progressStream,
  );
  return exitCodeOf(outcome);
}

/** The exit code of a finished training: 0 completed or stopped, 2 spec errors, 1 any other failure. */
export function exitCodeOf(outcome: RunOutcome): number {
  if (outcome.status !== 'failed') return EXIT_OK;
  return outcome.error?.kind === 'spec' ? EXIT_SPEC_ERRORS : EXIT_FAILED;
}

/**
 * Trains in a worker process while narrating its events, stops it on Ctrl-C, SIGTERM or SIGHUP,
 * then prints the run folder and writes its report. `seqlab train` and `seqlab rerun` share it.
 */
export async function trainAndReport(options: TrainOptions, out: Output, progressStream: ProgressStream): Promise<RunOutcome> {
  const job = startJob(options);
  const narrator = new TrainingNarrator(out, progressStream);
  job.onEvent((event) => narrator.handle(event));

  // First Ctrl-C (or SIGTERM from `kill`/`timeout`, or SIGHUP from a closed terminal): stop after
  // the current batch, the model saved and the run recorded as stopped; a second one kills the worker.
  let interrupts = 0;
  const onInterrupt = (signal: NodeJS.Signals) => {
    interrupts += 1;
    narrator.clearProgress();
    if (interrupts === 1) {
      const cause = signal === 'SIGINT' ? '' : `${signal}: `;
      out.stderr(`${cause}Stopping after the current batch and saving the model (press Ctrl-C again to kill it)...`);
      job.stop();
    } else {
      job.kill();
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onInterrupt);
  let outcome: RunOutcome;
  try {
    outcome = await job.done;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onInterrupt);
    narrator.clearProgress();
  }

  if (outcome.status === 'stopped' && outcome.reason && !narrator.sawDone) out.stdout(`Stopped. ${outcome.reason}`);
  if (outcome.runDir) {
    out.stdout(`Run folder: ${displayPath(outcome.runDir)}`);
    // The run itself is recorded whatever happens to its report: a report problem never turns a
    // completed run into a failed command.
    try {
      const report = writeReport(outcome.runDir);
      for (const problem of report.problems) out.stderr(`seqlab: warning: ${problem}`);
      out.stdout(`Report:     ${displayPath(report.path)}`);
    } catch (error) {
      out.stderr(`seqlab: ${(error as Error).message}`);
    }
  }
  return outcome;
}

function startJob(options: TrainOptions): TrainingJob {
  try {
    return startTraining(options);
  } catch (error) {
    // Only a broken installation gets here (no dist/worker.js); the message says how to fix it.
    throw new CliError((error as Error).message);
  }
}

/** Turns the worker's events into the CLI's lines. */
class TrainingNarrator {
  sawDone = false;
  private progress: EpochProgress | undefined;
  private baselines: readonly Baseline[] = [];
  private normalised = false;
  private epochs = 0;

  constructor(
    private readonly out: Output,
    private readonly progressStream: ProgressStream,
  ) {}

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'hello': {
        const { tfjs, node } = event.versions;
        const threads = event.threads === undefined ? '' : `; recurrent layers: ${event.recurrent === 'tfjs-stock' ? 'tfjs stock' : 'wasm kernel'}, ${event.threads} thread${event.threads === 1 ? '' : 's'}`;
        this.out.stdout(`Backend:    ${event.backend} (TensorFlow.js ${tfjs}, Node ${node}${threads})`);
        if (event.backendNote) this.out.stdout(`            ${event.backendNote}`);
        return;
      }
      case 'run':
        // No batches: the run ended while reading its data (the error or the stop follows).
        if (event.batchesPerEpoch === 0) return this.out.stdout(`Run:        ${event.name}${event.quick ? ' (quick preview)' : ''}`);
        this.epochs = event.epochs;
        this.progress = new EpochProgress(this.progressStream, event.epochs, event.batchesPerEpoch);
        this.progress.startEpoch();
        this.out.stdout(
          `Run:        ${event.name}${event.quick ? ' (quick preview)' : ''}: ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} ` +
            `of ${formatCount(event.batchesPerEpoch)} batches of ${event.batchSize}`,
        );
        return;
      case 'data': {
        const s = event.stats;
        this.normalised = s.targetScale !== undefined;
        const shape = [
          `${formatCount(s.trainSamples)} training / ${formatCount(s.validationSamples)} validation samples`,
          `${s.timesteps} timesteps`,
          s.features !== undefined ? `${s.features} feature${s.features === 1 ? '' : 's'}` : undefined,
          s.vocabSize !== undefined ? `vocabulary ${formatCount(s.vocabSize)}` : undefined,
          s.classes !== undefined ? `${s.classes} classes` : undefined,
        ].filter((part) => part !== undefined);
        this.out.stdout(`Data:       ${s.source} (${s.task}): ${shape.join(', ')}; loaded in ${formatDuration(s.loadMs)}`);
        for (const line of dataDetails(s)) this.out.stdout(line);
        return;
      }
      case 'model':
        this.out.stdout(
          `Model:      ${event.summary.layers.map((layer) => layer.name).join(' -> ')}; ${formatCount(event.summary.totalParams)} parameters`,
        );
        return;
      case 'baselines':
        this.baselines = event.baselines;
        for (const note of event.notes ?? []) this.out.stdout(`            ${note}`);
        return;
      case 'batch':
        this.progress?.batch(event);
        return;
      case 'epoch': {
        this.clearProgress();
        const metrics = [formatMetricsInline(event.train), formatMetricsInline(event.validation, 'val_')].filter(Boolean);
        this.out.stdout(`epoch ${event.epoch + 1}/${this.epochs}  ${metrics.join('  ')}  (${formatDuration(event.durationMs)})`);
        this.progress?.startEpoch();
        return;
      }
      case 'probes':
        return;
      case 'done':
        this.sawDone = true;
        this.clearProgress();
        this.out.stdout(
          `${event.status === 'completed' ? 'Completed' : 'Stopped'} in ${formatDuration(event.durationMs)}.${event.reason ? ` ${event.reason}` : ''}`,
        );
        if (Object.keys(event.finalMetrics).length > 0) {
          const table = formatFinalMetrics(event.finalMetrics, { baselines: this.baselines, normalised: this.normalised });
          this.out.stdout(`\n${table}\n`);
        }
        return;
      case 'error':
        this.clearProgress();
        this.out.stderr(withTitle(errorTitle(event.kind), event.message));
        if (event.detail && process.env.SEQLAB_DEBUG === '1') this.out.stderr(event.detail);
        return;
    }
  }

  clearProgress(): void {
    this.progress?.clear();
  }
}

/** `Title: message`, unless the message already opens with its title (a diverged run says so itself). */
function withTitle(title: string, message: string): string {
  return message.startsWith(title) ? message : `${title}: ${message}`;
}

/** Which label got which class id, what HTML stripping and gap filling did, and the data's warnings. */
function dataDetails(s: DataStats): string[] {
  const classes = s.classCounts?.map(({ label, id, train }) => `"${label}" → ${id} (${formatCount(train)})`).join(', ');
  const html = s.htmlRemoved && `removed ${formatCount(s.htmlRemoved.tags)} HTML tags (${(100 * s.htmlRemoved.fraction).toFixed(1)}% of the characters)`;
  const missing = s.missing && `${formatCount(s.missing.count)} missing values filled by ${s.missing.method} (first at lines ${s.missing.lines.join(', ')})`;
  const scale = s.targetScale;
  const targets = scale && `normalised (${scale.method}: offset ${formatMetric(scale.offset)}, scale ${formatMetric(scale.scale)}); loss, mae and mse are in normalised units, data_mae and data_rmse in the data's`;
  return [
    ...(targets ? [`Targets:    ${targets}`] : []),
    ...(classes ? [`Classes:    ${classes} training examples`] : []),
    ...(html ? [`Text:       ${html}`] : []),
    ...(missing ? [`Series:     ${missing}`] : []),
    ...(s.warnings ?? []).map((warning) => `Warning:    ${warning}`),
  ];
}

function errorTitle(kind: Extract<RunEvent, { type: 'error' }>['kind']): string {
  switch (kind) {
    case 'spec':
      return 'Spec error';
    case 'data':
      return 'Data error';
    case 'numeric':
      return 'Training diverged';
    case 'backend':
      return 'Backend error';
    case 'crash':
      return 'Training process crashed';
    case 'internal':
      return 'Internal error';
  }
}

/** Relative to the current folder when inside it: shorter, and still copy-pasteable. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/**
 * The run result shown after `train:` in the editor, and its hover: which run, when, whether the
 * spec changed since, and what the trend arrow compares. Pure: unit tested directly.
 */
import type { ModelSpec } from '../../language/types';
import type { JobKind } from './jobManager';
import { describeMetrics, describeProgress, formatValue, lossTrend, type RunProgress } from './progress';

/** What the editor knows of a job of this session. */
export interface InlineJob {
  kind: JobKind;
  name: string;
  runId: string;
  progress: RunProgress;
  startedAt: Date;
  endedAt?: Date;
  /** The resolved spec the job trains, as JSON. */
  trainedSpec: string;
}

/**
 * True once the spec no longer is what the job trains: its resolved form differs (comments and
 * formatting do not count), or it has errors and resolves to nothing.
 */
export function isOutOfDate(job: Pick<InlineJob, 'trainedSpec'>, current: ModelSpec | undefined): boolean {
  return current === undefined || JSON.stringify(current) !== job.trainedSpec;
}

/** "✓ preview: loss 0.412 ↓ · accuracy 0.83", prefixed "spec changed ·" when out of date. */
export function inlineText(job: InlineJob, outOfDate: boolean): string {
  const what = job.kind === 'preview' ? 'preview' : 'run';
  const prefix = outOfDate ? 'spec changed · ' : '';
  switch (job.progress.status) {
    case 'running':
      return `${prefix}⟳ ${what}: ${describeProgress(job.progress)}`;
    case 'completed':
      return `${prefix}✓ ${what}: ${describeMetrics(job.progress)}`;
    case 'stopped':
      return `${prefix}■ ${what} stopped: ${describeMetrics(job.progress)}`;
    case 'failed':
      return `${prefix}✗ ${what} failed: ${firstLine(job.progress.errorMessage ?? 'see the panel')}`;
  }
}

/** The hover of the inline result (markdown): what run, when, out of date or not, what the arrow means. */
export function inlineHover(job: InlineJob, outOfDate: boolean): string {
  const what = job.kind === 'preview' ? 'Quick preview' : 'Training';
  const run = job.runId.startsWith('pending-') ? '' : ` (run \`${job.runId}\`)`;
  const { status } = job.progress;
  const when =
    status === 'running'
      ? `Started ${clock(job.startedAt)}, still running.`
      : job.endedAt
        ? `Started ${clock(job.startedAt)}, ended ${clock(job.endedAt)} (${seconds(job.endedAt.getTime() - job.startedAt.getTime())}): ${status}.`
        : `Started ${clock(job.startedAt)}: ${status}.`;
  const lines = [`**${what}** of \`${job.name}\`${run}`, when];
  if (outOfDate) {
    lines.push('*Out of date: the spec changed since this run started. Preview or train again for a current result.*');
  }
  const trend = lossTrend(job.progress);
  const { latest, lossBaseline, epochLosses } = job.progress;
  if (trend && latest.loss !== undefined && lossBaseline !== undefined) {
    const against = epochLosses.includes(lossBaseline) ? "the previous epoch's training loss" : "the first batch's loss";
    lines.push(
      `${trend} compares the latest training loss (${formatValue(latest.loss)}) with ${against} (${formatValue(lossBaseline)}): ↓ lower, ↑ higher, → within 0.5%.`,
    );
  }
  return lines.join('\n\n');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** "14:02:09": local wall-clock time, as the user saw it happen. */
function clock(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

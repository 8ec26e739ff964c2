/**
 * What the editor shows about a run (status bar, CodeLens, the decoration after `train:`), folded
 * from its events. Pure: no vscode, so it is unit tested directly.
 */
import type { Metrics, RunEvent, RunStatus } from '../../protocol';

export type JobStatus = RunStatus;

export interface RunProgress {
  status: JobStatus;
  epochs: number;
  batchesPerEpoch: number;
  /** Zero-based epoch of the latest batch or epoch event; -1 before the first one. */
  epoch: number;
  /** Batches done in total, across epochs. */
  steps: number;
  /** Latest loss and metrics: the running batch values, replaced by each epoch's summary (val_ prefixed). */
  latest: Metrics;
  /** Training loss at the end of each epoch. */
  epochLosses: number[];
  /** What `latest.loss` is compared with for the trend: the epoch before, or the first batch. */
  lossBaseline?: number;
  errorMessage?: string;
}

export const INITIAL_PROGRESS: RunProgress = {
  status: 'running',
  epochs: 0,
  batchesPerEpoch: 0,
  epoch: -1,
  steps: 0,
  latest: {},
  epochLosses: [],
};

export function advance(progress: RunProgress, event: RunEvent): RunProgress {
  switch (event.type) {
    case 'run':
      return { ...progress, epochs: event.epochs, batchesPerEpoch: event.batchesPerEpoch };
    case 'batch':
      return {
        ...progress,
        epoch: event.epoch,
        steps: event.step + 1,
        latest: { loss: event.loss, ...event.metrics },
        lossBaseline: progress.epochLosses.at(-1) ?? progress.lossBaseline ?? event.loss,
      };
    case 'epoch':
      return {
        ...progress,
        epoch: event.epoch,
        latest: { ...event.train, ...prefixed(event.validation, 'val_') },
        epochLosses: event.train.loss === undefined ? progress.epochLosses : [...progress.epochLosses, event.train.loss],
        lossBaseline: progress.epochLosses.at(-1) ?? progress.lossBaseline,
      };
    case 'done':
      return {
        ...progress,
        status: event.status,
        latest: Object.keys(event.finalMetrics).length > 0 ? event.finalMetrics : progress.latest,
      };
    case 'error':
      return { ...progress, status: 'failed', errorMessage: event.message };
    default:
      return progress;
  }
}

function prefixed(metrics: Metrics, prefix: string): Metrics {
  return Object.fromEntries(Object.entries(metrics).map(([key, value]) => [prefix + key, value]));
}

/** Share of the run done, in [0, 1]; 0 while the run's size is unknown. */
export function fractionDone(progress: RunProgress): number {
  const total = progress.epochs * progress.batchesPerEpoch;
  return total > 0 ? Math.min(1, progress.steps / total) : 0;
}

export type Trend = '↓' | '↑' | '→';

/**
 * Direction of the training loss: the latest value against the previous epoch's (during the first
 * epoch: against the first batch). Undefined until there is something to compare.
 */
export function lossTrend(progress: RunProgress): Trend | undefined {
  const current = progress.latest.loss;
  const baseline = progress.lossBaseline;
  if (current === undefined || baseline === undefined) return undefined;
  const change = (current - baseline) / Math.max(Math.abs(baseline), 1e-12);
  if (Math.abs(change) < 0.005) return '→';
  return change < 0 ? '↓' : '↑';
}

/** A number as people read a loss: 3 significant digits, no exponent for everyday values. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(2);
  return value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** "epoch 2/3 · loss 0.41", the one-line state of a running job. */
export function describeProgress(progress: RunProgress): string {
  const parts: string[] = [];
  if (progress.epochs > 0) parts.push(`epoch ${Math.max(progress.epoch, 0) + 1}/${progress.epochs}`);
  else parts.push('starting');
  if (progress.latest.loss !== undefined) parts.push(`loss ${formatValue(progress.latest.loss)}`);
  return parts.join(' · ');
}

/** "loss 0.412 ↓ · accuracy 0.83 · val_loss 0.45": the latest metrics, with the loss trend if asked. */
export function describeMetrics(progress: RunProgress, options: { trend: boolean } = { trend: true }): string {
  const trend = options.trend ? lossTrend(progress) : undefined;
  return Object.entries(progress.latest)
    .map(([key, value]) => `${key} ${formatValue(value)}${key === 'loss' && trend ? ` ${trend}` : ''}`)
    .join(' · ');
}

/**
 * Training progress on stderr: a bar redrawn in place on a terminal, or a plain line about every
 * 10% of an epoch when the output is a file or a pipe (CI logs stay readable).
 */
import type { BatchEvent } from '../protocol';
import { formatClock, formatMetric } from './format';

const BAR_WIDTH = 24;

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class EpochProgress {
  /**
   * The end of the epoch's first batch, where the pace is measured from: that batch carries one-off
   * costs (kernel warm-up, the previous epoch's validation and views) that made the first ETA of a
   * 6-minute IMDB epoch read 1:53:10.
   */
  private paceStart?: { ms: number; done: number };
  private lastPlainDecile = -1;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly epochs: number,
    private readonly batchesPerEpoch: number,
    private readonly now: () => number = Date.now,
  ) {}

  startEpoch(): void {
    this.paceStart = undefined;
    this.lastPlainDecile = -1;
  }

  batch(event: BatchEvent): void {
    const done = event.batch + 1;
    const total = Math.max(this.batchesPerEpoch, done);
    const now = this.now();
    this.paceStart ??= { ms: now, done };
    const paced = done - this.paceStart.done;
    const eta = paced > 0 ? formatClock(((now - this.paceStart.ms) / paced) * (total - done)) : '…';
    const label = `epoch ${event.epoch + 1}/${this.epochs}`;
    const stats = `${done}/${total}  loss ${formatMetric(event.loss)}  ETA ${eta}`;
    if (this.stream.isTTY) {
      const filled = Math.round((done / total) * BAR_WIDTH);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
      const text = `${label} ${bar} ${stats}`;
      // Never wider than the terminal, or the bar wraps and stops redrawing in place.
      const width = this.stream.columns && this.stream.columns > 20 ? this.stream.columns : 120;
      this.stream.write(`\r\x1b[K${text.slice(0, width - 1)}`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor((done / total) * 10);
    if (decile > this.lastPlainDecile && (decile > 0 || done === 1)) {
      this.lastPlainDecile = decile;
      this.stream.write(`${label}  batch ${stats}\n`);
    }
  }

  /** Clears the bar so that the next line printed starts on an empty line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/**
 * Gathers the batch events of a run for a moment and sends them to the panel as one message. A fast
 * run reports thousands of batches a second; one message each would flood the webview with tasks
 * that hold off its frames (issue 7: no frame over 50 ms), while one message per BATCH_FLUSH_MS
 * costs the panel a few milliseconds. The panel redraws at most every 100 ms anyway.
 */
import type { HostToWebview, RunEvent } from '../../protocol';

/** Longest a batch event waits before it is sent (ms). */
export const BATCH_FLUSH_MS = 50;

export class BatchEventBuffer {
  private runId = '';
  private events: RunEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `send` posts a message to the webview. */
  constructor(
    private readonly send: (message: HostToWebview) => void,
    private readonly delayMs = BATCH_FLUSH_MS,
  ) {}

  /** Holds `event` (of run `runId`) until the next flush, at most `delayMs` from the first one held. */
  add(runId: string, event: RunEvent): void {
    if (this.events.length > 0 && runId !== this.runId) this.flush();
    this.runId = runId;
    this.events.push(event);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Sends what is held: one event as an `event` message, several as one `events` message. */
  flush(): void {
    this.cancelTimer();
    if (this.events.length === 0) return;
    const [runId, events] = [this.runId, this.events];
    this.events = [];
    this.send(events.length === 1 ? { type: 'event', runId, event: events[0] } : { type: 'events', runId, events });
  }

  /** Forgets what is held (the panel is about to get the whole run again, or goes away). */
  drop(): void {
    this.cancelTimer();
    this.events = [];
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

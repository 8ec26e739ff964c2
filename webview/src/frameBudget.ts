/**
 * Drawing that can wait a frame. An epoch of a large run brings dozens of heatmaps at once (4 probes
 * x 2 layers x 5 heatmaps of 200 x 64 cells); drawing them in one go would freeze the page for
 * longer than a frame. Jobs run in animation frames, at most BUDGET_MS of them per frame, the
 * visible ones first; the rest follow in the next frames.
 */
const BUDGET_MS = 8;

export interface DrawJob {
  draw(): void;
  /** On screen now (drawn before the others). */
  isVisible(): boolean;
  /** Its next step fills most of a frame (a new chart): it runs first in a frame and alone. */
  readonly heavy?: boolean;
}

const queue = new Set<DrawJob>();
let frameRequested = false;

/** Queues `job` (once, however often it is asked for) for one of the next frames. */
export function scheduleDraw(job: DrawJob): void {
  queue.add(job);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(() => void runFrame());
  }
}

/** Tracks whether `element` is on screen, for a job's `isVisible`. */
export function visibilityOf(element: Element): () => boolean {
  let visible = false;
  new IntersectionObserver(([entry]) => (visible = entry.isIntersecting)).observe(element);
  return () => visible;
}

/** Whether any job is still waiting to be drawn (a chart or heatmap lags the last render). */
export function hasPendingDraws(): boolean {
  return queue.size > 0;
}

/** Whether `job` is still waiting to be drawn. */
export function isScheduled(job: DrawJob): boolean {
  return queue.has(job);
}

async function runFrame(): Promise<void> {
  frameRequested = false;
  const deadline = performance.now() + BUDGET_MS;
  const ordered = [...queue].sort((a, b) => Number(b.isVisible()) - Number(a.isVisible()));
  let ran = 0;
  for (const job of ordered) {
    if (job.heavy && ran > 0) continue;
    queue.delete(job);
    job.draw();
    ran += 1;
    // Work a job leaves to microtasks (uPlot draws a new chart in one) counts towards this frame.
    await Promise.resolve();
    if (job.heavy || performance.now() >= deadline) break;
  }
  if (queue.size > 0 && !frameRequested) {
    frameRequested = true;
    requestAnimationFrame(() => void runFrame());
  }
}

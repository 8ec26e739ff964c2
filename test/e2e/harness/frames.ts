/**
 * Frame times of a page while a scenario runs, robust to a busy machine.
 *
 * A frame is the gap between two animation frames of the page. Its wall-clock length includes the
 * time the renderer waited for a CPU while other processes ran (on a shared 2-core machine a 10 ms
 * frame can take 80 ms of wall clock), so each frame is also measured as the CPU time the page's main
 * thread spent in it, from a Chromium trace (`toplevel` tasks and their thread time): that is what
 * the frame costs the page, and what it takes on an idle machine. Both are reported.
 *
 * Messages reach the page as they reach the panel: from elsewhere. A Web Worker stands in for the
 * extension host, so serialising them is the worker's work and receiving them (deserialising,
 * handling) the page's, as in VS Code.
 */
import type { Page } from 'playwright-core';

export interface FrameTimes {
  frames: number;
  /** Longest gap between two animation frames, wall clock (ms). */
  longestWallMs: number;
  /** Most CPU time the page's main thread spent in one frame (ms). */
  longestCpuMs: number;
  /** The main thread's CPU time in the frame with the longest wall clock (ms). */
  cpuOfLongestWallMs: number;
  /** Main-thread CPU seconds per wall-clock second over the scenario (1 = the page had a core to itself and used it). */
  cpuPerWallSecond: number;
  /** CPU time of each main-thread task in the frame with the most (ms, in order): what to look at when it is too long. */
  tasksOfLongestCpuMs: number[];
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  /** Microseconds. */
  ts: number;
  dur?: number;
  tdur?: number;
}

const FRAME_MARK = 'seqlab-frame';

/** Starts marking every animation frame (a user-timing mark in the trace) until `__stopFrames()`. */
const FRAME_MARKER = `(() => {
  let running = true;
  window.__stopFrames = () => { running = false; };
  const tick = () => {
    if (!running) return;
    performance.mark('${FRAME_MARK}');
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Runs `scenario` and measures the page's frames while it runs. */
export async function measureFrames(page: Page, scenario: () => Promise<void>): Promise<FrameTimes> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => {
    for (const event of data.value as unknown as TraceEvent[]) if (event.name === FRAME_MARK || event.name === 'ThreadControllerImpl::RunTask') events.push(event);
  });
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing', transferMode: 'ReportEvents' });
  await page.evaluate(FRAME_MARKER);
  try {
    await scenario();
  } finally {
    await page.evaluate('window.__stopFrames()');
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach().catch(() => undefined);
  }
  return frameTimes(events);
}

/** Frames from the trace: the marks delimit them, the main thread's tasks fill them. */
export function frameTimes(events: readonly TraceEvent[]): FrameTimes {
  const marks = events.filter((event) => event.name === FRAME_MARK).sort((a, b) => a.ts - b.ts);
  if (marks.length < 2) throw new Error(`The page drew ${marks.length} animation frame(s) while measured: nothing to measure.`);
  const { pid, tid } = marks[0];
  const tasks = outermost(events.filter((event) => event.pid === pid && event.tid === tid && event.ph === 'X' && event.dur !== undefined && event.tdur !== undefined));
  let longestWall = 0;
  let longestCpu = 0;
  let cpuOfLongestWall = 0;
  let totalCpu = 0;
  let tasksOfLongestCpu: number[] = [];
  let k = 0;
  for (let i = 1; i < marks.length; i++) {
    const [start, end] = [marks[i - 1].ts, marks[i].ts];
    while (k < tasks.length && tasks[k].ts + (tasks[k].dur ?? 0) <= start) k++;
    let cpu = 0;
    const parts: number[] = [];
    for (let m = k; m < tasks.length && tasks[m].ts < end; m++) {
      const task = tasks[m];
      const dur = task.dur ?? 0;
      const overlap = Math.min(end, task.ts + dur) - Math.max(start, task.ts);
      // A task spanning two frames counts in each for the share of its wall time spent there.
      const share = overlap > 0 && dur > 0 ? ((task.tdur ?? 0) * overlap) / dur : 0;
      cpu += share;
      if (share >= 500) parts.push(Math.round(share / 100) / 10);
    }
    const wall = end - start;
    totalCpu += cpu;
    if (cpu > longestCpu) [longestCpu, tasksOfLongestCpu] = [cpu, parts];
    if (wall > longestWall) [longestWall, cpuOfLongestWall] = [wall, cpu];
  }
  const span = marks[marks.length - 1].ts - marks[0].ts;
  return {
    frames: marks.length - 1,
    longestWallMs: longestWall / 1000,
    longestCpuMs: longestCpu / 1000,
    cpuOfLongestWallMs: cpuOfLongestWall / 1000,
    cpuPerWallSecond: span > 0 ? totalCpu / span : 0,
    tasksOfLongestCpuMs: tasksOfLongestCpu,
  };
}

/** Tasks sorted by start, without those nested in another (a nested run loop). */
function outermost(tasks: TraceEvent[]): TraceEvent[] {
  const sorted = [...tasks].sort((a, b) => a.ts - b.ts);
  const kept: TraceEvent[] = [];
  for (const task of sorted) {
    const previous = kept[kept.length - 1];
    if (previous && task.ts + (task.dur ?? 0) <= previous.ts + (previous.dur ?? 0)) continue;
    kept.push(task);
  }
  return kept;
}

/** A Web Worker in the page that posts messages to it as the extension host does, each a `message` event of the window. */
export async function installSender(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const source = \`
      let staged = [];
      let next = () => undefined;
      let pace = 0;
      onmessage = (event) => {
        const { kind } = event.data;
        if (kind === 'stage') staged = event.data.messages;
        else if (kind === 'send') { for (const message of staged) postMessage(message); staged = []; postMessage({ sent: true }); }
        else if (kind === 'stream') {
          const make = new Function('from', 'to', event.data.make);
          const { count, chunk, intervalMs } = event.data;
          let step = 0;
          next = () => {
            if (step >= count) return postMessage({ sent: true });
            const end = Math.min(count, step + chunk);
            postMessage({ streamed: make(step, end) });
            step = end;
          };
          pace = intervalMs;
          next();
        }
        // The page handled the last message: the next one follows intervalMs later.
        else if (kind === 'received') setTimeout(next, pace);
      };\`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    let sent = () => undefined;
    worker.onmessage = (event) => {
      // Reading data deserialises the message here, on the page's main thread, as a webview does.
      const data = event.data;
      if (data && data.sent === true) return sent();
      if (data && data.streamed !== undefined) {
        window.dispatchEvent(new MessageEvent('message', { data: data.streamed }));
        requestAnimationFrame(() => worker.postMessage({ kind: 'received' }));
        return;
      }
      window.dispatchEvent(new MessageEvent('message', { data }));
    };
    window.__sender = {
      stage: (messages) => worker.postMessage({ kind: 'stage', messages }),
      send: () => new Promise((resolve) => { sent = resolve; worker.postMessage({ kind: 'send' }); }),
      stream: (count, chunk, intervalMs, make) => new Promise((resolve) => { sent = resolve; worker.postMessage({ kind: 'stream', count, chunk, intervalMs, make }); }),
    };
  })()`);
}

/** Hands `messages` to the sender (before measuring: this serialises them on the page's thread). */
export async function stageMessages(page: Page, messages: unknown[]): Promise<void> {
  await page.evaluate((list) => (globalThis as unknown as { __sender: { stage(messages: unknown[]): void } }).__sender.stage(list), messages);
}

/** Sends the staged messages; resolves once the page has received the last. */
export async function sendStaged(page: Page): Promise<void> {
  await page.evaluate('window.__sender.send()');
}

/**
 * Streams `count` items in messages of `chunk` items, one every `intervalMs`; `make` is the body of a
 * function of (from, to) that returns the message holding items from..to-1. Resolves once the page
 * has received the last. The interval runs from the first frame after the page handled the previous
 * message. On an idle machine that changes nothing (a message every 50 ms, a frame every 17 ms);
 * when other processes starve the page of CPU for hundreds of milliseconds, the messages wait in the
 * worker instead of piling up between two frames, which would measure this machine's load rather
 * than the panel.
 */
export async function streamMessages(page: Page, stream: { count: number; chunk: number; intervalMs: number; make: string }): Promise<void> {
  await page.evaluate(`window.__sender.stream(${stream.count}, ${stream.chunk}, ${stream.intervalMs}, ${JSON.stringify(stream.make)})`);
}

/**
 * The panel stays responsive under the issue's load (issue 7, "Performance and size"): the webview
 * bundle in headless Chromium, fed by `postMessage` as the extension host feeds it, with
 *   - one epoch's views for 4 probes x 2 LSTM layers x 5 heatmaps (h, i, f, g, o) x 200 timesteps x 64 units;
 *   - 100,000 loss points streamed as batch events.
 * It prints the longest frame (gap between animation frames) and the long tasks of each, and asserts
 * only that everything arrived and was drawn: timings on a shared machine are figures, not verdicts.
 * Screenshots (light, dark) go to test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { quantize } from '../../../src/inspect/quantize';
import type { GateName, HostToWebview, LayerGates, RunEvent, RunView } from '../../../src/protocol';
import { REPORT_THEME_CSS } from '../../../src/report/theme';
import { bundleWebview } from '../../../scripts/render-sample-report';
import { chromiumPath, launchBrowser } from '../harness/browser';
import { screenshotsDir } from '../harness/paths';

const [PROBES, LAYERS, TIMESTEPS, UNITS] = [4, ['lstm', 'lstm_1'], 200, 64];
const GATES: GateName[] = ['input', 'forget', 'cell', 'output'];
const LOSS_POINTS = 100_000;

/** The page globals read by the assertions (the Node test build has no DOM library). */
interface PageGlobals {
  __seqlab?: { charts: Record<string, { data: unknown[][] }>; heatmaps: Record<string, { dataset: Record<string, string | undefined> }> };
  __frames: { longestMs: number; frames: number; longTasksMs: number[]; running: boolean };
  postMessage(message: unknown, origin: string): void;
}

/** Deterministic values in [-1, 1]. */
function wave(a: number, b: number, c: number): number {
  return Math.sin(a * 0.37 + b * 0.11 + c * 1.7) * Math.cos(b * 0.05 + c);
}

function tokens(probe: number): string[] {
  return Array.from({ length: TIMESTEPS }, (_, t) => `w${probe}-${t}`);
}

function epochViews(epoch: number): RunEvent[] {
  return [
    {
      type: 'probes',
      epoch,
      probes: Array.from({ length: PROBES }, (_, p) => ({
        id: `probe-${p}`,
        label: `probe ${p}`,
        tokens: tokens(p),
        prediction: [0.5],
        layers: LAYERS.map((layer, l) => ({
          layer,
          units: UNITS,
          states: Array.from({ length: TIMESTEPS }, (_, t) => Array.from({ length: UNITS }, (_, u) => Number(wave(t + epoch, u, p + l).toFixed(4)))),
        })),
      })),
    },
    {
      type: 'gates',
      epoch,
      probes: Array.from({ length: PROBES }, (_, p) => ({
        id: `probe-${p}`,
        layers: LAYERS.map(
          (layer, l): LayerGates => ({
            layer,
            cell: 'lstm',
            direction: 'forward',
            start: 0,
            gates: GATES.map((gate, g) => ({
              gate,
              values: quantize(TIMESTEPS, UNITS, (t, u) => (gate === 'cell' ? wave(t, u, g + p + l + epoch) : 0.5 + 0.5 * wave(t, u, g + p + l + epoch)), gate === 'cell' ? [-1, 1] : [0, 1]),
            })),
            keep: Array.from({ length: TIMESTEPS }, (_, t) => 0.5 + 0.4 * Math.sin(t / 20)),
          }),
        ),
      })),
    },
    {
      type: 'gradients',
      epoch,
      sequences: 32,
      loss: 0.5,
      layers: LAYERS.map((layer, l) => ({ layer, cell: 'lstm', direction: 'forward', norms: Array.from({ length: TIMESTEPS }, (_, t) => Math.exp(-(TIMESTEPS - 1 - t) * 0.05 * (l + 1))) })),
    },
  ];
}

const view: RunView = {
  runId: 'frames',
  runDir: '/tmp/frames',
  events: [
    { type: 'hello', protocol: 1, backend: 'wasm', versions: { seqlab: '0.0.0', tfjs: '4.22.0', node: process.versions.node } },
    { type: 'run', runId: 'frames', runDir: '/tmp/frames', name: 'frame budget', epochs: 2, batchesPerEpoch: LOSS_POINTS, batchSize: 64, quick: false, startedAt: '2026-01-01T00:00:00.000Z' },
    {
      type: 'model',
      summary: {
        inputShape: [null, TIMESTEPS],
        totalParams: 0,
        layers: [
          { name: 'lstm', type: 'lstm', outputShape: [null, TIMESTEPS, UNITS], params: 0 },
          { name: 'lstm_1', type: 'lstm', outputShape: [null, UNITS], params: 0 },
          { name: 'dense', type: 'dense', outputShape: [null, 1], params: 0 },
        ],
      },
    },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'seqlab-frames-'));
let browser: Browser;

before(async () => {
  assert.ok(existsSync(chromiumPath), `No Chromium at ${chromiumPath}: apt-get install chromium, or set SEQLAB_CHROMIUM.`);
  const { script, style } = await bundleWebview();
  // The panel as VS Code hosts it: acquireVsCodeApi, messages in; the report's theme variables stand in for VS Code's.
  const stub = 'window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });';
  for (const theme of ['light', 'dark']) {
    writeFileSync(
      join(dir, `panel-${theme}.html`),
      `<!doctype html><html><head><meta charset="utf-8"><style>${REPORT_THEME_CSS}</style><style>${style}</style></head>` +
        `<body class="vscode-${theme}"><script>${stub}</script><script>${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>`,
    );
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts counting frames: the longest gap between two animation frames, and long tasks (> 50 ms).
 * A string, not a function: tsx would wrap the page code's inner functions in a __name() the page lacks.
 */
const FRAME_METER = `(() => {
  const frames = (window.__frames = { longestMs: 0, frames: 0, longTasksMs: [], running: true });
  let last = performance.now();
  const tick = (now) => {
    if (!frames.running) return;
    frames.longestMs = Math.max(frames.longestMs, now - last);
    frames.frames++;
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => frames.longTasksMs.push(...list.getEntries().map((entry) => Math.round(entry.duration)))).observe({ entryTypes: ['longtask'] });
})()`;

async function startFrameMeter(page: Page): Promise<void> {
  await page.evaluate(FRAME_METER);
}

async function stopFrameMeter(page: Page): Promise<PageGlobals['__frames']> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    g.__frames.running = false;
    return g.__frames;
  });
}

function post(page: Page, messages: HostToWebview[]): Promise<void> {
  return page.evaluate((list) => {
    for (const message of list) (globalThis as unknown as PageGlobals).postMessage(message, '*');
  }, messages);
}

async function openPanel(theme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`file://${join(dir, `panel-${theme}.html`)}`);
  await post(page, [{ type: 'reset', view }]);
  return { page, errors };
}

/** Every heatmap of the epoch drawn: 4 probes x 2 layers x (h + 4 gates). */
function allDrawn(page: Page, epoch: number): Promise<unknown> {
  return page.waitForFunction(
    ({ count, epoch: wanted }) => {
      const heatmaps = Object.values((globalThis as unknown as PageGlobals).__seqlab?.heatmaps ?? {});
      return heatmaps.length === count && heatmaps.every((canvas) => canvas.dataset.epoch === String(wanted) && canvas.dataset.timesteps !== undefined);
    },
    { count: PROBES * LAYERS.length * (1 + GATES.length), epoch },
    { timeout: 120_000 },
  );
}

test(`an epoch's views for ${PROBES} probes x ${LAYERS.length} layers x 5 heatmaps x ${TIMESTEPS} steps x ${UNITS} units arrive and are all drawn`, async () => {
  for (const theme of ['light', 'dark'] as const) {
    const { page, errors } = await openPanel(theme);
    await post(page, epochViews(-1).map((event) => ({ type: 'event', runId: 'frames', event })));
    await allDrawn(page, -1);
    await startFrameMeter(page);
    const started = Date.now();
    await post(page, [
      { type: 'event', runId: 'frames', event: { type: 'epoch', epoch: 0, train: { loss: 0.5 }, validation: { loss: 0.6 }, durationMs: 1000, liveTensors: 10 } },
      ...epochViews(0).map((event): HostToWebview => ({ type: 'event', runId: 'frames', event })),
    ]);
    await allDrawn(page, 0);
    const frames = await stopFrameMeter(page);
    const heatmaps = await page.evaluate(() => Object.values((globalThis as unknown as PageGlobals).__seqlab?.heatmaps ?? {}).map((canvas) => `${canvas.dataset.timesteps}x${canvas.dataset.units}`));
    assert.deepEqual(new Set(heatmaps), new Set([`${TIMESTEPS}x${UNITS}`]));
    assert.deepEqual(errors, []);
    console.log(
      `      [${theme}] epoch views (${heatmaps.length} heatmaps of ${TIMESTEPS}x${UNITS}): all drawn ${Date.now() - started} ms after they arrived; ` +
        `longest frame ${frames.longestMs.toFixed(1)} ms over ${frames.frames} frames; long tasks ${JSON.stringify(frames.longTasksMs)} ms`,
    );
    mkdirSync(screenshotsDir, { recursive: true });
    await page.screenshot({ path: join(screenshotsDir, `panel-frames-views-${theme}.png`), fullPage: false });
    await page.close();
  }
});

test(`${LOSS_POINTS.toLocaleString('en-US')} loss points streamed as batch events all reach the curve`, async () => {
  const { page, errors } = await openPanel('light');
  await startFrameMeter(page);
  const started = Date.now();
  // As the host forwards them: one message per batch, a chunk per macrotask (a fast worker, a busy host).
  await page.evaluate(`new Promise((resolve) => {
    let step = 0;
    const send = () => {
      for (const end = Math.min(${LOSS_POINTS}, step + 2000); step < end; step++) {
        const loss = 0.3 + 0.4 * Math.exp(-step / 20000) + 0.05 * Math.sin(step);
        window.postMessage({ type: 'event', runId: 'frames', event: { type: 'batch', epoch: 0, batch: step, step, loss, metrics: {}, samplesPerSec: 500 } }, '*');
      }
      if (step < ${LOSS_POINTS}) setTimeout(send, 0);
      else resolve();
    };
    send();
  })`);
  // Every batch is one x value of the loss chart (its series hold the raw and the smoothed loss).
  await page.waitForFunction((total) => (globalThis as unknown as PageGlobals).__seqlab?.charts.loss?.data[0]?.length === total, LOSS_POINTS, { timeout: 120_000 });
  const frames = await stopFrameMeter(page);
  const points = await page.evaluate(() => (globalThis as unknown as PageGlobals).__seqlab?.charts.loss.data[0]?.length);
  assert.equal(points, LOSS_POINTS);
  assert.deepEqual(errors, []);
  console.log(
    `      streaming ${LOSS_POINTS} loss points: on the curve ${Date.now() - started} ms after the first was sent; ` +
      `longest frame ${frames.longestMs.toFixed(1)} ms over ${frames.frames} frames; ${frames.longTasksMs.length} long tasks, longest ${Math.max(0, ...frames.longTasksMs)} ms`,
  );
  await page.screenshot({ path: join(screenshotsDir, 'panel-frames-stream-light.png'), fullPage: false });
  await page.close();
});

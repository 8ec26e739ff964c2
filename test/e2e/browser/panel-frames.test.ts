/**
 * The panel stays responsive under the issue's load (issue 7, "Performance and size": no frame over
 * 50 ms): the webview bundle in headless Chromium, fed messages from a worker as the extension host
 * feeds it, with
 *   - one epoch's views for 4 probes x 2 LSTM layers x 5 heatmaps (h, i, f, g, o) x 200 timesteps x 64 units;
 *   - 100,000 loss points streamed as batch events.
 * Each frame is measured twice (harness/frames.ts): its wall clock, and the CPU time the page's main
 * thread spent in it. The wall clock of a frame on this shared 2-core machine is mostly other
 * processes' work, so the bound is asserted on the CPU time (what the frame takes on an idle
 * machine); both are printed, with the load average.
 * Screenshots (light, dark) go to test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BATCH_FLUSH_MS } from '../../../src/extension/panel/batchEvents';
import { quantize } from '../../../src/inspect/quantize';
import type { GateName, HostToWebview, LayerGates, RunEvent, RunView } from '../../../src/protocol';
import { REPORT_THEME_CSS } from '../../../src/report/theme';
import { bundleWebview } from '../../../scripts/render-sample-report';
import { chromiumPath, launchBrowser } from '../harness/browser';
import { installSender, measureFrames, sendStaged, stageMessages, streamMessages, type FrameTimes } from '../harness/frames';
import { screenshotsDir } from '../harness/paths';

const [PROBES, LAYERS, TIMESTEPS, UNITS] = [4, ['lstm', 'lstm_1'], 200, 64];
const GATES: GateName[] = ['input', 'forget', 'cell', 'output'];
const LOSS_POINTS = 100_000;
/** Issue 7: no frame over 50 ms while an epoch's views arrive. */
const FRAME_BUDGET_MS = 50;

/** The page globals read by the assertions (the Node test build has no DOM library). */
interface PageGlobals {
  __seqlab?: { charts: Record<string, { data: unknown[][] }>; heatmaps: Record<string, { dataset: Record<string, string | undefined> }> };
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

function describe(frames: FrameTimes): string {
  return (
    `longest frame ${frames.longestCpuMs.toFixed(1)} ms of main-thread CPU time over ${frames.frames} frames (its tasks over 0.5 ms: ${frames.tasksOfLongestCpuMs.join(', ')} ms) ` +
    `(wall clock: longest ${frames.longestWallMs.toFixed(1)} ms, of which CPU ${frames.cpuOfLongestWallMs.toFixed(1)} ms; ` +
    `${frames.cpuPerWallSecond.toFixed(2)} CPU s per wall s; load average ${loadavg()[0].toFixed(1)})`
  );
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
  await installSender(page);
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
    await stageMessages(page, [
      { type: 'event', runId: 'frames', event: { type: 'epoch', epoch: 0, train: { loss: 0.5 }, validation: { loss: 0.6 }, durationMs: 1000, liveTensors: 10 } },
      ...epochViews(0).map((event): HostToWebview => ({ type: 'event', runId: 'frames', event })),
    ]);
    const started = Date.now();
    const frames = await measureFrames(page, async () => {
      await sendStaged(page);
      await allDrawn(page, 0);
    });
    const heatmaps = await page.evaluate(() => Object.values((globalThis as unknown as PageGlobals).__seqlab?.heatmaps ?? {}).map((canvas) => `${canvas.dataset.timesteps}x${canvas.dataset.units}`));
    assert.deepEqual(new Set(heatmaps), new Set([`${TIMESTEPS}x${UNITS}`]));
    assert.deepEqual(errors, []);
    console.log(`      [${theme}] epoch views (${heatmaps.length} heatmaps of ${TIMESTEPS}x${UNITS}): all drawn ${Date.now() - started} ms after they were sent; ${describe(frames)}`);
    assert.ok(frames.longestCpuMs <= FRAME_BUDGET_MS, `[${theme}] a frame took ${frames.longestCpuMs.toFixed(1)} ms of main-thread CPU time while the epoch's views arrived (budget ${FRAME_BUDGET_MS} ms).`);
    mkdirSync(screenshotsDir, { recursive: true });
    await page.screenshot({ path: join(screenshotsDir, `panel-frames-views-${theme}.png`), fullPage: false });
    await page.close();
  }
});

test(`${LOSS_POINTS.toLocaleString('en-US')} loss points streamed as batch events all reach the curve`, async () => {
  const { page, errors } = await openPanel('light');
  const started = Date.now();
  const frames = await measureFrames(page, async () => {
    // As the host forwards them (BatchEventBuffer): the batches of each BATCH_FLUSH_MS in one message,
    // from a worker reporting 2,000 batches per flush (40,000 a second, far beyond any real run).
    await streamMessages(page, {
      count: LOSS_POINTS,
      chunk: 2000,
      intervalMs: BATCH_FLUSH_MS,
      make: `const events = [];
        for (let step = from; step < to; step++) {
          const loss = 0.3 + 0.4 * Math.exp(-step / 20000) + 0.05 * Math.sin(step);
          // With views on (the default) every batch also reports its global gradient norm.
          const gradNorm = 0.5 + 0.3 * Math.cos(step / 300) + (step % 9973 === 0 ? 50 : 0);
          events.push({ type: 'batch', epoch: 0, batch: step, step, loss, metrics: {}, samplesPerSec: 500, gradNorm });
        }
        return { type: 'events', runId: 'frames', events };`,
    });
    // Every batch reaches the loss chart: the chart covers all of them, up to the last batch's x. The
    // gradient-norm chart is drawn in frames of its own: read the charts once no draw is pending.
    await page.waitForFunction(`document.querySelector('[data-quantity="loss"]')?.dataset.batches === '${LOSS_POINTS}' && window.__seqlab?.painted() === true`, undefined, { timeout: 120_000 });
  });
  const chart = (await page.evaluate(`(() => {
    const x = window.__seqlab?.charts.loss?.data[0] ?? [];
    return {
      rows: x.length,
      lastX: x[x.length - 1],
      points: document.querySelector('[data-quantity="loss"]')?.dataset.points,
      norms: document.querySelector('[data-quantity="grad-norm"]')?.dataset.points,
    };
  })()`)) as { rows: number; lastX: number | undefined; points: string | undefined; norms: string | undefined };
  // batchesPerEpoch is LOSS_POINTS: the last batch sits at x = 1; every batch's raw and smoothed value is drawable.
  assert.equal(chart.lastX, 1);
  assert.equal(chart.points, String(2 * LOSS_POINTS));
  assert.equal(chart.norms, String(LOSS_POINTS));
  assert.deepEqual(errors, []);
  console.log(`      streaming ${LOSS_POINTS} loss points: on the curve ${Date.now() - started} ms after the first was sent (${chart.rows} rows drawn); ${describe(frames)}`);
  assert.ok(frames.longestCpuMs <= FRAME_BUDGET_MS, `A frame took ${frames.longestCpuMs.toFixed(1)} ms of main-thread CPU time while loss points streamed in (budget ${FRAME_BUDGET_MS} ms).`);
  await page.screenshot({ path: join(screenshotsDir, 'panel-frames-stream-light.png'), fullPage: false });
  await page.close();
});

/**
 * The HTML report rendered by a real browser (Debian's chromium, or SEQLAB_CHROMIUM): curves hold the
 * run's points, heatmap pixels carry the diverging colours of the states, and the controls work.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ProbesEvent } from '../../../src/protocol';
import { buildReportHtml } from '../../../src/report/html';
import { divergingColor, paletteFor } from '../../../webview/src/colorScale';
import { formatValue } from '../../../webview/src/format';
import { bundleWebview, sampleRunView } from '../../../scripts/render-sample-report';
import { chromiumPath, launchBrowser } from '../harness/browser';

/** The page globals the assertions read, typed here: the Node test build has no DOM library. */
interface PageCanvas {
  width: number;
  style: { width: string };
  dataset: Record<string, string | undefined>;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Iterable<number> } } | null;
}
interface PageGlobals {
  __seqlab?: { charts: Record<string, { data: (number | null | undefined)[][] }>; heatmaps: Record<string, PageCanvas>; painted(): boolean };
  document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    body: { classList: { contains(name: string): boolean } };
  };
  getComputedStyle(element: unknown): { backgroundColor: string };
}
const view = sampleRunView('completed');
const dir = mkdtempSync(join(tmpdir(), 'seqlab-report-'));
const reportPath = join(dir, 'report.html');
let browser: Browser;

before(async () => {
  assert.ok(existsSync(chromiumPath), `No Chromium at ${chromiumPath}: apt-get install chromium, or set SEQLAB_CHROMIUM.`);
  writeFileSync(reportPath, buildReportHtml(view, { ...(await bundleWebview()), title: 'sample' }));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openReport(query = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1200 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`file://${reportPath}${query}`);
  // 2 probes x 2 layers: a hidden state each, and the LSTM's 4 gates and the GRU's 3 beside them.
  // Drawing is spread over animation frames: wait until every heatmap and the loss chart have been
  // drawn once, and nothing is left to draw (a chart may take several frames).
  await page.waitForFunction(
    () => {
      const { __seqlab, document } = globalThis as unknown as PageGlobals;
      const heatmaps = Object.values(__seqlab?.heatmaps ?? {});
      const lossDrawn = document.querySelector('[data-quantity="loss"]')?.getAttribute('data-batches') !== null;
      return lossDrawn && heatmaps.length === 4 * 2 + 3 * 2 + 2 * 2 && heatmaps.every((canvas) => canvas.dataset.timesteps !== undefined) && __seqlab?.painted() === true;
    },
    undefined,
    { timeout: 60_000 },
  );
  return { page, errors };
}

const batches = view.events.filter((event) => event.type === 'batch').length;
const probeEvents = view.events.filter((event): event is ProbesEvent => event.type === 'probes');
const lastProbes = probeEvents.at(-1);

test('the curves hold every batch and epoch value of the run', async () => {
  const { page, errors } = await openReport();
  const loss = await page.evaluate(() => {
    // No named helper functions in here: tsx would wrap them in a __name() the page does not have.
    const { __seqlab, document } = globalThis as unknown as PageGlobals;
    const data = __seqlab?.charts.loss.data ?? [];
    return {
      x: data[0]?.length,
      perSeries: data.slice(1).map((series) => series.filter((v) => typeof v === 'number').length),
      attribute: document.querySelector('[data-quantity="loss"]')?.getAttribute('data-points'),
    };
  });
  assert.equal(loss.x, batches);
  assert.deepEqual(loss.perSeries, [batches, batches, 5, 5]);
  assert.equal(loss.attribute, String(2 * batches + 10));
  assert.deepEqual(errors, []);
  await page.close();
});

test('heatmap pixels carry the diverging colour of the hidden state under them', async () => {
  const { page } = await openReport();
  const states = lastProbes?.probes[0].layers[0].states ?? [];
  const [t, u] = [39, 5];
  const pixel = await page.evaluate(
    ([t, u]) => {
      const canvas = (globalThis as unknown as PageGlobals).__seqlab?.heatmaps['probe-0/lstm'];
      if (!canvas) return undefined;
      const timesteps = Number(canvas.dataset.timesteps);
      const first = Number(canvas.dataset.firstTimestep);
      const cssWidth = parseFloat(canvas.style.width);
      const cellWidth = (cssWidth - 44 - 8) / timesteps;
      const cellHeight = Number(canvas.dataset.cellHeight);
      const ratio = canvas.width / cssWidth;
      const x = Math.round((44 + (t - first + 0.5) * cellWidth) * ratio);
      const y = Math.round((4 + (u + 0.5) * cellHeight) * ratio);
      return { epoch: canvas.dataset.epoch, rgb: [...(canvas.getContext('2d')?.getImageData(x, y, 1, 1).data ?? [])].slice(0, 3) };
    },
    [t, u],
  );
  assert.equal(pixel?.epoch, '4');
  const expected = divergingColor(states[t][u], 1, paletteFor('light'));
  pixel?.rgb.forEach((channel, i) => assert.ok(Math.abs(channel - expected[i]) <= 2, `${pixel.rgb} vs ${expected}`));
  await page.close();
});

test('the epoch slider scrubs back to the untrained snapshot and hover names the token', async () => {
  const { page } = await openReport();
  const slider = page.locator('.hidden-states .epoch-slider input[type=range]');
  await slider.fill('0');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__seqlab?.heatmaps['probe-0/lstm'].dataset.epoch === '-1');
  assert.match(await page.locator('.hidden-states .epoch-slider .slider-value').innerText(), /before training/);

  const box = await page.locator('canvas[data-key="probe-0/lstm"]').boundingBox();
  assert.ok(box);
  const lastTokenX = box.x + box.width - 8 - 2; // inside the last column
  await page.mouse.move(lastTokenX, box.y + 10);
  const tooltip = page.locator('.heatmap-tooltip');
  await tooltip.waitFor({ state: 'visible' });
  const token = lastProbes?.probes[0].tokens.at(-1) ?? '';
  assert.match(await tooltip.innerText(), new RegExp(`“${token}”[\\s\\S]*timestep 39 · unit 0`));
  await page.close();
});

test('a tooltip under a resting pointer follows the epoch slider to the new value', async () => {
  const { page } = await openReport();
  const box = await page.locator('canvas[data-key="probe-0/lstm"]').boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width - 8 - 2, box.y + 4 + 2); // last timestep (39), unit 0
  const tooltip = page.locator('.heatmap-tooltip');
  const valueAt = (event: ProbesEvent | undefined): string => `state ${formatValue(event?.probes[0].layers[0].states[39][0])}`;
  await tooltip.waitFor({ state: 'visible' });
  assert.match(await tooltip.innerText(), new RegExp(`timestep 39 · unit 0\\s+${escapeRegExp(valueAt(lastProbes))}`));

  await page.locator('.hidden-states .epoch-slider input[type=range]').fill('0'); // the pointer does not move
  const untrained = valueAt(probeEvents[0]);
  assert.notEqual(untrained, valueAt(lastProbes), 'the sample run changes this cell between the two epochs');
  await page.waitForFunction((text) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.heatmap-tooltip')?.textContent?.includes(text), untrained);
  assert.match(await tooltip.innerText(), /before training/);
  await page.close();
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('Export CSV downloads the run and Stop is not offered in a report', async () => {
  const { page } = await openReport();
  assert.equal(await page.locator('.stop-button').isVisible(), false);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('vscode-button', { hasText: 'Export CSV' }).click()]);
  const csv = readFileSync((await download.path()) ?? '', 'utf8');
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'kind,epoch,batch,step,loss,acc');
  assert.equal(lines.length, 1 + batches + 2 * 5);
  await page.close();
});

test('?theme=dark renders on a dark background with the dark heatmap palette', async () => {
  const { page } = await openReport('?theme=dark');
  const look = await page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    return { dark: document.body.classList.contains('vscode-dark'), background: getComputedStyle(document.body).backgroundColor };
  });
  assert.deepEqual(look, { dark: true, background: 'rgb(31, 31, 31)' });
  await page.close();
});

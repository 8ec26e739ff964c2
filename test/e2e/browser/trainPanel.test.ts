// The whole product as a person meets it: real VS Code (code-server) with the packaged VSIX installed,
// an example spec opened, "Sequence Lab: Train" run from the command palette, and the panel checked
// for what it actually draws: the curve data uPlot holds and the heatmap canvases' pixels.
// Screenshots of the panel in the light and dark themes go to test-results/screenshots/ (the README's
// media/screenshots/ are picked from there by hand, after looking at them).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { ensureCodeServer, screenshotsDir } from '../harness/paths';
import { packagedVsix } from '../harness/vsix';
import { clearNotifications, findFrame, openFile, openWorkbench, runCommand, setColorTheme } from '../harness/workbench';
import { createExamplesWorkspace, type TestWorkspace } from '../harness/workspace';
import {
  hasFirstCurvePoint,
  hasFirstCurvePointOrEnded,
  isDarkThemePainted,
  isPainted,
  isSeqlabPanel,
  readCurves,
  readHeatmaps,
  runError,
  runFinished,
  runStatus,
  scrollPanel,
  type HeatmapReport,
} from './panelProbes';

const SPEC = 'sentiment-quick.seqlab.yaml';
const RUN_TIMEOUT_MS = 180_000;

let server: CodeServer;
let browser: Browser;
let page: Page;
let workspace: TestWorkspace;
let panel: Frame;

before(async () => {
  const entry = ensureCodeServer();
  workspace = createExamplesWorkspace();
  server = await startCodeServer({ entry, install: [packagedVsix()], colorTheme: 'Default Light Modern' });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1680, height: 1000 } });
  await openWorkbench(page, server, workspace.folder);
}, { timeout: 5 * 60_000 });

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  workspace?.dispose();
});

function assertHeatmapsPainted(heatmaps: HeatmapReport[]): void {
  assert.ok(heatmaps.length >= 3, `expected a heatmap per probe (3 in ${SPEC}), found ${heatmaps.length}`);
  for (const heatmap of heatmaps) {
    assert.ok(heatmap.paintedFraction > 0.2, `${heatmap.key}: only ${(heatmap.paintedFraction * 100).toFixed(1)}% painted`);
    assert.ok(heatmap.distinctColours >= 8, `${heatmap.key}: only ${heatmap.distinctColours} distinct colours`);
  }
}

/** Saves the workbench with the panel twice: scrolled to the curves, then to the heatmaps. */
async function screenshotPanel(theme: 'light' | 'dark'): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await panel.evaluate(scrollPanel, true);
  await page.screenshot({ path: join(screenshotsDir, `${theme}-curves.png`) });
  await panel.evaluate(scrollPanel, false);
  await page.screenshot({ path: join(screenshotsDir, `${theme}-heatmaps.png`) });
}

describe(`Train ${SPEC} from the command palette`, { timeout: 10 * 60_000 }, () => {
  test('the panel opens and streams the first curve point', async () => {
    await openFile(page, SPEC);
    const pressedAt = await runCommand(page, 'Sequence Lab: Train');
    panel = await findFrame(page, isSeqlabPanel, 60_000);
    // A run that fails before its first batch would otherwise only show up as a timeout.
    await panel.waitForFunction(hasFirstCurvePointOrEnded, undefined, { timeout: RUN_TIMEOUT_MS, polling: 50 });
    assert.ok(await panel.evaluate(hasFirstCurvePoint), `the run ended without a curve point: ${await panel.evaluate(runError)}`);
    const seconds = (Date.now() - pressedAt) / 1000;
    console.log(`[browser] Train command -> first curve point: ${seconds.toFixed(2)} s`);
    assert.ok(seconds < RUN_TIMEOUT_MS / 1000);
  });

  test('the run completes and every curve has its points drawn', async () => {
    await panel.waitForFunction(runFinished, undefined, { timeout: RUN_TIMEOUT_MS, polling: 250 });
    assert.equal(await panel.evaluate(runStatus), 'completed', await panel.evaluate(runError));
    const curves = await panel.evaluate(readCurves);
    assert.ok(curves.quantities.includes('loss'), `charts: ${curves.quantities.join(', ')}`);
    assert.ok(curves.quantities.includes('accuracy'), `charts: ${curves.quantities.join(', ')}`);
    // 1,600 training samples at batch 32 over 4 epochs: 200 batch points per series, plus epoch points.
    for (const quantity of curves.quantities) {
      assert.ok(curves.points[quantity] >= 200, `${quantity}: ${curves.points[quantity]} points`);
      assert.ok(curves.attributePoints[quantity] > 0, `${quantity}: data-points=${curves.attributePoints[quantity]}`);
    }
  });

  test('the probe box on the finished run answers from its saved model (the probe process), with heatmaps and an attribution', async () => {
    await panel.locator('.probe-box textarea.probe-input').fill('the plot was not good');
    await panel.locator('.probe-box textarea.probe-input').press('Enter');
    const card = panel.locator('.probe-box article.inspection').first();
    await card.waitFor({ state: 'visible', timeout: 120_000 });
    assert.match(await card.locator('.prediction').first().innerText(), /^(positive|negative|label [01]) · [<>]?\d+\.\d% · saved model$/);
    assert.ok((await card.locator('.token-chip').count()) >= 5, 'one attribution chip per token');
    assert.ok((await card.locator('canvas').count()) >= 5, 'the hidden state and the LSTM\'s four gates');
    assert.equal(await panel.locator('.probe-box .probe-status.error').count(), 0);
  });

  test('hidden-state heatmaps are painted with a range of colours (light theme)', async () => {
    // Heatmaps are drawn in the frames after a render: read them once none is left to draw.
    await panel.waitForFunction(isPainted, undefined, { timeout: 30_000 });
    assertHeatmapsPainted(await panel.evaluate(readHeatmaps));
    await clearNotifications(page);
    await screenshotPanel('light');
  });

  test('the panel follows the dark theme and still paints its heatmaps', async () => {
    await setColorTheme(page, 'Default Dark Modern');
    // The theme's class arrives first; the heatmaps are redrawn for it a render and some frames later.
    await panel.waitForFunction(isDarkThemePainted, undefined, { timeout: 30_000 });
    assertHeatmapsPainted(await panel.evaluate(readHeatmaps));
    await screenshotPanel('dark');
  });
});


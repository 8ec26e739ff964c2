/**
 * The task views and the comparison in a real browser (issue 8 §1-5), on HTML reports of runs made
 * here: baselines as labelled lines on the curves, the forecast view (dates on the axis, fans, the
 * errors beside the naive forecasts'), the classification view (counts, row-normalised, precision
 * and recall, the most confidently wrong), generated text coloured by probability with the top 5 on
 * hover, and the comparison report. Each page is saved in the light and dark themes as
 * test-results/screenshots/tasks-<view>-<theme>.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Baseline, CompareView, GeneratedToken, RunEvent, RunView } from '../../../src/protocol';
import { buildCompareHtml, buildReportHtml } from '../../../src/report/html';
import { bundleWebview } from '../../../scripts/render-sample-report';
import { chromiumPath, launchBrowser } from '../harness/browser';
import { screenshotsDir } from '../harness/paths';

const EPOCHS = 4;
const BATCHES = 6;

function runEvents(name: string, task: string, metric: string, baselines: Baseline[], value: (epoch: number) => number): RunEvent[] {
  const events: RunEvent[] = [
    { type: 'run', runId: name, runDir: `/runs/${name}`, name, epochs: EPOCHS, batchesPerEpoch: BATCHES, batchSize: 16, quick: false, startedAt: '2026-11-30T12:00:00.000Z' },
    { type: 'data', stats: { source: `${name}.csv`, task, trainSamples: 96, validationSamples: 24, timesteps: 12, loadMs: 5 } },
    { type: 'baselines', baselines },
  ];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let batch = 0; batch < BATCHES; batch++) {
      const step = epoch * BATCHES + batch;
      events.push({ type: 'batch', epoch, batch, step, loss: value(epoch + batch / BATCHES) * 1.1, metrics: { [metric]: value(epoch + batch / BATCHES) }, samplesPerSec: 500 });
    }
    events.push({ type: 'epoch', epoch, train: { loss: value(epoch + 1), [metric]: value(epoch + 1) }, validation: { loss: value(epoch + 1) * 1.05, [metric]: value(epoch + 1) * 1.05 }, durationMs: 800, liveTensors: 40 });
  }
  return events;
}

const months = Array.from({ length: 30 }, (_, i) => `${1958 + Math.floor((i + 4) / 12)}-${String(((i + 4) % 12) + 1).padStart(2, '0')}`);
const seasonal = (k: number) => Math.round(400 + 80 * Math.sin((2 * Math.PI * (k + 4)) / 12) + 3 * k);

function forecastRun(): RunView {
  const horizon = 3;
  const windows = months.length - horizon + 1;
  const actual = months.map((_, k) => seasonal(k));
  const naiveLast = Array.from({ length: windows * horizon }, (_, i) => seasonal(Math.floor(i / horizon) - 1));
  const naiveSeason = Array.from({ length: windows * horizon }, (_, i) => seasonal(Math.floor(i / horizon) + (i % horizon) - 12) + 36);
  const baselines: Baseline[] = [
    { name: 'naive last value', metric: 'val_data_mae', value: 48.5, unit: 'data units', description: 'last value' },
    { name: 'naive last value', metric: 'val_data_rmse', value: 55.2, unit: 'data units', description: 'last value' },
    { name: 'seasonal naive (12)', metric: 'val_data_mae', value: 36.0, unit: 'data units', description: 'a season before' },
    { name: 'seasonal naive (12)', metric: 'val_data_rmse', value: 42.0, unit: 'data units', description: 'a season before' },
  ];
  const events = runEvents('airline-forecast', 'forecast', 'data_mae', baselines, (e) => 120 / (1 + e) + 20);
  for (const event of events) if (event.type === 'epoch') event.validation.data_rmse = event.validation.data_mae * 1.2;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const noise = 60 / (1 + epoch);
    const predicted = Array.from({ length: windows * horizon }, (_, i) => seasonal(Math.floor(i / horizon) + (i % horizon)) + noise * Math.sin(i));
    events.push({
      type: 'forecast',
      epoch,
      predicted,
      ...(epoch === 0 ? { range: { horizon, windows, total: windows, firstStep: 100, actual, dates: months, naive: [{ name: 'naive last value', values: naiveLast }, { name: 'seasonal naive (12)', values: naiveSeason }] } } : {}),
    });
  }
  events.push({ type: 'done', status: 'completed', finalMetrics: {}, durationMs: 3200 });
  return { runId: 'airline-forecast', runDir: '/runs/airline-forecast', events };
}

const SPAM_TEXTS = ['free entry in 2 a wkly comp to win fa cup final tkts', 'ok lar joking wif u oni', 'urgent you have won a 1 week free membership', 'u dun say so early hor u c already then say'];

function classificationRun(): RunView {
  const baselines: Baseline[] = [
    { name: 'majority class', metric: 'val_accuracy', value: 0.866, unit: 'fraction', description: 'always ham' },
    { name: 'class frequencies', metric: 'val_loss', value: 0.394, unit: 'nats per example', description: 'predicting the class frequencies' },
  ];
  const events = runEvents('sms-spam', 'binary', 'accuracy', baselines, (e) => Math.min(0.98, 0.8 + 0.05 * e));
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const missed = 12 - 3 * epoch;
    events.push({
      type: 'classification',
      epoch,
      classes: ['ham', 'spam'],
      confusion: [[960 - epoch, epoch + 5], [missed, 150 - missed]],
      wrong: SPAM_TEXTS.map((text, i) => ({ index: 10 + i, text, actual: i % 2 === 0 ? 1 : 0, predicted: i % 2 === 0 ? 0 : 1, probability: 0.99 - 0.1 * i })),
    });
  }
  return { runId: 'sms-spam', runDir: '/runs/sms-spam', events };
}

function tokens(text: string, seed: number): GeneratedToken[] {
  return [...text].map((token, i) => {
    const p = ((seed * 7 + i * 13) % 97) / 100 + 0.02;
    return { token, id: i + 2, p, top: [{ token, p }, { token: 'e', p: p / 2 }, { token: ' ', p: p / 3 }, { token: 't', p: p / 4 }, { token: 'a', p: p / 5 }] };
  });
}

const settings = { seed: 'ROMEO:', length: 60, temperature: 0.8, topK: 10, sample: 0 };
const SAMPLES = ['\nthe the the the and the the the and the the the the the the th', '\nI will not be so, my lord, and the sea of the world is the', '\nWhat, shall I stay? the duke is come to speak with thee, sir', '\nNay, good my lord, I pray you hear me speak: the king is dead'];

function textRun(): RunView {
  const baselines: Baseline[] = [
    { name: 'uniform', metric: 'val_loss', value: 4.174, unit: 'nats per token', description: 'every character alike' },
    { name: 'unigram', metric: 'val_loss', value: 3.31, unit: 'nats per token', description: 'character frequencies' },
    { name: 'bigram', metric: 'val_loss', value: 2.48, unit: 'nats per token', description: 'next-character frequencies' },
  ];
  const events = runEvents('tiny-shakespeare', 'next-token', 'accuracy', baselines, (e) => 0.3 + 0.1 * e);
  // Next-token loss falls from above the uniform to below the bigram.
  for (const event of events) {
    if (event.type === 'epoch') {
      event.train.loss = 3.9 - 0.45 * event.epoch;
      event.validation.loss = 3.95 - 0.42 * event.epoch;
    }
    if (event.type === 'batch') event.loss = 4.2 - 0.45 * (event.step / BATCHES);
  }
  SAMPLES.forEach((text, epoch) => events.push({ type: 'textSample', epoch, level: 'char', settings, tokens: tokens(text, epoch) }));
  events.push({ type: 'generation', id: 'g1', level: 'char', settings: { ...settings, seed: 'JULIET:', length: 40 }, weights: { kind: 'final' }, tokens: tokens('\nO, speak again, bright angel, for thou art', 9), complete: true });
  return { runId: 'tiny-shakespeare', runDir: '/runs/tiny-shakespeare', events };
}

function compareView(): CompareView {
  const meta = (name: string, seed: number, backend: 'wasm' | 'cpu') => ({ name, status: 'completed' as const, startedAt: '2026-11-30T12:00:00.000Z', task: 'binary', seed, dataHash: 'a1b2c3', backend, versions: { seqlab: '0.1.0', tfjs: '4.22.0', node: '22.0.0' }, epochs: EPOCHS, quick: false });
  const first = classificationRun();
  const second = classificationRun();
  for (const event of second.events) {
    if (event.type === 'epoch') {
      event.validation.accuracy = 0.85 + 0.02 * event.epoch;
      event.validation.loss = 0.5 - 0.05 * event.epoch;
    }
  }
  return {
    runs: [
      { runId: 'spam-lstm', runDir: '/runs/spam-lstm', meta: meta('spam-lstm', 1, 'wasm'), events: first.events },
      { runId: 'spam-gru', runDir: '/runs/spam-gru', meta: meta('spam-gru', 2, 'cpu'), events: second.events },
    ],
    specDifferences: [
      { field: 'model[1].type', values: ['lstm', 'gru'] },
      { field: 'model[1].units', values: ['64', '32'] },
    ],
    runDifferences: [
      { field: 'seed', values: ['1', '2'] },
      { field: 'backend', values: ['wasm', 'cpu'] },
    ],
    notes: [],
    plotted: 2,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'seqlab-tasks-'));
let browser: Browser;

before(async () => {
  assert.ok(existsSync(chromiumPath), `No Chromium at ${chromiumPath}: apt-get install chromium, or set SEQLAB_CHROMIUM.`);
  const assets = await bundleWebview();
  writeFileSync(join(dir, 'forecast.html'), buildReportHtml(forecastRun(), { ...assets, title: 'forecast' }));
  writeFileSync(join(dir, 'classification.html'), buildReportHtml(classificationRun(), { ...assets, title: 'classification' }));
  writeFileSync(join(dir, 'text.html'), buildReportHtml(textRun(), { ...assets, title: 'text' }));
  writeFileSync(join(dir, 'compare.html'), buildCompareHtml(compareView(), { ...assets, title: 'compare' }));
  mkdirSync(screenshotsDir, { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The page globals read here, typed: the Node test build has no DOM library. */
interface PlotLike {
  data: (number | null)[][];
  series: { label?: string }[];
  axes: { values(plot: unknown, splits: number[], a: number, b: number, c: number): string[] }[];
}
interface PageGlobals {
  __seqlab?: { charts: Record<string, PlotLike>; forecast(): PlotLike | undefined; painted(): boolean };
  __seqlabCompare?: { charts: Record<string, PlotLike> };
}

async function open(file: string, theme: 'light' | 'dark', ready: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(`file://${join(dir, file)}?theme=${theme}`);
  await page.waitForSelector(ready, { state: 'attached' });
  // Charts finish drawing in the frames after the render that made `ready`: read and shoot them after.
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__seqlab?.painted() ?? true, undefined, { timeout: 30_000 });
  return { page, errors };
}

/**
 * The text of `locator` once it reads `expected`, else the last text read after `timeoutMs`: a
 * setting changed in the page shows at the next render, a frame or more after the input.
 */
async function textOnceItReads(locator: Locator, expected: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await locator.innerText();
    if (text === expected || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function shoot(page: Page, selector: string, name: string): Promise<void> {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  await page.locator(selector).first().screenshot({ path: join(screenshotsDir, `tasks-${name}.png`) });
}

for (const theme of ['light', 'dark'] as const) {
  test(`forecast view (${theme}): dates on the axis, fans, naive forecasts, errors beside the baselines'`, async () => {
    const { page, errors } = await open('forecast.html', theme, '.forecast-view [data-forecast-row="model"]');
    const read = await page.evaluate(() => {
      const plot = (globalThis as unknown as PageGlobals).__seqlab?.forecast();
      return { labels: plot?.axes[0].values(plot, [0, 12, 27], 0, 0, 0), series: plot?.series.map((s) => s.label ?? '') };
    });
    assert.deepEqual(read.labels, ['1958-05', '1959-05', '1960-08']);
    assert.deepEqual(read.series?.slice(0, 3), ['step', 'actual', 'model (1 step ahead)']);
    assert.ok(read.series?.includes('model, whole forecasts'), 'fans for a 3-step horizon');
    assert.ok(read.series?.includes('seasonal naive (12) (1 step ahead)'));
    const rows = await page.locator('.forecast-view [data-forecast-row]').allInnerTexts();
    assert.equal(rows.length, 3);
    assert.match(rows[0], /^model \(after epoch 4\)\s+46\.2\s+55\.44/, rows[0]); // (120 / 5 + 20) · 1.05, and · 1.2
    const legend = await page.locator('.forecast-view .u-legend .u-series').evaluateAll((rows) => rows.filter((row) => (row as unknown as { style: { display: string } }).style.display !== 'none').map((row) => (row as unknown as { textContent: string }).textContent.trim()));
    assert.deepEqual(legend.slice(1), ['actual', 'model (1 step ahead)', 'model, whole forecasts', 'naive last value (1 step ahead)', 'seasonal naive (12) (1 step ahead)']);
    assert.match(rows[1], /naive last value\s+48\.5\s+55\.2/);
    assert.match(rows[2], /seasonal naive \(12\)\s+36(\.0+)?\s+42(\.0+)?/);
    const baselines = await page.locator('.curves [data-quantity="data_mae"]').getAttribute('data-baselines');
    assert.equal(baselines, 'naive last value=48.5;seasonal naive (12)=36');
    await shoot(page, '.forecast-view', `forecast-${theme}`);
    await shoot(page, '.curves', `curves-forecast-${theme}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`classification view (${theme}): counts, row-normalised, precision and recall, most confidently wrong`, async () => {
    const { page, errors } = await open('classification.html', theme, '.classification-view [data-cell="0,0"]');
    // The last epoch: [[957, 8], [3, 147]].
    const cell = (a: number, p: number) => page.locator(`.classification-view [data-cell="${a},${p}"]`).innerText();
    assert.deepEqual([await cell(0, 0), await cell(0, 1), await cell(1, 0), await cell(1, 1)], ['957', '8', '3', '147']);
    const perClass = await page.locator('.classification-view .per-class tbody tr').allInnerTexts();
    assert.match(perClass[1], /spam\s+0\.948\d*\s+0\.98\s+150/, perClass[1]); // 147 / 155, 147 / 150
    assert.equal(await page.locator('.classification-view [data-wrong]').count(), 4);
    assert.match(await page.locator('.classification-view [data-wrong="10"]').innerText(), /ham \(99\.0%\) · actually spam/);
    assert.equal(await page.locator('.curves [data-quantity="accuracy"]').getAttribute('data-baselines'), 'majority class=0.866');
    assert.equal(await page.locator('.curves [data-quantity="loss"]').getAttribute('data-baselines'), 'class frequencies=0.394');
    await shoot(page, '.classification-view', `classification-${theme}`);
    await page.locator('.classification-view vscode-checkbox', { hasText: 'Row-normalised' }).click();
    assert.equal(await textOnceItReads(page.locator('.classification-view [data-cell="1,0"]'), '2.0%'), '2.0%');
    await shoot(page, '.classification-view', `classification-normalised-${theme}`);
    await shoot(page, '.curves', `curves-classification-${theme}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`generated text (${theme}): the sample of the epoch on the slider, tokens coloured by probability, top 5 on hover`, async () => {
    const { page, errors } = await open('text.html', theme, '.text-generation [data-sample] .token');
    assert.equal(await page.locator('.text-generation [data-sample]').innerText().then((t) => t.includes('Nay, good my lord')), true, 'the last epoch first');
    const token = page.locator('.text-generation [data-generation="g1"] .token').nth(4);
    assert.match((await token.getAttribute('title')) ?? '', /^“s” · probability [\d.]+\n"s" [\d.]+\n"e" [\d.]+\n" " [\d.]+\n"t" [\d.]+\n"a" [\d.]+$/);
    const colours = await page.locator('.text-generation [data-generation="g1"] .token').evaluateAll((spans) => new Set(spans.map((span) => (span as unknown as { style: { backgroundColor: string } }).style.backgroundColor)).size);
    assert.ok(colours > 5, `tokens coloured by probability (${colours} colours)`);
    assert.equal(await page.locator('.curves [data-quantity="loss"]').getAttribute('data-baselines'), 'uniform=4.174;unigram=3.31;bigram=2.48');
    await shoot(page, '.text-generation', `generation-${theme}`);
    const slider = page.locator('.text-generation input[type=range]');
    await slider.fill('0');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.text-generation [data-sample]')?.textContent.includes('the the the') === true);
    await shoot(page, '.text-generation', `generation-epoch1-${theme}`);
    await shoot(page, '.curves', `curves-text-${theme}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`comparison report (${theme}): overlaid curves, final and best metrics with the baselines, the differences`, async () => {
    const { page, errors } = await open('compare.html', theme, '.compare');
    const text = await page.locator('.compare').innerText();
    for (const expected of ['spam-lstm', 'spam-gru', 'model[1].type', 'lstm', 'gru', 'model[1].units', 'seed', 'backend', 'baseline: majority class']) assert.ok(text.includes(expected), expected);
    const lines = await page.evaluate(() => {
      const charts = (globalThis as unknown as PageGlobals).__seqlabCompare?.charts ?? {};
      return Object.fromEntries(Object.entries(charts).map(([name, plot]) => [name, plot.series.slice(1).map((s) => s.label)]));
    });
    assert.deepEqual(lines['binary/accuracy'], ['spam-lstm · train', 'spam-lstm · validation', 'spam-gru · train', 'spam-gru · validation']);
    await page.screenshot({ path: join(screenshotsDir, `tasks-compare-${theme}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

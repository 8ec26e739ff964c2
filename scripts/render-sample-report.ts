/**
 * Renders the HTML report of a synthetic run (no training stack needed) to look at the panel:
 *
 *   npx tsx scripts/render-sample-report.ts [--out DIR] [--status completed|running|failed]
 *   chromium --headless --no-sandbox --disable-gpu --screenshot=/tmp/report.png \
 *     --window-size=1400,1800 "file://DIR/sample-report.html?theme=dark"
 *
 * The webview is bundled in memory with the same esbuild settings as scripts/build.mjs.
 */
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { summarizePrediction } from '../src/inspect/predictionSummary';
import { quantize } from '../src/inspect/quantize';
import type { GateName, LayerGates, RunEvent, RunView } from '../src/protocol';
import { buildReportHtml } from '../src/report/html';

const EPOCHS = 5;
const BATCHES_PER_EPOCH = 120;
const UNITS = 32;
const TIMESTEPS = 40;

const PROBES = [
  {
    label: 'positive review',
    text: 'this movie was absolutely wonderful , the acting was superb and the story kept me engaged from start to finish . i loved every minute and would watch it again',
    sentiment: 1,
  },
  {
    label: 'negative review',
    text: 'what a waste of time . the plot made no sense , the dialogue was painfully bad and i nearly walked out . avoid this boring mess',
    sentiment: -1,
  },
];

/** Deterministic pseudo-random numbers (mulberry32), so every render of the sample is identical. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function leftPadded(text: string): string[] {
  const words = text.split(' ').slice(0, TIMESTEPS);
  return [...new Array<string>(TIMESTEPS - words.length).fill(''), ...words];
}

function hiddenStates(tokens: string[], sentiment: number, layerSeed: number, learned: number): number[][] {
  const rand = random(layerSeed);
  const gain = Array.from({ length: UNITS }, () => rand() * 2 - 1);
  const state = new Array<number>(UNITS).fill(0);
  return tokens.map((token, t) => {
    const noise = random(layerSeed * 1000 + t);
    for (let u = 0; u < UNITS; u++) {
      const input = token === '' ? 0 : (noise() - 0.5) * 1.2 + learned * sentiment * gain[u] * (t / TIMESTEPS) * 2.5;
      state[u] = Math.tanh(0.7 * state[u] + input);
    }
    return [...state];
  });
}

const CELLS = [
  { layer: 'lstm', cell: 'lstm', gates: ['input', 'forget', 'cell', 'output'] },
  { layer: 'gru', cell: 'gru', gates: ['update', 'reset', 'candidate'] },
] as const;

/** Gates that sharpen as training goes: the keeping gate rises on the words that matter. */
function sampleGates(tokens: string[], probe: number, learned: number): LayerGates[] {
  const start = tokens.findIndex((token) => token !== '');
  const rows = TIMESTEPS - start;
  return CELLS.map(({ layer, cell, gates }, l) => {
    const rand = random(100 + 10 * probe + l);
    const noise = Array.from({ length: rows * UNITS }, () => rand() - 0.5);
    const gateValues = (gate: GateName, g: number) => (t: number, u: number) => {
      const base = noise[t * UNITS + u] * (1.2 - learned) + (g + 1) * 0.1 * Math.sin((t + u * 3) / 5) * learned;
      return gate === 'cell' || gate === 'candidate' ? Math.tanh(base * 3) : 1 / (1 + Math.exp(-(base * 4 + (gate === 'forget' || gate === 'update' ? 1 + learned : 0))));
    };
    const keepGate = cell === 'lstm' ? 'forget' : 'update';
    const keepAt = gateValues(keepGate, gates.indexOf(keepGate as never));
    return {
      layer,
      cell,
      direction: 'forward',
      start,
      gates: gates.map((gate, g) => ({ gate, values: quantize(rows, UNITS, gateValues(gate, g), gate === 'cell' || gate === 'candidate' ? [-1, 1] : [0, 1]) })),
      keep: Array.from({ length: rows }, (_, t) => Number((Array.from({ length: UNITS }, (_, u) => keepAt(t, u)).reduce((a, b) => a + b, 0) / UNITS).toFixed(4))),
    };
  });
}

/** A gradient that vanishes less as training goes, like an LSTM's. */
function sampleGradients(epoch: number): RunEvent {
  const learned = (epoch + 1) / EPOCHS;
  return {
    type: 'gradients',
    epoch,
    sequences: 32,
    loss: 0.69 - 0.4 * learned,
    layers: CELLS.map(({ layer, cell }, l) => ({
      layer,
      cell,
      direction: 'forward',
      norms: Array.from({ length: TIMESTEPS }, (_, t) => Number((0.05 * Math.exp(-(TIMESTEPS - 1 - t) * (0.25 - 0.18 * learned) * (1 + l))).toPrecision(4))),
    })),
  };
}

const MAP_SAMPLES = 120;

/** Two classes that pull apart as training goes. */
function sampleRepresentation(epoch: number): RunEvent {
  const learned = (epoch + 1) / EPOCHS;
  const rand = random(555);
  const labels = Array.from({ length: MAP_SAMPLES }, (_, i) => i % 2);
  const points = labels.flatMap((label) => [(label ? 1 : -1) * 2.5 * learned + (rand() - 0.5) * 2, (rand() - 0.5) * 1.6]);
  return {
    type: 'representation',
    epoch,
    layer: 'gru',
    method: 'PCA',
    explained: [Number((0.2 + 0.5 * learned).toFixed(4)), 0.12],
    points: points.map((v) => Number(v.toPrecision(4))),
    ...(epoch === -1
      ? {
          sample: {
            indices: labels.map((_, i) => i * 3),
            texts: labels.map((label, i) => (label ? `a warm and funny film number ${i}, loved it` : `a dull film number ${i}, i was bored`)),
            colour: { kind: 'class', classes: ['negative', 'positive'], of: labels },
          },
        }
      : {}),
  };
}

export type SampleStatus = 'completed' | 'running' | 'failed';

/** A plausible sentiment run: 5 epochs of 120 batches, 2 probes of 40 tokens, 2 layers of 32 units. */
export function sampleRunView(status: SampleStatus = 'completed'): RunView {
  return { runId: 'sample-run', runDir: '/tmp/seqlab/runs/sample-run', events: sampleEvents(status) };
}

function sampleEvents(status: SampleStatus): RunEvent[] {
  const rand = random(7);
  const events: RunEvent[] = [
    { type: 'hello', protocol: 1, backend: 'wasm', versions: { seqlab: '0.1.0', tfjs: '4.22.0', node: process.versions.node } },
    {
      type: 'run',
      runId: 'sample-run',
      runDir: '/tmp/seqlab/runs/sample-run',
      name: 'sentiment-lstm (sample)',
      epochs: EPOCHS,
      batchesPerEpoch: BATCHES_PER_EPOCH,
      batchSize: 64,
      quick: false,
      startedAt: '2026-01-01T12:00:00.000Z',
    },
    {
      type: 'data',
      stats: {
        source: 'builtin:sentiment',
        task: 'binary classification',
        trainSamples: 7680,
        validationSamples: 1920,
        timesteps: TIMESTEPS,
        vocabSize: 2000,
        classes: 2,
        loadMs: 312,
      },
    },
    {
      type: 'model',
      summary: {
        inputShape: [null, TIMESTEPS],
        totalParams: 78_593,
        layers: [
          { name: 'embedding', type: 'embedding', outputShape: [null, TIMESTEPS, 32], params: 64_000 },
          { name: 'lstm', type: 'lstm', outputShape: [null, TIMESTEPS, UNITS], params: 8_320 },
          { name: 'gru', type: 'gru', outputShape: [null, UNITS], params: 6_240 },
          { name: 'dense', type: 'dense', outputShape: [null, 1], params: 33 },
        ],
      },
    },
  ];
  const probes = (epoch: number): RunEvent => {
    const learned = (epoch + 1) / EPOCHS;
    return {
      type: 'probes',
      epoch,
      probes: PROBES.map((probe, i) => {
        const tokens = leftPadded(probe.text);
        return {
          id: `probe-${i}`,
          label: probe.label,
          tokens,
          prediction: [0.5 + 0.45 * probe.sentiment * learned],
          summary: summary(0.5 + 0.45 * probe.sentiment * learned),
          layers: ['lstm', 'gru'].map((layer, l) => ({
            layer,
            units: UNITS,
            states: hiddenStates(tokens, probe.sentiment, 11 + 7 * l + 3 * i, learned),
          })),
        };
      }),
    };
  };
  const views = (epoch: number): RunEvent[] => {
    const learned = (epoch + 1) / EPOCHS;
    return [
      probes(epoch),
      { type: 'gates', epoch, probes: PROBES.map((probe, i) => ({ id: `probe-${i}`, layers: sampleGates(leftPadded(probe.text), i, learned) })) },
      sampleGradients(epoch),
      sampleRepresentation(epoch),
    ];
  };
  events.push(...views(-1));
  const lastEpoch = status === 'running' ? 2 : EPOCHS - 1;
  let step = 0;
  for (let epoch = 0; epoch <= lastEpoch; epoch++) {
    let lossSum = 0;
    let accSum = 0;
    const batches = status === 'running' && epoch === lastEpoch ? 70 : BATCHES_PER_EPOCH;
    for (let batch = 0; batch < batches; batch++, step++) {
      const progress = step / (EPOCHS * BATCHES_PER_EPOCH);
      const loss = 0.28 + 0.41 * Math.exp(-4 * progress) + (rand() - 0.5) * 0.12;
      const acc = Math.min(0.99, 0.9 - 0.4 * Math.exp(-5 * progress) + (rand() - 0.5) * 0.08);
      lossSum += loss;
      accSum += acc;
      const gradNorm = 0.4 * Math.exp(-2 * progress) * (1 + 3 * rand() ** 8);
      events.push({ type: 'batch', epoch, batch, step, loss, metrics: { acc }, samplesPerSec: 410 + rand() * 40, gradNorm, clippedGradNorm: Math.min(gradNorm, 0.5) });
    }
    if (batches < BATCHES_PER_EPOCH) break;
    const train = { loss: lossSum / batches, acc: accSum / batches };
    const validation = { loss: train.loss + 0.02 + epoch * 0.012, acc: train.acc - 0.015 - epoch * 0.004 };
    events.push({ type: 'epoch', epoch, train, validation, durationMs: 18_500, liveTensors: 42 });
    events.push(...views(epoch));
  }
  if (status === 'failed') {
    events.push({
      type: 'error',
      kind: 'numeric',
      message: 'The loss became NaN in epoch 5. Lower `train.learning_rate` (now 0.1) or add `clipnorm`.',
      detail: 'NumericError: loss is NaN at step 600\n    at checkFinite (trainer.ts:88:11)',
    });
  } else if (status === 'completed') {
    const tokens = leftPadded('not good at all , a waste');
    const states = hiddenStates(tokens, -1, 77, 1);
    events.push({
      type: 'inspection',
      id: 'probe-sample-1',
      input: 'not good at all, a waste',
      weights: { kind: 'final' },
      probe: { id: 'probe-sample-1', label: 'not good at all, a waste', tokens, prediction: [0.08], summary: summary(0.08), layers: [{ layer: 'lstm', units: UNITS, states }] },
      gates: sampleGates(tokens, 9, 1).slice(0, 1),
      attribution: {
        method: 'integrated-gradients',
        description: 'integrated gradients over the embedding, 32 steps from a zero embedding',
        target: 'probability of “positive”',
        scores: tokens.map((token) => (token === 'not' ? -0.21 : token === 'good' ? 0.12 : token === 'waste' ? -0.18 : token === '' ? 0 : 0.01)),
        total: -0.42,
      },
    });
    events.push({ type: 'done', status: 'completed', finalMetrics: { loss: 0.29, acc: 0.89, val_loss: 0.36, val_acc: 0.86 }, durationMs: 94_000 });
  }
  return events;
}

/** The worker's summary of a positive-class probability. */
function summary(positive: number) {
  const classes = [
    { id: 1, name: 'positive', probability: positive },
    { id: 0, name: 'negative', probability: 1 - positive },
  ].sort((a, b) => b.probability - a.probability);
  return summarizePrediction({ kind: 'class', ...classes[0], classes });
}

/** dist/webview.js and dist/webview.css, built in memory. */
export async function bundleWebview(): Promise<{ script: string; style: string }> {
  const result = await build({
    entryPoints: ['webview/src/main.ts'],
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    minify: true,
    write: false,
    outfile: 'webview.js',
    absWorkingDir: resolve(__dirname, '..'),
    logLevel: 'warning',
  });
  const text = (suffix: string): string => result.outputFiles.find((file) => file.path.endsWith(suffix))?.text ?? '';
  return { script: text('.js'), style: text('.css') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: '/tmp/seqlab-sample' }, status: { type: 'string', default: 'completed' } },
  });
  const status = values.status as SampleStatus;
  if (!['completed', 'running', 'failed'].includes(status)) throw new Error('--status must be completed, running or failed.');
  const view = sampleRunView(status);
  const html = buildReportHtml(view, { ...(await bundleWebview()), title: 'sentiment-lstm (sample) — Sequence Lab' });
  mkdirSync(values.out, { recursive: true });
  const file = join(values.out, `sample-report${status === 'completed' ? '' : `-${status}`}.html`);
  writeFileSync(file, html);
  console.log(`${file} (${(html.length / 1024).toFixed(0)} KiB, ${view.events.length} events)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}

/**
 * `npm run bench`: training throughput of the seed's IMDB shape (Embedding(10000,128) -> RNN(64)
 * -> Dense(1), T=200, batch 64, synthetic tokens) for every recurrent cell (lstm, gru, simple_rnn,
 * bidirectional lstm) and every backend that loads, through the real trainer, beside PyTorch
 * measured in the same run (`../shared/bench/torch_reference.py` with Debian's python3-torch;
 * bench/torch_bidirectional.py for the bidirectional case). Each configuration runs in its own
 * process, so its peak RSS is its own.
 *
 *   npm run bench                  the recurrent kernel on every backend
 *   npm run bench -- --stock       also tfjs's stock layers (SEQLAB_RECURRENT=stock), on wasm
 *   npm run bench -- --cells lstm,gru
 *   npm run bench -- --views-only  only the views on/off figure
 *
 * Columns: samples/s of wall time and per CPU-second of the process (all its threads), both
 * against PyTorch's; inference samples/s (validation: forward passes, batch 256, the embedding
 * table's product with the kernel included once per 1,024 samples); live tensors
 * after each of two epochs (equal: no leak); peak RSS; kernel threads.
 *
 * Then the cost of the views (issue 7: gates, gradient flow, gradient norms, representation map) on
 * the seed LSTM, wasm: batches with views on and off (the per-batch gradient norm), and the views
 * computed after an epoch (on minus off), projected onto one seed IMDB epoch of 391 batches
 * (validation passes left out of the denominator, so the figure errs high). Off and on alternate
 * twice; each side keeps its faster run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../src/data/types';
import type { LayerSpec } from '../src/language/types';
import { initBackend } from '../src/model/backend';
import { buildModel } from '../src/model/build';
import type { BackendName } from '../src/protocol';
import { train } from '../src/training/trainer';
import { recurrent, spec, tokenData } from '../test/unit/model-fixtures';

const [BATCH, TIMESTEPS, VOCAB, EMBED, UNITS] = [64, 200, 10_000, 128, 64];
const CELLS = ['lstm', 'gru', 'simple_rnn', 'bidirectional'] as const;
type Cell = (typeof CELLS)[number];
/** Timed batches after one warm-up batch (cpu is several times slower than wasm). */
const TIMED_BATCHES: Record<BackendName, number> = { tensorflow: 10, wasm: 10, cpu: 2 };
const INFERENCE_SAMPLES = 1024;
const PYTHON = '/usr/bin/python3';
/** `../shared` beside the repository (a worktree in /work/wt/<name> finds it one level further up). */
const TORCH_REFERENCE = [join(__dirname, '..', '..', 'shared'), join(__dirname, '..', '..', '..', 'shared')]
  .map((shared) => join(shared, 'bench', 'torch_reference.py'))
  .find((path) => existsSync(path)) ?? join(__dirname, '..', '..', 'shared', 'bench', 'torch_reference.py');
const TORCH_BIDIRECTIONAL = join(__dirname, 'torch_bidirectional.py');
const wasmDir = join(__dirname, '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

interface Measurement {
  cell: Cell;
  backend: BackendName;
  implementation: 'kernel' | 'stock';
  samplesPerSec: number;
  samplesPerCpuSec: number;
  inferencePerSec: number;
  liveTensors: number[];
  peakRssMb: number;
  threads: number;
}

interface TorchFigure {
  samples_per_s: number;
  samples_per_cpu_s: number;
  torch: string;
  threads: number;
}

function layers(cell: Cell): LayerSpec[] {
  const rnn = cell === 'bidirectional' ? ({ type: 'bidirectional', layer: recurrent('lstm', UNITS), merge_mode: 'concat' } as const) : recurrent(cell, UNITS);
  return [{ type: 'embedding', output_dim: EMBED, mask_zero: false }, rnn, { type: 'dense', units: 1, activation: 'sigmoid' }];
}

function withoutValidation(data: PreparedData): PreparedData {
  return { ...data, validation: { ...data.validation, count: 0, x: data.validation.x.slice(0, 0), y: data.validation.y.slice(0, 0) } };
}

/** One configuration, in this (child) process: prints its Measurement as JSON. */
async function measure(cell: Cell, preference: BackendName, implementation: 'kernel' | 'stock'): Promise<void> {
  if (implementation === 'stock') process.env.SEQLAB_RECURRENT = 'stock';
  const info = await initBackend(preference, wasmDir);
  if (info.backend !== preference) {
    console.log(JSON.stringify({ skipped: `${preference}: not available` }));
    return;
  }
  const timed = TIMED_BATCHES[preference];
  const modelSpec = (epochs: number) => spec(layers(cell), { batch_size: BATCH, epochs, learning_rate: 0.001, loss: 'binary_crossentropy', metrics: ['accuracy'] });

  // Training: batch 0 warms up (weight upload, thread start). The clocks run from its end to the
  // end of the last batch, as PyTorch's are read around its training steps: the work after an
  // epoch (its views, the hidden states saved) is the views table's below, not a training step's.
  const data = tokenData({ count: (timed + 1) * BATCH, timesteps: TIMESTEPS, vocab: VOCAB });
  const batchEnds: { wallMs: number; cpu: NodeJS.CpuUsage }[] = [];
  await train({
    spec: modelSpec(1),
    data: withoutValidation(data),
    epochs: 1,
    emit: (event) => {
      if (event.type === 'batch') batchEnds.push({ wallMs: performance.now(), cpu: process.cpuUsage() });
    },
    shouldStop: () => false,
  });
  if (batchEnds.length !== timed + 1) throw new Error(`${batchEnds.length} batches ran, ${timed + 1} expected`);
  const [first, last] = [batchEnds[0], batchEnds[timed]];
  const cpuSec = (last.cpu.user - first.cpu.user + last.cpu.system - first.cpu.system) / 1e6;
  const samples = timed * BATCH;
  const samplesPerSec = samples / ((last.wallMs - first.wallMs) / 1000);
  const samplesPerCpuSec = samples / cpuSec;

  // Inference: forward passes over validation-sized batches, as the trainer validates.
  const model = buildModel(modelSpec(1), data);
  const x = tf.tensor(tokenData({ count: 256, timesteps: TIMESTEPS, vocab: VOCAB, seed: 3 }).train.x, [256, TIMESTEPS], 'int32');
  // Warm-up on a small batch: the embedding table's product with the kernel (made once per
  // validation pass, for its ~100 batches) is left inside the timed 4 batches, so the figure errs low.
  tf.tidy(() => (model.apply(tf.slice(x, [0, 0], [16, TIMESTEPS])) as tf.Tensor).dataSync());
  const inferenceStart = performance.now();
  for (let done = 0; done < INFERENCE_SAMPLES; done += 256) tf.tidy(() => (model.apply(x) as tf.Tensor).dataSync());
  const inferencePerSec = INFERENCE_SAMPLES / ((performance.now() - inferenceStart) / 1000);
  x.dispose();
  model.optimizer.dispose();
  model.dispose();

  // Live tensors after each of two small epochs: equal when nothing leaks.
  const liveTensors: number[] = [];
  await train({
    spec: modelSpec(2),
    data: tokenData({ count: BATCH, timesteps: 20, vocab: VOCAB }),
    epochs: 2,
    emit: (event) => {
      if (event.type === 'epoch') liveTensors.push(event.liveTensors);
    },
    shouldStop: () => false,
  });
  const measurement: Measurement = {
    cell,
    backend: preference,
    implementation,
    samplesPerSec,
    samplesPerCpuSec,
    inferencePerSec,
    liveTensors,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    threads: info.threads,
  };
  console.log(JSON.stringify(measurement));
}

/** The seed IMDB epoch: 25,000 training reviews in batches of 64. */
const SEED_EPOCH_BATCHES = Math.ceil(25_000 / BATCH);
const VIEW_TIMED_BATCHES = 6;

interface ViewsMeasurement {
  views: boolean;
  /** Mean wall time of a timed batch, ms. */
  batchMs: number;
  /** From the epoch's metrics to the end of training: the views after an epoch (and the final save of hidden states), ms. */
  afterEpochMs: number;
  /** CPU time of the whole run, s. */
  cpuSec: number;
}

/** One epoch of the seed LSTM with the views on or off, in this (child) process: prints a ViewsMeasurement. */
async function measureViews(preference: BackendName, views: boolean): Promise<void> {
  const info = await initBackend(preference, wasmDir);
  if (info.backend !== preference) {
    console.log(JSON.stringify({ skipped: `${preference}: not available` }));
    return;
  }
  // The seed's probes: three sequences, 64 units drawn; a validation split for the gradient-flow batch and the map.
  const seedSpec = spec(layers('lstm'), { batch_size: BATCH, epochs: 1, learning_rate: 0.001, loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const runSpec = { ...seedSpec, inspect: { probes: [{ index: 0 }, { index: 1 }, { index: 2 }], max_units: UNITS } };
  const data = tokenData({ count: (VIEW_TIMED_BATCHES + 1) * BATCH, timesteps: TIMESTEPS, vocab: VOCAB });
  const times: { batch: number[]; epoch?: number } = { batch: [] };
  const cpu = process.cpuUsage();
  await train({
    spec: runSpec,
    data,
    epochs: 1,
    maxProbes: 3,
    views: { enabled: views },
    emit: (event) => {
      if (event.type === 'batch') times.batch.push(performance.now());
      if (event.type === 'epoch') times.epoch = performance.now();
    },
    shouldStop: () => false,
  });
  const end = performance.now();
  const used = process.cpuUsage(cpu);
  // Batch 0 warms up; the median interval after it resists a neighbour's burst on a shared machine.
  const intervals = times.batch.slice(1).map((time, i) => time - times.batch[i]).sort((a, b) => a - b);
  const batchMs = intervals[Math.floor(intervals.length / 2)];
  const measurement: ViewsMeasurement = { views, batchMs, afterEpochMs: end - (times.epoch ?? end), cpuSec: (used.user + used.system) / 1e6 };
  console.log(JSON.stringify(measurement));
}

/** Views on and off, each in its own process; the overhead projected onto a seed IMDB epoch. */
function viewsOverhead(): void {
  const measureOnce = (views: boolean): ViewsMeasurement | undefined => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--views-child', 'wasm', String(views)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    try {
      return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as ViewsMeasurement;
    } catch {
      console.error(`views ${views ? 'on' : 'off'} failed:\n${result.stderr.slice(-2000)}`);
      return undefined;
    }
  };
  // Off, on, off, on: each figure is the faster of its two runs, so a busy moment hits neither side alone.
  const runs = [false, true, false, true].map(measureOnce);
  if (runs.some((run) => !run)) return;
  const fastest = (views: boolean): ViewsMeasurement => {
    const mine = runs.filter((run): run is ViewsMeasurement => run?.views === views);
    return { views, batchMs: Math.min(...mine.map((m) => m.batchMs)), afterEpochMs: Math.min(...mine.map((m) => m.afterEpochMs)), cpuSec: Math.min(...mine.map((m) => m.cpuSec)) };
  };
  const [off, on] = [fastest(false), fastest(true)];
  const epochOff = SEED_EPOCH_BATCHES * off.batchMs + off.afterEpochMs;
  const epochOn = SEED_EPOCH_BATCHES * on.batchMs + on.afterEpochMs;
  console.log(`\nViews on/off (seed LSTM, wasm, ${VIEW_TIMED_BATCHES} timed batches per run, median, the faster of two runs each, 3 probes, ${UNITS} units drawn):`);
  printTable([
    ['views', 'ms/batch', 'after-epoch ms', 'process CPU-s', `projected seed IMDB epoch (${SEED_EPOCH_BATCHES} batches)`],
    ...[off, on].map((m, i) => [m.views ? 'on' : 'off', m.batchMs.toFixed(1), m.afterEpochMs.toFixed(0), m.cpuSec.toFixed(1), `${((i === 0 ? epochOff : epochOn) / 1000).toFixed(1)} s`]),
  ]);
  console.log(`Views overhead: ${(((epochOn - epochOff) / epochOff) * 100).toFixed(1)}% of a seed IMDB epoch (per batch ${(((on.batchMs - off.batchMs) / off.batchMs) * 100).toFixed(1)}%, after the epoch +${(on.afterEpochMs - off.afterEpochMs).toFixed(0)} ms).`);
}

function runChild(cell: Cell, backend: BackendName, implementation: 'kernel' | 'stock'): Measurement | undefined {
  const result = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', cell, backend, implementation], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const parsed = JSON.parse(line) as Measurement | { skipped: string };
    if ('skipped' in parsed) return undefined;
    return parsed;
  } catch {
    console.error(`${cell} on ${backend} (${implementation}) failed:\n${result.stderr.slice(-2000)}`);
    return undefined;
  }
}

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** PyTorch's figures for `cell`, measured now on the same samples, or why there are none. */
function torchFigure(cell: Cell): TorchFigure | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  if (!torchAvailable()) return 'PyTorch not installed';
  const script = cell === 'bidirectional' ? TORCH_BIDIRECTIONAL : TORCH_REFERENCE;
  if (!existsSync(script)) return `${script} not found`;
  const args = [script, cell === 'bidirectional' ? 'lstm' : cell, String(TIMED_BATCHES.wasm * BATCH), String(TIMESTEPS), String(VOCAB), String(EMBED), String(UNITS), String(BATCH)];
  try {
    return JSON.parse(execFileSync(PYTHON, args, { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '') as TorchFigure;
  } catch (error) {
    return `PyTorch reference failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return measure(args[1] as Cell, args[2] as BackendName, args[3] as 'kernel' | 'stock');
  if (args[0] === '--views-child') return measureViews(args[1] as BackendName, args[2] === 'true');
  if (args.includes('--views-only')) return viewsOverhead();
  const cellsArg = args.indexOf('--cells');
  const cells = cellsArg >= 0 ? (args[cellsArg + 1].split(',') as Cell[]) : [...CELLS];
  const withStock = args.includes('--stock');
  const backends: BackendName[] = args.includes('--wasm-only') ? ['wasm'] : ['tensorflow', 'wasm', 'cpu'];

  const rows = [['cell', 'backend', 'recurrent', 'samples/s', 'x PyTorch', 'samples/CPU-s', 'x PyTorch (CPU)', 'inference/s', 'live tensors/epoch', 'peak RSS', 'threads']];
  const fmt = (value: number) => value.toFixed(1);
  for (const cell of cells) {
    const torch = torchFigure(cell);
    const versus = (ours: number, theirs: number | undefined) => (theirs ? `${(ours / theirs).toFixed(2)}x` : typeof torch === 'string' ? torch : '');
    rows.push(
      typeof torch === 'string'
        ? [cell, 'pytorch', '', torch, '', '', '', '', '', '', '']
        : [cell, 'pytorch', `torch ${torch.torch}`, fmt(torch.samples_per_s), '1.00x', fmt(torch.samples_per_cpu_s), '1.00x', '', '', '', String(torch.threads)],
    );
    const configurations: [BackendName, 'kernel' | 'stock'][] = [...backends.map((b) => [b, 'kernel'] as [BackendName, 'kernel']), ...(withStock ? [['wasm', 'stock'] as [BackendName, 'stock']] : [])];
    for (const [backend, implementation] of configurations) {
      const m = runChild(cell, backend, implementation);
      if (!m) continue;
      const t = typeof torch === 'string' ? undefined : torch;
      rows.push([
        cell,
        backend,
        implementation === 'kernel' ? 'wasm kernel' : 'tfjs stock',
        fmt(m.samplesPerSec),
        versus(m.samplesPerSec, t?.samples_per_s),
        fmt(m.samplesPerCpuSec),
        versus(m.samplesPerCpuSec, t?.samples_per_cpu_s),
        fmt(m.inferencePerSec),
        m.liveTensors.join(' -> '),
        `${m.peakRssMb.toFixed(0)} MB`,
        String(m.threads),
      ]);
      console.error(`${cell} ${backend} ${implementation}: ${fmt(m.samplesPerSec)} samples/s, ${fmt(m.samplesPerCpuSec)} per CPU-s`);
    }
  }
  console.log(
    `\nSeed IMDB shape: Embedding(${VOCAB},${EMBED}) -> RNN(${UNITS}) -> Dense(1), T=${TIMESTEPS}, batch ${BATCH}, synthetic tokens; ` +
      `${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model.trim()}, load average ${loadavg()[0].toFixed(1)}; tfjs ${tf.version.tfjs}`,
  );
  printTable(rows);
  viewsOverhead();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

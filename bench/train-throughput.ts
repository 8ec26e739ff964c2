/**
 * Training throughput of the seed's IMDB model (Embedding(10000,128) -> LSTM(64) -> Dense(1),
 * T=200, batch 64) on synthetic tokens, through the real trainer, for each backend that loads.
 * Run with `npm run bench`. The PyTorch figure was measured separately on this machine (DESIGN.md).
 */
import * as tf from '@tensorflow/tfjs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { PreparedData } from '../src/data/types';
import { initBackend } from '../src/model/backend';
import type { BackendName } from '../src/protocol';
import type { ModelSpec } from '../src/language/types';
import { train } from '../src/training/trainer';
import { recurrent, spec, tokenData } from '../test/unit/model-fixtures';

const PYTORCH_SAMPLES_PER_SEC = 63;
const BATCH = 64;
const TIMESTEPS = 200;
const VOCAB = 10_000;
/** Timed batches per backend after one warm-up batch (cpu is several times slower than wasm). */
const TIMED_BATCHES: Record<BackendName, number> = { tensorflow: 10, wasm: 5, cpu: 2 };

const wasmDir = join(__dirname, '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

function seedModel(epochs: number): ModelSpec {
  return spec(
    [{ type: 'embedding', output_dim: 128, mask_zero: false }, recurrent('lstm', 64), { type: 'dense', units: 1, activation: 'sigmoid' }],
    { batch_size: BATCH, epochs, learning_rate: 0.001 },
  );
}

interface Throughput {
  /** Samples per second of wall time: what a user sees. */
  wall: number;
  /** Samples per second of this process's CPU time: what the code costs, even on a busy machine. */
  cpu: number;
}

async function throughput(timedBatches: number): Promise<Throughput> {
  const data = tokenData({ count: (timedBatches + 1) * BATCH, timesteps: TIMESTEPS, vocab: VOCAB });
  let started: { wallMs: number; cpu: NodeJS.CpuUsage } | undefined;
  await train({
    spec: seedModel(1),
    data: withoutValidation(data),
    epochs: 1,
    emit: (event) => {
      // Batch 0 warms up (kernel compilation, weight upload); the clock starts after it.
      if (event.type === 'batch' && event.batch === 0) started = { wallMs: performance.now(), cpu: process.cpuUsage() };
    },
    shouldStop: () => false,
  });
  if (!started) throw new Error('no batch ran');
  const samples = timedBatches * BATCH;
  const cpu = process.cpuUsage(started.cpu);
  return { wall: samples / ((performance.now() - started.wallMs) / 1000), cpu: samples / ((cpu.user + cpu.system) / 1e6) };
}

/** Live tensors after each of two tiny epochs: must be equal (no leak). */
async function liveTensorsPerEpoch(): Promise<number[]> {
  const counts: number[] = [];
  await train({
    spec: seedModel(2),
    data: tokenData({ count: BATCH, timesteps: 20, vocab: VOCAB }),
    epochs: 2,
    emit: (event) => {
      if (event.type === 'epoch') counts.push(event.liveTensors);
    },
    shouldStop: () => false,
  });
  return counts;
}

function withoutValidation(data: PreparedData): PreparedData {
  const empty = { ...data.validation, count: 0, x: data.validation.x.slice(0, 0), y: data.validation.y.slice(0, 0) };
  return { ...data, validation: empty };
}

async function main(): Promise<void> {
  const rows: string[][] = [['backend', 'samples/s', 'vs PyTorch', 'samples/CPU-s', 'live tensors/epoch', 'peak RSS']];
  for (const preference of ['tensorflow', 'wasm', 'cpu'] as const) {
    const { backend } = await initBackend(preference, wasmDir);
    if (backend !== preference) {
      console.log(`${preference}: not available, skipped`);
      continue;
    }
    const rate = await throughput(TIMED_BATCHES[backend]);
    const tensors = await liveTensorsPerEpoch();
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    rows.push([backend, rate.wall.toFixed(1), `${(rate.wall / PYTORCH_SAMPLES_PER_SEC).toFixed(2)}x`, rate.cpu.toFixed(1), tensors.join(' -> '), `${peakRssMb.toFixed(0)} MB`]);
    console.log(`${backend}: ${rate.wall.toFixed(1)} samples/s (${rate.cpu.toFixed(1)} per CPU-second; tfjs ${tf.version.tfjs})`);
  }
  rows.push(['pytorch (reference)', String(PYTORCH_SAMPLES_PER_SEC), '1.00x', '', '', '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log(`\nSeed IMDB model, T=${TIMESTEPS}, batch ${BATCH}, synthetic tokens; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (peak RSS is process-wide, cumulative)`);
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

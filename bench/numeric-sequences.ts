/**
 * `npm run bench` (second part): numeric sequences.
 *
 * 1. Feature extraction: every FSDD recording (`../shared/data/fsdd/recordings`, 3,000 WAVs; a
 *    made set of 3,000 tone clips where it is absent) read, and turned into MFCCs (13 of 40 mel
 *    bands, 25 ms frames every 10 ms, 1 s) — files per second and the peak RSS of the process that
 *    did it. Goal: all 3,000 in under 10 s here.
 * 2. Training at the FSDD shape: [101 frames, 13 MFCCs] -> GRU(64) -> Dense(10, softmax), batch 64,
 *    through the real trainer (wasm), beside Keras (TensorFlow CPU) and PyTorch 2 measured in the
 *    same run by bench/numeric_reference.py (when the reference Python is installed).
 *
 *   node --import tsx bench/numeric-sequences.ts [--features-only | --training-only]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { FeatureExtractor } from '../src/data/audio/features';
import { spokenDigits } from '../src/data/audio/spokenDigits';
import { readWav } from '../src/data/audio/wav';
import type { PreparedData } from '../src/data/types';
import { initBackend } from '../src/model/backend';
import { train } from '../src/training/trainer';
import { referencePython } from '../test/python/referencePython';
import { recurrent, seeded, spec, valueData } from '../test/unit/model-fixtures';

const [BATCH, FRAMES, CHANNELS, UNITS, CLASSES, TIMED_BATCHES] = [64, 101, 13, 64, 10, 12];
const wasmDir = join(__dirname, '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const FSDD = [join(__dirname, '..', '..', 'shared', 'data', 'fsdd', 'recordings'), join(__dirname, '..', '..', '..', 'shared', 'data', 'fsdd', 'recordings')].find((dir) => existsSync(dir));

interface FeatureFigure {
  files: number;
  source: string;
  seconds: number;
  cpuSeconds: number;
  frames: number;
  peakRssMb: number;
}

/** In this (child) process: read and featurise every clip, print a FeatureFigure. */
async function measureFeatures(): Promise<void> {
  const extractor = new FeatureExtractor({ kind: 'mfcc', sampleRate: 8000, n_mfcc: 13, n_mels: 40, frame_ms: 25, hop_ms: 10, fmin: 0, duration: 1 });
  let frames = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  let files: number;
  if (FSDD) {
    const names = readdirSync(FSDD).filter((name) => name.endsWith('.wav'));
    for (const name of names) frames += extractor.compute(readWav(readFileSync(join(FSDD, name)), name).samples).frames;
    files = names.length;
  } else {
    const { digits } = await spokenDigits({ speakers: 6, repetitions: 50, tones: true }, 1);
    for (const digit of digits) frames += extractor.compute(digit.samples).frames;
    files = digits.length;
  }
  const used = process.cpuUsage(cpu);
  const figure: FeatureFigure = { files, source: FSDD ? 'FSDD WAV files' : 'made tone clips (no FSDD here)', seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, frames, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(figure));
}

function multiclassData(count: number): PreparedData {
  const data = valueData({ count, timesteps: FRAMES, features: CHANNELS });
  const random = seeded(5);
  const labels = (n: number) => Int32Array.from({ length: n }, () => Math.floor(random() * CLASSES));
  return {
    ...data,
    train: { ...data.train, y: labels(data.train.count), yShape: [data.train.count] },
    validation: { ...data.validation, count: 0, x: data.validation.x.slice(0, 0), y: new Int32Array(0), yShape: [0] },
    classes: CLASSES,
  };
}

/** In this (child) process: time our training steps, print samples/s and per CPU-second. */
async function measureTraining(): Promise<void> {
  const info = await initBackend('wasm', wasmDir);
  const model = [recurrent('gru', UNITS), { type: 'dense' as const, units: CLASSES, activation: 'softmax' as const }];
  const modelSpec = spec(model, { batch_size: BATCH, epochs: 1, learning_rate: 0.001, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  modelSpec.data.task = 'multiclass';
  const ends: { wallMs: number; cpu: NodeJS.CpuUsage }[] = [];
  await train({
    spec: modelSpec,
    data: multiclassData((TIMED_BATCHES + 1) * BATCH),
    epochs: 1,
    emit: (event) => {
      if (event.type === 'batch') ends.push({ wallMs: performance.now(), cpu: process.cpuUsage() });
    },
    shouldStop: () => false,
  });
  const [first, last] = [ends[0]!, ends[ends.length - 1]!];
  const samples = (ends.length - 1) * BATCH;
  const cpu = (last.cpu.user - first.cpu.user + last.cpu.system - first.cpu.system) / 1e6;
  console.log(JSON.stringify({ samples_per_s: samples / ((last.wallMs - first.wallMs) / 1000), samples_per_cpu_s: samples / cpu, threads: info.threads, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function child(flag: string): Record<string, number | string> | undefined {
  const result = spawnSync(process.execPath, ['--import', 'tsx', __filename, flag], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = result.stdout.trim().split('\n').pop();
  if (result.status !== 0 || !line) {
    console.error(`${flag} failed:\n${result.stderr.slice(-2000)}`);
    return undefined;
  }
  return JSON.parse(line) as Record<string, number | string>;
}

function peer(framework: 'keras' | 'torch'): Record<string, number | string> | string {
  const reference = referencePython();
  if (!('python' in reference)) return `not measured: ${reference.unavailable}`;
  const result = spawnSync(reference.python, [join(__dirname, 'numeric_reference.py'), framework, String(TIMED_BATCHES * BATCH), String(FRAMES), String(CHANNELS), String(UNITS), String(BATCH)], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', THREADS: '2' },
  });
  const line = result.stdout.trim().split('\n').pop();
  return result.status === 0 && line ? (JSON.parse(line) as Record<string, number | string>) : `failed: ${result.stderr.trim().split('\n').pop()}`;
}

const round = (value: number | string | undefined, digits = 1) => (typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(value));

async function main(): Promise<void> {
  const only = process.argv[2];
  console.log(`Numeric sequences (load average ${loadavg().map((v) => v.toFixed(2)).join(' ')})`);
  if (only !== '--training-only') {
    const features = child('--features-child');
    if (features) {
      console.log(
        `Feature extraction (${features.source}): ${features.files} files -> MFCC in ${round(features.seconds, 2)} s (${round(Number(features.files) / Number(features.seconds), 0)} files/s, ${round(features.cpuSeconds, 2)} CPU-s), ${round(features.frames, 0)} frames, peak RSS ${round(features.peakRssMb, 0)} MB (goal: 3,000 files in under 10 s)`,
      );
    }
  }
  if (only === '--features-only') return;
  const ours = child('--training-child');
  const keras = peer('keras');
  const torch = peer('torch');
  const ratio = (theirs: Record<string, number | string> | string, key: string) => (ours && typeof theirs !== 'string' ? `${(Number(ours[key]) / Number(theirs[key])).toFixed(2)}x` : '-');
  const figure = (value: Record<string, number | string> | string, key: string) => (typeof value === 'string' ? value : round(value[key]));
  console.log(`\nTraining, FSDD shape [${FRAMES}, ${CHANNELS}] -> GRU(${UNITS}) -> Dense(${CLASSES}), batch ${BATCH}, ${TIMED_BATCHES} timed batches after a warm-up, 2 threads each:`);
  console.log('| | samples/s | samples per CPU-s |');
  console.log('| --- | --- | --- |');
  if (ours) console.log(`| Sequence Lab (wasm kernel, peak RSS ${round(ours.peakRssMb, 0)} MB) | ${round(ours.samples_per_s)} | ${round(ours.samples_per_cpu_s)} |`);
  console.log(`| ${typeof keras === 'string' ? 'Keras' : keras.version} (GRU reset_after=False) | ${figure(keras, 'samples_per_s')} (ours ${ratio(keras, 'samples_per_s')}) | ${figure(keras, 'samples_per_cpu_s')} (ours ${ratio(keras, 'samples_per_cpu_s')}) |`);
  console.log(`| ${typeof torch === 'string' ? 'PyTorch' : torch.version} | ${figure(torch, 'samples_per_s')} (ours ${ratio(torch, 'samples_per_s')}) | ${figure(torch, 'samples_per_cpu_s')} (ours ${ratio(torch, 'samples_per_cpu_s')}) |`);
}

if (process.argv[2] === '--features-child') void measureFeatures();
else if (process.argv[2] === '--training-child') void measureTraining();
else void main();

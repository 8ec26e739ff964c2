/**
 * Large corpora, end to end: time to the first training batch and the worker's peak RSS for a
 * generated character corpus (default 160 MB) and word corpus (default 300 MB), trained through
 * the real worker (next-token, a small LSTM, wasm). Also a corpus over the documented limits, which
 * must be refused before it is read. Run with `npm run bench:corpus` (optionally
 * `-- --chars-mb 160 --words-mb 300`, and `--no-views` to train without the per-epoch views, whose
 * gradient flow is a large share of a 10,000-word model's first batch); prints one JSON line per
 * case, with the worker's peak RSS and CPU seconds both when its data was ready and at the first
 * batch. Corpora are written to a temporary folder and deleted afterwards.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { once } from 'node:events';
import { join } from 'node:path';
import { seededRandom } from '../src/data/random';
import type { RunEvent } from '../src/protocol';
import { startTraining } from '../src/training/client';

const workerPath = join(__dirname, '..', 'dist', 'worker.js');
const MB = 1024 * 1024;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

/** Writes `megabytes` of text made by `line()` (deterministic), streamed so the bench itself stays small. */
async function writeCorpus(file: string, megabytes: number, line: () => string): Promise<void> {
  const out = createWriteStream(file);
  for (let written = 0; written < megabytes * MB; ) {
    const text = line();
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Sentences over a 60-character alphabet (letters, digits, punctuation), like a play's text. */
function characterLines(): () => string {
  const random = seededRandom(1);
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return () => {
    const words = Array.from({ length: 12 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => letters[Math.floor(random() * letters.length)]).join(''));
    return `${words.join(' ')}${'.,;!?'[Math.floor(random() * 5)]} ${Math.floor(random() * 10)}\n`;
  };
}

/** Lines of 200 words drawn from 50,000 with Zipf frequencies, like natural text. */
function wordLines(): () => string {
  const random = seededRandom(2);
  const vocabulary = Array.from({ length: 50_000 }, (_, i) => `w${i.toString(36)}`);
  const harmonic = vocabulary.reduce((sum, _, i) => sum + 1 / (i + 1), 0);
  const cumulative: number[] = [];
  vocabulary.reduce((sum, _, i) => (cumulative[i] = sum + 1 / (i + 1) / harmonic), 0);
  const pick = () => {
    const u = random();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < u) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low]!;
  };
  return () => `${Array.from({ length: 200 }, pick).join(' ')}\n`;
}

function specText(source: string, level: 'char' | 'word', outputUnits: number): string {
  return `name: corpus-${level}
data:
  source: ${source}
  task: next-token
  max_len: 100
  tokenizer:
    level: ${level}${level === 'word' ? '\n    vocab_size: 10000' : ''}
model:
  - type: embedding
    output_dim: 16
  - type: lstm
    units: 32
    return_sequences: true
  - type: time_distributed
    layer:
      type: dense
      units: ${outputUnits}
      activation: softmax
train:
  batch_size: 32
inspect:
  probes: []
`;
}

/** Peak resident memory and CPU seconds of a live process, from /proc. */
function processUsage(pid: number): { peakRssMB: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peak = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { peakRssMB: Math.round(peak / 1024), cpuSeconds: Math.round((ticks / 100) * 10) / 10 };
}

interface Result {
  case: string;
  megabytes: number;
  outcome: 'first batch' | 'refused' | 'failed';
  seconds: number;
  loadSeconds?: number;
  /** Peak RSS and CPU seconds of the worker when its data was ready (before the model and the views). */
  dataPeakRssMB?: number;
  dataCpuSeconds?: number;
  peakRssMB?: number;
  cpuSeconds?: number;
  vocabulary?: number;
  trainChunks?: number;
  message?: string;
}

async function firstBatch(name: string, dir: string, spec: string, megabytes: number): Promise<Result> {
  const specPath = join(dir, `${name}.seqlab.yaml`);
  writeFileSync(specPath, spec);
  const started = Date.now();
  const views = process.argv.includes('--no-views') ? { views: { enabled: false } } : {};
  const job = startTraining({ specPath, epochs: 1, backend: 'wasm', runsDir: join(dir, 'runs'), ...views }, { workerPath });
  const result = await new Promise<Result>((resolve) => {
    const base = { case: name, megabytes };
    let data: Extract<RunEvent, { type: 'data' }>['stats'] | undefined;
    let dataUsage: ReturnType<typeof processUsage> | undefined;
    job.onEvent((event) => {
      if (event.type === 'data') {
        data = event.stats;
        // The data pipeline's own share: the worker's peak so far, before the model and the views.
        if (job.pid !== undefined) dataUsage = processUsage(job.pid);
      }
      if (event.type === 'batch' && job.pid !== undefined) {
        resolve({
          ...base,
          outcome: 'first batch',
          seconds: (Date.now() - started) / 1000,
          loadSeconds: (data?.loadMs ?? 0) / 1000,
          dataPeakRssMB: dataUsage?.peakRssMB,
          dataCpuSeconds: dataUsage?.cpuSeconds,
          ...processUsage(job.pid),
          vocabulary: data?.vocabSize,
          trainChunks: data?.trainSamples,
        });
        job.kill();
      }
      if (event.type === 'error') resolve({ ...base, outcome: event.kind === 'data' ? 'refused' : 'failed', seconds: (Date.now() - started) / 1000, message: event.message });
    });
  });
  await job.done.catch(() => undefined);
  return result;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seqlab-corpus-bench-'));
  const charsMB = argument('chars-mb', 160);
  const wordsMB = argument('words-mb', 300);
  console.error(`# ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; corpora in ${dir}`);
  try {
    await writeCorpus(join(dir, 'chars.txt'), charsMB, characterLines());
    // 52 letters, the space, 5 punctuation marks, 10 digits and the newline; lowercased: 26 + 17; + padding + OOV.
    console.log(JSON.stringify(await firstBatch('characters', dir, specText('chars.txt', 'char', 45), charsMB)));
    rmSync(join(dir, 'chars.txt'));
    await writeCorpus(join(dir, 'words.txt'), wordsMB, wordLines());
    console.log(JSON.stringify(await firstBatch('words', dir, specText('words.txt', 'word', 10000), wordsMB)));
    rmSync(join(dir, 'words.txt'));
    // Over the documented file limit (500 MB): refused before it is read. A sparse file costs no disk.
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 600 * MB);
    console.log(JSON.stringify(await firstBatch('over the limit', dir, specText('huge.txt', 'char', 45), 600)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

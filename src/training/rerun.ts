/**
 * Re-running a finished run: the options that train its spec snapshot again exactly as it was
 * trained, and the comparison of the two runs (final metrics and every weight, bit for bit) that
 * says whether the re-run reproduced it and, if not, what differed. No TensorFlow.js here: the
 * extension host and the CLI compare runs from their files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Metrics, TrainOptions } from '../protocol';
import { MODEL_DIR, readMeta, SPEC_FILE, type RunMeta } from './runStore';

/** A run cannot be re-run or compared; the message says why. */
export class RerunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RerunError';
  }
}

/**
 * What trains `runDir`'s spec snapshot again with the run's backend, kernel threads, epochs and
 * options, into the same runs folder. Throws a RerunError for a run that did not complete, or that was recorded
 * before run.json kept what a re-run needs.
 */
export function rerunOptions(runDir: string): TrainOptions {
  const meta = readMeta(runDir);
  if (meta.status !== 'completed') {
    throw new RerunError(`Run ${meta.id} is ${meta.status}: only a completed run can be re-run and compared (a stopped or failed run has no end to reproduce).`);
  }
  if (meta.specPath === undefined) {
    throw new RerunError(`Run ${meta.id} was recorded before Sequence Lab kept what a re-run needs (the spec's path); train its spec again instead.`);
  }
  return {
    specPath: meta.specPath,
    specText: readFileSync(join(runDir, SPEC_FILE), 'utf8'),
    epochs: meta.epochs,
    quick: meta.quick,
    ...(meta.previewExamples !== undefined ? { previewExamples: meta.previewExamples } : {}),
    ...(meta.maxProbes !== undefined ? { maxProbes: meta.maxProbes } : {}),
    // The kernel splits each batch across its threads: another count sums gradients in another order.
    ...(meta.threads !== undefined ? { threads: meta.threads } : {}),
    runsDir: dirname(runDir),
    backend: meta.backend,
    rerunOf: meta.id,
  };
}

export interface RunComparison {
  /** Same final metrics and the same weights, bit for bit. */
  matched: boolean;
  /** What differs, one sentence each: the setting (backend, versions, data, spec) first, then the numbers. */
  differences: string[];
  /** How much was compared, for the report: metric names, weight tensors, weight values. */
  compared: { metrics: number; weights: number; values: number };
}

/** Compares a re-run with its original: settings, final metrics (exact), weights (bit for bit). */
export function compareRuns(originalDir: string, rerunDir: string): RunComparison {
  const original = readMeta(originalDir);
  const rerun = readMeta(rerunDir);
  const differences = [...settingDifferences(original, rerun)];
  if (rerun.status !== 'completed') differences.push(`The re-run did not complete (${rerun.status}${rerun.error ? `: ${rerun.error.message.split('\n')[0]}` : ''}).`);
  const metrics = metricDifferences(original.finalMetrics ?? {}, rerun.finalMetrics ?? {});
  differences.push(...metrics.differences);
  const weights = weightDifferences(join(originalDir, MODEL_DIR), join(rerunDir, MODEL_DIR));
  differences.push(...weights.differences);
  return {
    matched: differences.length === 0,
    differences,
    compared: { metrics: metrics.compared, weights: weights.compared, values: weights.values },
  };
}

function settingDifferences(a: RunMeta, b: RunMeta): string[] {
  const differences: string[] = [];
  const differ = (what: string, x: unknown, y: unknown) => {
    if (x !== y) differences.push(`${what} differs: ${String(x)} in the original, ${String(y)} in the re-run.`);
  };
  differ('The backend', a.backend, b.backend);
  differ('The Sequence Lab version', a.versions.seqlab, b.versions.seqlab);
  differ('The TensorFlow.js version', a.versions.tfjs, b.versions.tfjs);
  differ('The Node.js version', a.versions.node, b.versions.node);
  differ('The spec (hash)', a.specHash, b.specHash);
  differ('The seed', a.seed, b.seed);
  if (a.threads !== undefined) differ('The thread count of the recurrent kernel', a.threads, b.threads);
  if (a.dataHash !== b.dataHash) {
    differences.push(`The data differs (hash ${a.dataHash ?? 'unknown'} in the original, ${b.dataHash ?? 'unknown'} in the re-run): the data files changed since.`);
  }
  return differences;
}

function metricDifferences(a: Metrics, b: Metrics): { differences: string[]; compared: number } {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const differences = names
    .filter((name) => !Object.is(a[name], b[name]))
    .map((name) => `Final ${name} differs: ${a[name] ?? 'absent'} in the original, ${b[name] ?? 'absent'} in the re-run (difference ${a[name] !== undefined && b[name] !== undefined ? Math.abs(a[name] - b[name]).toExponential(2) : 'n/a'}).`);
  return { differences, compared: names.length };
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

interface SavedWeights {
  specs: WeightSpec[];
  bytes: Buffer;
}

function readWeights(modelDir: string): SavedWeights | undefined {
  const modelJson = join(modelDir, 'model.json');
  if (!existsSync(modelJson)) return undefined;
  const manifest = (JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest: { paths: string[]; weights: WeightSpec[] }[] }).weightsManifest;
  const bytes = Buffer.concat(manifest.flatMap((group) => group.paths.map((path) => readFileSync(join(modelDir, path)))));
  return { specs: manifest.flatMap((group) => group.weights), bytes };
}

/** Weight by weight (float32 throughout, as tfjs saves them): which differ, in how many values, by how much. */
function weightDifferences(originalDir: string, rerunDir: string): { differences: string[]; compared: number; values: number } {
  const a = readWeights(originalDir);
  const b = readWeights(rerunDir);
  if (!a || !b) return { differences: [`${!a ? 'The original' : 'The re-run'} has no saved model to compare.`], compared: 0, values: 0 };
  const layout = (weights: SavedWeights) => weights.specs.map((spec) => `${spec.name}:${spec.dtype}[${spec.shape.join(',')}]`).join(' ');
  if (layout(a) !== layout(b)) return { differences: ['The models have different weights (names, shapes or types): they are not the same model.'], compared: 0, values: 0 };
  const differences: string[] = [];
  let offset = 0;
  let values = 0;
  for (const spec of a.specs) {
    const count = spec.shape.reduce((product, size) => product * size, 1);
    const slice = (weights: SavedWeights) => weights.bytes.buffer.slice(weights.bytes.byteOffset + offset, weights.bytes.byteOffset + offset + count * 4);
    const [xBuffer, yBuffer] = [slice(a), slice(b)];
    const [x, y] = [new Float32Array(xBuffer), new Float32Array(yBuffer)];
    // Compared as bits: NaN payloads and signed zeros count too.
    const [xBits, yBits] = [new Uint32Array(xBuffer), new Uint32Array(yBuffer)];
    let differing = 0;
    let largest = 0;
    for (let i = 0; i < count; i++) {
      if (xBits[i] !== yBits[i]) {
        differing++;
        largest = Math.max(largest, Math.abs(x[i] - y[i]));
      }
    }
    if (differing > 0) differences.push(`Weight ${spec.name} differs in ${differing} of ${count} values (largest difference ${largest.toExponential(2)}).`);
    offset += count * 4;
    values += count;
  }
  return { differences, compared: a.specs.length, values };
}

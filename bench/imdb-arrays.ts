/**
 * Writes the exact arrays our pipeline trains a spec on (default: the seed's IMDB example with
 * Keras' `imdb.load_data` preprocessing) to a folder, for a reference implementation in another
 * framework (bench/imdb_torch_reference.py) to train on the same data:
 *   train_x.int32  [train, timesteps] token ids      train_y.float32  [train] labels 0/1
 *   test_x.int32   [test, timesteps]                 test_y.float32   [test]
 *   header.json    shapes, vocabulary size, data hash, spec, preprocessing, first tokens
 * Raw little-endian arrays, row-major.
 *
 * usage: SEQLAB_IMDB=<imdb folder> npx tsx bench/imdb-arrays.ts OUT_DIR [SPEC] [--limit N]
 *   --limit N keeps the first N training and N test reviews (a quick check of a reference script).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { prepareData } from '../src/data/prepare';
import type { Split } from '../src/data/types';
import { checkSpec } from '../src/language/check';

const DEFAULT_SPEC = join(__dirname, '..', 'examples', 'imdb-sentiment.seqlab.yaml');

interface Arguments {
  out: string;
  specPath: string;
  limit?: number;
}

function parseArguments(argv: readonly string[]): Arguments {
  const positional: string[] = [];
  let limit: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--limit') limit = Number(argv[++i]);
    else positional.push(argv[i]);
  }
  if (positional.length < 1 || (limit !== undefined && !(Number.isInteger(limit) && limit > 0))) {
    throw new Error('usage: npx tsx bench/imdb-arrays.ts OUT_DIR [SPEC] [--limit N]');
  }
  return { out: resolve(positional[0]), specPath: resolve(positional[1] ?? DEFAULT_SPEC), ...(limit ? { limit } : {}) };
}

/** The first `limit` rows of a split, or all of it. */
function head(split: Split, limit: number | undefined): { x: Int32Array; y: Float32Array; count: number } {
  const count = Math.min(split.count, limit ?? Infinity);
  const rowSize = split.xShape.slice(1).reduce((a, b) => a * b, 1);
  if (!(split.x instanceof Int32Array) || !(split.y instanceof Float32Array)) {
    throw new Error('only token input with one 0/1 label per example (binary tasks) can be written');
  }
  return { x: split.x.slice(0, count * rowSize), y: split.y.slice(0, count), count };
}

function writeRaw(file: string, array: Int32Array | Float32Array): void {
  writeFileSync(file, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

async function main(): Promise<void> {
  const { out, specPath, limit } = parseArguments(process.argv.slice(2));
  const checked = checkSpec(readFileSync(specPath, 'utf8'), { specPath });
  if (!checked.spec) throw new Error(`${specPath} has errors; run \`seqlab check\` on it`);
  const spec = checked.spec;
  const started = Date.now();
  const data = await prepareData(spec, { specDir: dirname(specPath) });
  const train = head(data.train, limit);
  const test = head(data.validation, limit);
  mkdirSync(out, { recursive: true });
  writeRaw(join(out, 'train_x.int32'), train.x);
  writeRaw(join(out, 'train_y.float32'), train.y);
  writeRaw(join(out, 'test_x.int32'), test.x);
  writeRaw(join(out, 'test_y.float32'), test.y);
  const header = {
    spec: specPath,
    source: spec.data.source,
    imdb_preprocessing: spec.data.imdb_preprocessing,
    timesteps: data.timesteps,
    vocab_size: data.vocabulary?.tokens.length,
    train: { count: train.count, positives: train.y.reduce((a, b) => a + b, 0) },
    test: { count: test.count, positives: test.y.reduce((a, b) => a + b, 0) },
    limit: limit ?? null,
    data_hash: data.hash,
    padding: spec.data.padding,
    truncating: spec.data.truncating,
    first_tokens: data.vocabulary?.tokens.slice(0, 12),
    dtype: { x: 'int32', y: 'float32', byte_order: 'little-endian', layout: 'row-major [count, timesteps]' },
  };
  writeFileSync(join(out, 'header.json'), `${JSON.stringify(header, null, 2)}\n`);
  console.log(`wrote ${train.count} training and ${test.count} test sequences of ${data.timesteps} ids to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

/**
 * The seed's IMDB model, trained for a few steps with everything random taken out (no dropout, no
 * shuffle), written out for bench/imdb_torch_replay.py to replay with Keras's formulas: the same
 * initial weights on the same batches must give the same losses and weights, step after step. Any
 * difference in the forward pass, the loss, the gradients or the optimizer shows as a growing gap.
 *
 * usage: SEQLAB_IMDB=<imdb folder> npx tsx bench/imdb-replay.ts OUT.json [STEPS=40] [SPEC]
 * writes JSON: timesteps, ids [STEPS·batch·timesteps], labels [STEPS·batch], initial and final
 * weights (tfjs names → flat row-major values), and our training loss per step (nats).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { prepareData } from '../src/data/prepare';
import type { Split } from '../src/data/types';
import { checkSpec } from '../src/language/check';
import type { ModelSpec } from '../src/language/types';
import { initBackend } from '../src/model/backend';
import { buildModel } from '../src/model/build';
import { train } from '../src/training/trainer';

const DEFAULT_SPEC = join(__dirname, '..', 'examples', 'imdb-sentiment.seqlab.yaml');
const WASM_DIR = join(__dirname, '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

/** The spec without its random draws: dropout off and batches in file order. */
function deterministic(spec: ModelSpec): ModelSpec {
  const model = spec.model.map((layer) => ('dropout' in layer ? { ...layer, dropout: 0, ...('recurrent_dropout' in layer ? { recurrent_dropout: 0 } : {}) } : layer));
  return { ...spec, model: model as ModelSpec['model'], train: { ...spec.train, shuffle: false } };
}

function firstRows(split: Split, count: number): Split {
  const rowSize = split.xShape.slice(1).reduce((a, b) => a * b, 1);
  return { ...split, count, x: split.x.subarray(0, count * rowSize), y: split.y.subarray(0, count), xShape: [count, ...split.xShape.slice(1)] } as Split;
}

function weightsOf(model: tf.LayersModel): Record<string, number[]> {
  return Object.fromEntries(model.weights.map((weight) => [weight.originalName, Array.from(weight.read().dataSync())]));
}

async function main(): Promise<void> {
  const [out, stepsArgument = '40', specArgument] = process.argv.slice(2);
  const steps = Number(stepsArgument);
  if (!out || !(Number.isInteger(steps) && steps > 0)) throw new Error('usage: npx tsx bench/imdb-replay.ts OUT.json [STEPS] [SPEC]');
  const specPath = resolve(specArgument ?? DEFAULT_SPEC);
  const checked = checkSpec(readFileSync(specPath, 'utf8'), { specPath });
  if (!checked.spec) throw new Error(`${specPath} has errors; run \`seqlab check\` on it`);
  const spec = deterministic(checked.spec);
  const backend = await initBackend('wasm', WASM_DIR);
  const prepared = await prepareData(spec, { specDir: dirname(specPath) });
  const data = { ...prepared, train: firstRows(prepared.train, steps * spec.train.batch_size), validation: firstRows(prepared.validation, 0) };
  // Seeded: the model train() builds starts from these same weights.
  const initial = weightsOf(buildModel(spec, data));
  const losses: number[] = [];
  const result = await train({
    spec,
    data,
    epochs: 1,
    emit: (event) => {
      if (event.type === 'batch') losses.push(event.loss);
    },
    shouldStop: () => false,
    views: { enabled: false },
  });
  writeFileSync(
    out,
    JSON.stringify({ timesteps: data.timesteps, batch_size: spec.train.batch_size, ids: Array.from(data.train.x), labels: Array.from(data.train.y), initial, final: weightsOf(result.model), losses }),
  );
  console.log(`${steps} steps on ${backend.backend}: loss ${losses[0].toFixed(6)} -> ${losses.at(-1)!.toFixed(6)}; wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { buildModel } from '../../src/model/build';
import { saveModel } from '../../src/model/save';
import { recurrent, spec, tokenData } from './model-fixtures';

/** Reads a saved model the way `tf.loadLayersModel('file://…')` would, with plain file reads. */
function fileLoader(modelJsonPath: string): tf.io.IOHandler {
  return {
    async load() {
      const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      const [group] = modelJson.weightsManifest;
      const weights = await readFile(join(modelJsonPath, '..', group.paths[0]));
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: group.weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    },
  };
}

describe('saveModel', () => {
  let dir: string;
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    dir = await mkdtemp(join(tmpdir(), 'seqlab-save-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes model.json + weights.bin that tf.loadLayersModel reads back with equal predictions', async () => {
    const data = tokenData({ count: 4, timesteps: 10, vocab: 30 });
    const model = buildModel(
      spec([
        { type: 'embedding', output_dim: 6, mask_zero: true },
        { type: 'bidirectional', layer: recurrent('gru', 4, { return_sequences: true }), merge_mode: 'concat' },
        recurrent('lstm', 5),
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ]),
      data,
    );
    const modelPath = await saveModel(model, join(dir, 'model'));
    assert.equal(modelPath, join(dir, 'model', 'model.json'));

    const loaded = await tf.loadLayersModel(fileLoader(modelPath));
    const x = tf.tensor(data.train.x, data.train.xShape, 'int32');
    const expected = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const actual = (loaded.predict(x) as tf.Tensor).arraySync() as number[][];
    assert.equal(actual.length, 4);
    actual.forEach((row, i) => assert.ok(Math.abs(row[0] - expected[i][0]) < 1e-6, `prediction ${i}: ${row[0]} vs ${expected[i][0]}`));
    assert.deepEqual(
      loaded.layers.map((layer) => layer.name),
      model.layers.map((layer) => layer.name),
    );
  });
});

/**
 * Padding numeric sequences is harmless: `sequenceArrays` pads variable-length sequences with the
 * mask value, a Masking layer turns that into a mask, and a masked step changes no state. For every
 * cell and both padding sides, the final state (and, with return_sequences, the state at the last
 * real step) of each padded sequence equals the state of the same sequence run unpadded, alone.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { NumericSequence } from '../../src/data/sequences/sequence';
import { sequenceArrays } from '../../src/data/sequences/sequenceArrays';
import type { RecurrentType } from '../../src/language/types';
import { initBackend } from '../../src/model/backend';
import { createRecurrentLayer } from '../../src/model/recurrent';
import { recurrent, seeded } from './model-fixtures';

const CHANNELS = 3;
const UNITS = 4;
const LENGTHS = [7, 4, 1, 5];
const MASK_VALUE = -5;

function sequences(): NumericSequence[] {
  const random = seeded(9);
  return LENGTHS.map((steps, i) => ({ values: Float32Array.from({ length: steps * CHANNELS }, () => random() * 2 - 1), steps, origin: { file: 'made', line: i + 1 } }));
}

describe('masked numeric sequences', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  for (const cell of ['simple_rnn', 'lstm', 'gru'] as RecurrentType[]) {
    for (const padding of ['pre', 'post'] as const) {
      it(`${cell}, ${padding}-padded: the final state of a padded sequence equals the unpadded one's`, () => {
        const all = sequences();
        const timesteps = Math.max(...LENGTHS);
        const { train, masked } = sequenceArrays(all, [], { channels: CHANNELS, channelNames: ['a', 'b', 'c'], timesteps, padding, truncating: 'pre', maskValue: MASK_VALUE, normalize: 'none', missing: 'error' });
        assert.ok(masked);
        const name = `masked_${cell}_${padding}`;
        // As training builds it: Masking in front of the recurrent layer, in one model (a mask only
        // travels between the layers of a model). One model gives the final state, one every step's.
        const model = (returnSequences: boolean) =>
          tf.sequential({
            layers: [
              tf.layers.masking({ maskValue: MASK_VALUE, inputShape: [null, CHANNELS] }),
              createRecurrentLayer(recurrent(cell, UNITS, { return_sequences: returnSequences }), { name: `${name}_${returnSequences}`, seed: 3 }),
            ],
          });
        const final = model(false);
        const steps = model(true);
        steps.setWeights(final.getWeights());
        const x = tf.tensor3d(train.x, [all.length, timesteps, CHANNELS]);
        const finalStates = (final.predict(x) as tf.Tensor2D).arraySync();
        const stepStates = (steps.predict(x) as tf.Tensor3D).arraySync();
        all.forEach((sequence, i) => {
          const expected = (final.predict(tf.tensor3d(sequence.values, [1, sequence.steps, CHANNELS])) as tf.Tensor2D).arraySync()[0]!;
          const lastReal = stepStates[i]![padding === 'pre' ? timesteps - 1 : sequence.steps - 1]!;
          for (let u = 0; u < UNITS; u++) {
            assert.ok(Math.abs(finalStates[i]![u]! - expected[u]!) < 1e-6, `sequence ${i} unit ${u}: final ${finalStates[i]![u]} vs unpadded ${expected[u]}`);
            assert.ok(Math.abs(lastReal[u]! - expected[u]!) < 1e-6, `sequence ${i} unit ${u}: state at the last real step ${lastReal[u]} vs ${expected[u]}`);
          }
        });
        // Without the mask the padded steps would move the state: the test can tell.
        const shortIndex = LENGTHS.indexOf(1);
        const unmasked = (final.layers[1]!.apply(x) as tf.Tensor2D).arraySync()[shortIndex]!;
        assert.ok(unmasked.some((v, u) => Math.abs(v - finalStates[shortIndex]![u]!) > 1e-3));
      });
    }
  }
});

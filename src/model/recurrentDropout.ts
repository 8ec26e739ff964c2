/**
 * Keras 2's dropout masks for recurrent layers, drawn from the run's seed.
 *
 * Keras (tf.keras 2, `tensorflow/python/keras/layers/recurrent.py` and `recurrent_v2.py`) draws
 * one mask per sequence, the same at every timestep (variational dropout, Gal & Ghahramani 2016):
 * `get_dropout_mask_for_cell(inputs, training, count=4)` for LSTM, `count=3` for GRU, `count=1`
 * for SimpleRNN, and likewise `get_recurrent_dropout_mask_for_cell`. Which of those masks are used
 * depends on the cell's `implementation`: `recurrent_dropout != 0` forces `implementation = 1`,
 * which multiplies the inputs and the previous state by a *different* mask per gate
 * (`inputs_i = inputs * dp_mask[0]`, `inputs_f = inputs * dp_mask[1]`, ...). With
 * `recurrent_dropout == 0` the default `implementation = 2` (and `recurrent_v2`'s fused path)
 * multiplies the inputs once by `dp_mask[0]`, one mask shared by every gate. Masks are inverted
 * dropout: 0 with probability `rate`, else `1 / (1 - rate)`.
 */
import { SeedSequence, seededRandom } from '../data/random';
import type { RecurrentLayerSpec, RecurrentType } from '../language/types';

/** Gates whose pre-activations each get a column block of the kernels (Keras order). */
export const GATES: Record<RecurrentType, number> = { simple_rnn: 1, lstm: 4, gru: 3 };

/**
 * Masks of one forward pass. `input[g]` is `[batch, features]` and multiplies the inputs of gate
 * `g`; `recurrent[g]` is `[batch, units]` and multiplies h_{t-1} where it enters gate `g`. Each
 * list has one entry (shared by every gate) or one per gate; it is empty when that dropout is off.
 */
export interface DropoutMasks {
  input: Float32Array[];
  recurrent: Float32Array[];
}

/** How many distinct input and recurrent masks Keras 2 draws for this layer (see module comment). */
export function maskCounts(spec: Pick<RecurrentLayerSpec, 'type' | 'dropout' | 'recurrent_dropout'>): { input: number; recurrent: number } {
  const perGate = spec.recurrent_dropout > 0 ? GATES[spec.type] : 1;
  return { input: spec.dropout > 0 ? perGate : 0, recurrent: spec.recurrent_dropout > 0 ? perGate : 0 };
}

/** One inverted-dropout mask of `size` values: 0 with probability `rate`, else 1 / (1 - rate). */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const kept = 1 / (1 - rate);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = random() >= rate ? kept : 0;
  return mask;
}

/**
 * Draws a layer's masks, one new set per training forward pass. Each mask kind has its own
 * `SeedSequence` derived from the layer's seed, so a run draws the same masks in the same order.
 */
export class DropoutMaskSource {
  private readonly inputSeeds: SeedSequence;
  private readonly recurrentSeeds: SeedSequence;

  constructor(
    private readonly spec: Pick<RecurrentLayerSpec, 'type' | 'units' | 'dropout' | 'recurrent_dropout'>,
    layerSeed: number,
  ) {
    this.inputSeeds = new SeedSequence(layerSeed, 'dropout', 'input');
    this.recurrentSeeds = new SeedSequence(layerSeed, 'dropout', 'recurrent');
  }

  /** Masks for a batch of `batch` sequences of `features` inputs per step. */
  draw(batch: number, features: number): DropoutMasks {
    const counts = maskCounts(this.spec);
    const draws = (count: number, size: number, rate: number, seeds: SeedSequence): Float32Array[] =>
      Array.from({ length: count }, () => dropoutMask(size, rate, seeds.next()));
    return {
      input: draws(counts.input, batch * features, this.spec.dropout, this.inputSeeds),
      recurrent: draws(counts.recurrent, batch * this.spec.units, this.spec.recurrent_dropout, this.recurrentSeeds),
    };
  }
}

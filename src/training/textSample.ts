/**
 * The per-epoch text sample of a next-token run (issue 8 §3): after each epoch the model continues
 * the same seed text with the same settings and the same random stream, so the samples on the epoch
 * slider differ only by what the model learnt. Runs the model in inference mode on its own
 * tensors: training's weights and random draws are untouched.
 */
import * as tf from '@tensorflow/tfjs';
import { exampleText } from '../data/exampleText';
import { deriveSeed, seededRandom } from '../data/random';
import type { PreparedData } from '../data/types';
import { tidyValues } from '../inspect/tidyValues';
import type { ModelSpec } from '../language/types';
import type { GenerationSettings, TextSampleEvent } from '../protocol';
import { generateTokens, nextTokenModel } from '../tasks/generation';

/** The fixed temperature of the per-epoch sample: a little sharper than the model (tfjs-examples shows 0.25-1). */
export const SAMPLE_TEMPERATURE = 0.8;
/** Tokens per sample: a few lines of characters, or a paragraph of words. */
export const SAMPLE_LENGTH = { char: 200, word: 40 } as const;
/** Tokens of the training text that seed the sample when the spec has no text probe. */
const SEED_TOKENS = { char: 40, word: 8 } as const;

export interface TextSampler {
  event(model: tf.LayersModel, epoch: number): TextSampleEvent;
}

/** The sampler of a next-token run, or undefined for any other task. */
export function createTextSampler(spec: ModelSpec, data: PreparedData): TextSampler | undefined {
  if (spec.data.task !== 'next-token' || !data.vocabulary) return undefined;
  const level = data.vocabulary.level;
  const settings: GenerationSettings = { seed: seedText(spec, data), length: SAMPLE_LENGTH[level], temperature: SAMPLE_TEMPERATURE, topK: 0, sample: 0 };
  return {
    event(model, epoch) {
      const generator = nextTokenModel(data.preprocessing, (ids) => runModel(model, ids));
      const random = seededRandom(deriveSeed(spec.data.seed, 'views', 'text-sample'));
      return { type: 'textSample', epoch, level, settings, tokens: [...generateTokens(generator, settings, random)] };
    },
  };
}

/** The first text probe, else the start of the first validation chunk (training, without validation). */
function seedText(spec: ModelSpec, data: PreparedData): string {
  const probe = spec.inspect.probes.find((p): p is { text: string } => 'text' in p);
  if (probe) return probe.text;
  const split = data.validation.count > 0 ? data.validation : data.train;
  const level = data.vocabulary!.level;
  const first = { ...split, x: split.x.subarray(0, SEED_TOKENS[level]), xShape: [1, SEED_TOKENS[level]] };
  return exampleText(first, 0, data);
}

/** `[1, T]` ids -> the model's `[T, vocabulary]` probabilities. */
function runModel(model: tf.LayersModel, ids: Int32Array): Float32Array {
  return tidyValues(() => (model.predict(tf.tensor2d(ids, [1, ids.length], 'int32')) as tf.Tensor).dataSync() as Float32Array);
}

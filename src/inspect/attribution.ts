/**
 * Which input positions pushed a prediction which way: integrated gradients (Sundararajan et al.
 * 2017, "Axiomatic Attribution for Deep Networks"; Captum's IntegratedGradients) over the
 * embedding for token input, over the normalised values for numeric input.
 *
 *   score_t = sum_d (x_td - x'_td) * mean_k dF/dx_td at x' + a_k (x - x'),  a_k = (k + 0.5) / STEPS
 *
 * F is what is attributed (the predicted class's or token's probability, or the predicted value in
 * the data's units); the scores add up to about F(x) - F(x') (completeness). The baseline x' is the
 * input with every token replaced by padding (its embedding), or an all-zero normalised series.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedInput, Encoder, Prediction } from '../data/preprocessing';
import type { Attribution } from '../protocol';
import { walk, type RecurrentSite } from './network';
import { classLabel } from './predictionSummary';
import { tidyValues } from './tidyValues';

/** Riemann steps of the path integral; Captum's default is 50, 32 keeps a probe under a second at T=200. */
export const ATTRIBUTION_STEPS = 32;

export function integratedGradients(
  model: tf.LayersModel,
  sites: readonly RecurrentSite[],
  encoder: Encoder,
  input: EncodedInput,
  prediction: Prediction,
): Attribution | undefined {
  const tokens = encoder.state.inputKind === 'tokens';
  const embeddingIndex = model.layers.findIndex((layer) => layer.getClassName() === 'Embedding');
  if (tokens && embeddingIndex < 0) return undefined; // token ids without an embedding: nothing continuous to integrate over
  const target = targetOf(encoder, input, prediction);
  return tidyValues(() => {
    const ids = tokens ? tf.tensor(input.x, input.shape, 'int32') : undefined;
    let start: { after: number; x: tf.Tensor; baseline: tf.Tensor; mask?: tf.Tensor };
    if (ids) {
      const embedding = model.layers[embeddingIndex];
      const table = embedding.getWeights()[0];
      const maskZero = embedding.getConfig().maskZero === true;
      start = {
        after: embeddingIndex,
        x: tf.gather(table, ids),
        baseline: tf.gather(table, tf.zerosLike(ids)),
        ...(maskZero ? { mask: tf.notEqual(ids, 0) } : {}),
      };
    } else {
      const x = tf.tensor(input.x, input.shape, 'float32');
      start = { after: 0, x, baseline: tf.zerosLike(x) };
    }
    const { x, baseline, mask } = start;
    const forward = (batch: tf.Tensor): tf.Tensor => {
      const repeated = mask ? tf.tile(mask, [batch.shape[0], 1]) : undefined;
      const output = walk(model, sites, batch, {
        recompute: new Set(sites.map((_, i) => i)),
        differentiable: true,
        from: { after: start.after, x: batch, ...(repeated ? { mask: repeated } : {}) },
      });
      return target.read(output);
    };
    const alphas = tf.reshape(tf.div(tf.add(tf.range(0, ATTRIBUTION_STEPS), 0.5), ATTRIBUTION_STEPS), [ATTRIBUTION_STEPS, 1, 1]);
    const difference = tf.sub(x, baseline);
    const path = tf.add(baseline, tf.mul(alphas, difference)); // [STEPS, T, D]
    const gradients = tf.grad((points: tf.Tensor) => tf.sum(forward(points)) as tf.Scalar)(path);
    const scores = tf.sum(tf.mul(difference, tf.mean(gradients, 0, true)), [0, 2]);
    const ends = forward(tf.concat([x, baseline], 0)).dataSync();
    return {
      method: 'integrated-gradients' as const,
      description: tokens
        ? `integrated gradients over the embedding, ${ATTRIBUTION_STEPS} steps from an all-padding input`
        : `integrated gradients over the normalised input values, ${ATTRIBUTION_STEPS} steps from an all-zero series`,
      target: target.name,
      scores: Array.from(scores.dataSync(), (value) => Number(value.toPrecision(4))),
      total: Number((ends[0] - ends[1]).toPrecision(4)),
    };
  });
}

interface Target {
  name: string;
  /** `[B]` the attributed quantity from the model's output `[B, ...]`. */
  read(output: tf.Tensor): tf.Tensor;
}

function targetOf(encoder: Encoder, input: EncodedInput, prediction: Prediction): Target {
  const column = (output: tf.Tensor, index: number): tf.Tensor => tf.reshape(tf.slice(output, [0, index], [output.shape[0], 1]), [output.shape[0]]);
  switch (prediction.kind) {
    case 'class':
      return {
        name: `probability of “${classLabel(prediction.name)}”`,
        read: (output) => {
          if (output.shape[1] !== 1) return column(output, prediction.id);
          const positive = column(output, 0);
          return prediction.id === 1 ? positive : tf.sub(1, positive); // a sigmoid output gives class 1's probability
        },
      };
    case 'next-token': {
      const lastReal = input.tokens.reduce((last, token, t) => (token !== '' ? t : last), input.tokens.length - 1);
      return {
        name: `probability of the next token “${prediction.token}”`,
        read: (output) => tf.reshape(tf.slice(output, [0, lastReal, prediction.id], [output.shape[0], 1, 1]), [output.shape[0]]),
      };
    }
    case 'values': {
      const scale = encoder.state.normalization?.target?.scale ?? 1;
      return {
        name: 'predicted value (in the data’s units)',
        read: (output) => tf.mul(column(tf.reshape(output, [output.shape[0], -1]), 0), scale),
      };
    }
  }
}

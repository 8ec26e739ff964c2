/**
 * "Probe it yourself": one sequence typed by a person, run through a model as `seqlab predict`
 * runs it (the same preprocessing, the model's own `predict`), with its hidden states and gates
 * (the step-by-step recomputation) and a per-token attribution.
 */
import * as tf from '@tensorflow/tfjs';
import type { Encoder, Prediction } from '../data/preprocessing';
import type { InspectionEvent } from '../protocol';
import { integratedGradients } from './attribution';
import { recurrentSites } from './network';
import { analyzeProbes } from './probeAnalysis';
import { summarizePrediction } from './predictionSummary';
import { tidyValues } from './tidyValues';

/**
 * A run folder keeps at most this many probed sequences (about 170 kB each for 200 steps of 64
 * units); later ones are shown but not stored.
 */
export const MAX_KEPT_INSPECTIONS = 50;

export interface InspectOptions {
  /** Request id, unique within the run. */
  id: string;
  /** Heatmaps keep the first units of each layer (the run's `inspect.max_units`). */
  maxUnits: number;
  weights: InspectionEvent['weights'];
}

export interface InspectedInput {
  event: InspectionEvent;
  /** The model's output read as `seqlab predict` reads it (class names, tokens, data units). */
  prediction: Prediction;
}

/**
 * Encodes `raw` (a text, or numbers for a numeric model) with the run's preprocessing and inspects
 * it. Throws the encoder's DataError when the input does not fit the model (text for a numeric
 * model, too few values for a forecast).
 */
export function inspectInput(model: tf.LayersModel, encoder: Encoder, raw: string, options: InspectOptions): InspectedInput {
  const input = encoder.encode(raw);
  const output = tidyValues(() => Array.from((model.predict(tf.tensor(input.x, input.shape, input.x instanceof Int32Array ? 'int32' : 'float32')) as tf.Tensor).dataSync()));
  const prediction = encoder.readPrediction(output, input);
  const sites = recurrentSites(model);
  const x = tf.tensor(input.x, input.shape, input.x instanceof Int32Array ? 'int32' : 'float32');
  try {
    const label = raw.length > 60 ? `${raw.slice(0, 59)}…` : raw;
    const analysis = analyzeProbes(model, sites, [{ label, x: input.x, xShape: input.shape, tokens: input.tokens }], x, { maxUnits: options.maxUnits, encoder, withGates: true });
    const attribution = integratedGradients(model, sites, encoder, input, prediction);
    const [snapshot] = analysis.snapshots;
    const event: InspectionEvent = {
      type: 'inspection',
      id: options.id,
      input: raw,
      weights: options.weights,
      // The model's own output, as `seqlab predict` reads it (the recomputation agrees to 1e-5).
      probe: {
        ...snapshot,
        id: options.id,
        // A per-timestep output (next-token) is too large to keep whole; its summary says what matters.
        ...(model.outputs[0].shape.length === 2 ? { prediction: output } : { prediction: undefined }),
        summary: summarizePrediction(prediction),
      },
      gates: analysis.gates[0] ?? [],
      ...(attribution ? { attribution } : {}),
    };
    return { event, prediction };
  } finally {
    x.dispose();
  }
}

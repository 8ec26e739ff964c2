/**
 * Applies a trained model to new input: loads a run folder (or an exported model folder), encodes
 * raw text or numbers with the saved preprocessing state, and reads the model's output back as a
 * prediction (class names and probabilities, tokens, or values in the data's units). Shared by
 * `seqlab predict` and the panel's probe box; needs an initialised TensorFlow.js backend.
 *
 * The model is rebuilt from the spec snapshot with the same builder training used, then given the
 * saved weights: the exact computation the run's probes made, so a prediction reproduces the
 * probe's for the same text bit for bit (a model read back by `tf.loadLayersModel` runs tfjs's
 * stock recurrent layers, which agree only to float rounding).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEncoder, parsePreprocessingState, PREPROCESSING_FILE, tokenEncoderOf, type EncodedInput, type Encoder, type Prediction, type PreprocessingState } from '../data/preprocessing';
import { DataError } from '../data/types';
import { resolveSpec } from '../language/resolve';
import type { LayerSpec, ModelSpec } from '../language/types';
import { SpecSource } from '../language/yamlSource';
import { buildModel, type ModelDataShape } from '../model/build';
import { MODEL_JSON, WEIGHTS_BIN } from '../model/files';
import { locateModelFiles, PredictorError } from './modelFiles';

export interface PredictionResult {
  /** What the model was given: the ids or normalised values, and the token under each step. */
  input: EncodedInput;
  /** The model's raw output for this input, flattened (next-token: `[timesteps * vocabulary]`). */
  output: number[];
  prediction: Prediction;
}

export interface Predictor {
  readonly encoder: Encoder;
  /** The model, weights loaded (the probe's hidden states and gates are recomputed from it). */
  readonly model: tf.LayersModel;
  /** The spec the model was trained from (its snapshot): `data.seed` seeds generation's draws. */
  readonly spec: ModelSpec;
  /**
   * `raw`: a text for token input, numbers for series ("112, 118, 132"; see `parseSteps`).
   * Throws a PredictorError (a sentence for the user) when the input does not fit the model.
   */
  predict(raw: string): PredictionResult;
  /** The model's output for an already encoded input (the probes' path). */
  outputFor(input: EncodedInput): number[];
  dispose(): void;
}

/** Loads the model of `folder` (a run folder or an exported model folder) for predictions. */
export async function loadPredictor(folder: string): Promise<Predictor> {
  const { modelDir, specFile } = locateModelFiles(folder);
  const state = readPreprocessingState(join(modelDir, PREPROCESSING_FILE));
  const spec = readSpecSnapshot(specFile);
  const model = buildModel(spec, modelShape(state));
  model.optimizer.dispose(); // inference only
  try {
    loadSavedWeights(model, modelDir);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const encoder = createEncoder(state);
  const outputFor = (input: EncodedInput): number[] =>
    tf.tidy(() => {
      const x = tf.tensor(input.x, input.shape, input.x instanceof Int32Array ? 'int32' : 'float32');
      return Array.from((model.predict(x) as tf.Tensor).dataSync());
    });
  return {
    encoder,
    model,
    spec,
    outputFor,
    predict(raw) {
      let input: EncodedInput;
      try {
        input = encoder.encode(raw);
      } catch (error) {
        if (error instanceof DataError) throw new PredictorError(`Cannot predict from this input: ${error.message}`);
        throw error;
      }
      const output = outputFor(input);
      return { input, output, prediction: encoder.readPrediction(output, input) };
    },
    dispose: () => model.dispose(),
  };
}

function readPreprocessingState(file: string): PreprocessingState {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PredictorError(`${file} is not readable JSON (${(error as Error).message}).`);
  }
  try {
    return parsePreprocessingState(json, file);
  } catch (error) {
    throw new PredictorError(error instanceof DataError ? error.message : String(error));
  }
}

/** The spec as trained: it was checked then, so only the model and train sections matter now. */
function readSpecSnapshot(file: string): ModelSpec {
  const spec = resolveSpec(new SpecSource(readFileSync(file, 'utf8')).data, file);
  const layers = spec.model.filter((layer): layer is LayerSpec => layer !== undefined);
  if (layers.length === 0 || layers.length !== spec.model.length) {
    throw new PredictorError(`${file} does not describe a model this Sequence Lab can build (a layer is missing or unknown).`);
  }
  return { ...spec, model: layers };
}

function modelShape(state: PreprocessingState): ModelDataShape {
  return {
    inputKind: state.inputKind,
    timesteps: state.timesteps,
    features: state.features,
    ...(state.tokenizer ? { vocabulary: tokenEncoderOf(state.tokenizer).vocabulary } : {}),
  };
}

/** Gives `model` the weights of `modelDir/weights.bin`, by name, as model.json's manifest lists them. */
function loadSavedWeights(model: tf.LayersModel, modelDir: string): void {
  const manifest = (JSON.parse(readFileSync(join(modelDir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON).weightsManifest;
  const specs = manifest.flatMap((group) => group.weights);
  const bytes = readFileSync(join(modelDir, WEIGHTS_BIN));
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  try {
    model.loadWeights(named, true);
  } catch (error) {
    throw new PredictorError(
      `The weights in ${modelDir} do not fit the model its spec describes (${(error as Error).message}). Was the spec or model.json edited after training?`,
    );
  } finally {
    tf.dispose(Object.values(named));
  }
}

/**
 * Saves a model in the TensorFlow.js layers format (model.json + weights.bin) with plain file
 * writes, so it works without tfjs-node's `file://` handler; `tf.loadLayersModel` reads it back.
 * Beside them goes the preprocessing state (preprocessing.json), without which the model cannot
 * be applied to new text or series.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PREPROCESSING_FILE, type PreprocessingState } from '../data/preprocessing';
import { MODEL_JSON, WEIGHTS_BIN } from './files';

/**
 * Writes `dir/model.json`, `dir/weights.bin` and, when given, `dir/preprocessing.json`; returns
 * the path of model.json.
 */
export async function saveModel(model: tf.LayersModel, dir: string, preprocessing?: PreprocessingState): Promise<string> {
  await mkdir(dir, { recursive: true });
  const modelPath = join(dir, MODEL_JSON);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFile(modelPath, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (preprocessing) await writeFile(join(dir, PREPROCESSING_FILE), JSON.stringify(preprocessing, null, 2) + '\n');
  return modelPath;
}

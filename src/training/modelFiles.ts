/**
 * Where a trained model's files are: in a run folder (`model/` beside the spec snapshot) or in an
 * exported model folder (all together). No TensorFlow.js here: the extension host finds models too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PREPROCESSING_FILE } from '../data/preprocessing';
import { MODEL_JSON } from '../model/files';
import { MODEL_DIR, SPEC_FILE } from './runStore';

/** A folder cannot be used for predictions; the message says why and what to do. */
export class PredictorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PredictorError';
  }
}

/** Where a folder keeps the model, its preprocessing state and the spec it was built from. */
export interface ModelFiles {
  modelDir: string;
  specFile: string;
}

/**
 * A run folder keeps the model in `model/` and the spec beside it; an exported folder (Export
 * Model) keeps all three together. Throws a PredictorError naming what is missing.
 */
export function locateModelFiles(folder: string): ModelFiles {
  const candidates: ModelFiles[] = [
    { modelDir: join(folder, MODEL_DIR), specFile: join(folder, SPEC_FILE) },
    { modelDir: folder, specFile: join(folder, SPEC_FILE) },
  ];
  const found = candidates.find((files) => existsSync(join(files.modelDir, MODEL_JSON)));
  if (!found) {
    throw new PredictorError(`${folder} holds no trained model (no ${MODEL_DIR}/${MODEL_JSON} and no ${MODEL_JSON}). A run saves its model when it completes or is stopped; a failed run has none.`);
  }
  for (const file of [join(found.modelDir, PREPROCESSING_FILE), found.specFile]) {
    if (!existsSync(file)) {
      throw new PredictorError(
        `${file} is missing: without it the model cannot be applied to new input. Runs trained before Sequence Lab saved it have none: train the spec again.`,
      );
    }
  }
  return found;
}


/**
 * Export Model: a folder that uses the trained model anywhere, without the run around it. It
 * holds the TensorFlow.js model, the preprocessing state, the spec it was trained from, and a
 * README saying what each file is and how to load it. No TensorFlow.js here (the extension host
 * exports).
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREPROCESSING_FILE } from '../data/preprocessing';
import { MODEL_JSON, WEIGHTS_BIN } from '../model/files';
import { locateModelFiles } from './modelFiles';
import { readMeta, SPEC_FILE } from './runStore';

export const EXPORT_README = 'README.md';

/**
 * Copies the model of `runDir` into `destination` (created; it must not exist yet) with its
 * preprocessing state, spec and a README. Returns the files written. Throws a PredictorError
 * when the run has no complete model, and an Error when `destination` exists.
 */
export function exportRunModel(runDir: string, destination: string): string[] {
  const { modelDir, specFile } = locateModelFiles(runDir);
  if (existsSync(destination)) throw new Error(`${destination} already exists; choose another folder or remove it.`);
  mkdirSync(destination, { recursive: true });
  const files = [MODEL_JSON, WEIGHTS_BIN, PREPROCESSING_FILE, SPEC_FILE, EXPORT_README];
  for (const file of [MODEL_JSON, WEIGHTS_BIN, PREPROCESSING_FILE]) copyFileSync(join(modelDir, file), join(destination, file));
  copyFileSync(specFile, join(destination, SPEC_FILE));
  writeFileSync(join(destination, EXPORT_README), exportReadme(readMeta(runDir).name, readMeta(runDir).id));
  return files.map((file) => join(destination, file));
}

function exportReadme(name: string, runId: string): string {
  return `# ${name}: exported model

Exported by Sequence Lab from run \`${runId}\`.

| file | what it is |
| --- | --- |
| \`${MODEL_JSON}\` | the model's architecture and weight manifest (TensorFlow.js layers format) |
| \`${WEIGHTS_BIN}\` | the trained weights (float32, in the order the manifest lists them) |
| \`${PREPROCESSING_FILE}\` | how raw input becomes the model's input and its output becomes a prediction: the tokenizer and its vocabulary in id order, \`max_len\` with padding and truncating, class names by id, normalisation statistics (format \`seqlab-preprocessing\`, documented in Sequence Lab's \`src/data/preprocessing.ts\`) |
| \`${SPEC_FILE}\` | the spec the model was trained from |

## Predict with Sequence Lab

\`\`\`sh
seqlab predict <this folder> "a text to classify"      # or numbers for a series model: "112, 118, 132"
\`\`\`

## Load it in TensorFlow.js

\`\`\`js
const tf = require('@tensorflow/tfjs-node');   // or @tensorflow/tfjs in a browser, with an http:// URL
const model = await tf.loadLayersModel('file://path/to/${MODEL_JSON}');
\`\`\`

The model takes the arrays that \`${PREPROCESSING_FILE}\` describes: token ids \`[batch, timesteps]\`
(int32) for text, or values \`[batch, timesteps, features]\` normalised with its statistics for
series. Encode new input exactly as it says (same tokenizer, vocabulary, padding and truncating), or
the predictions mean nothing.

## Go to Keras (Python)

Keras cannot read this format directly: convert it with \`tensorflowjs_converter\` (from the
\`tensorflowjs\` Python package):

\`\`\`sh
tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras ${MODEL_JSON} model.h5
\`\`\`

The Keras code behind this model: \`seqlab export-keras ${SPEC_FILE}\` (*Export as Keras Script* in
VS Code) writes a standalone TensorFlow/Keras script that prepares input exactly as this model was
trained on and builds the same layers in the same order. Use its data part with the converted model,
or run it to train the model again in Keras.
`;
}

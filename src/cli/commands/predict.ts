/**
 * `seqlab predict <run> "<input>"`: applies a run's model (or an exported model folder) to one
 * text or series and prints the prediction: class names with probabilities, the next token with
 * its alternatives, or values in the data's units. Loads TensorFlow.js only for this command.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Prediction } from '../../data/preprocessing';
import type { BackendPreference } from '../../protocol';
import type { Predictor } from '../../training/predictor';
import type { Command } from '../args';
import { CliError, EXIT_OK } from '../errors';
import { formatMetric, formatTable } from '../format';
import type { Output } from './io';
import { resolveRunDir } from './runs';

/** How many alternatives a class or next-token prediction lists. */
const SHOWN_ALTERNATIVES = 5;

export async function runPredict(command: Extract<Command, { name: 'predict' }>, out: Output): Promise<number> {
  await withPredictor(command.run, command.backend, (predictor) => {
    for (const line of formatPrediction(predictor.predict(command.input).prediction)) out.stdout(line);
  });
  return EXIT_OK;
}

type PredictorBundle = typeof import('../../training/predictorBundle');

/**
 * Loads the model of `run` (a run, or an exported model folder) with TensorFlow.js on `backend`,
 * hands it to `use` (with the rest of dist/predictor.js), and frees it. A folder the model cannot be
 * read from, or an input that does not fit it, is a CliError.
 */
export async function withPredictor<T>(run: string, backend: BackendPreference, use: (predictor: Predictor, bundle: PredictorBundle) => T | Promise<T>): Promise<T> {
  const folder = modelFolder(run);
  const bundle = loadPredictorBundle();
  await bundle.initBackend(backend, __dirname);
  try {
    const predictor = await bundle.loadPredictor(folder);
    try {
      return await use(predictor, bundle);
    } finally {
      predictor.dispose();
    }
  } catch (error) {
    if (error instanceof bundle.PredictorError) throw new CliError(error.message);
    throw error;
  }
}

/** An exported model folder (it has model.json) as it is, else a run folder or a run's id. */
export function modelFolder(run: string): string {
  return existsSync(join(resolve(run), 'model.json')) ? resolve(run) : resolveRunDir(run);
}

/** dist/predictor.js, beside dist/cli.js: TensorFlow.js is loaded for this command only. */
function loadPredictorBundle(): PredictorBundle {
  const path = join(__dirname, 'predictor.js');
  if (!existsSync(path)) throw new CliError(`${path} is missing; run \`npm run build\` first.`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, found at run time
  return require(path) as PredictorBundle;
}

/** The prediction in the CLI's one number format (formatMetric): a headline, then the ranking. */
export function formatPrediction(prediction: Prediction): string[] {
  switch (prediction.kind) {
    case 'class':
      return [
        `Prediction: ${prediction.name} (probability ${formatMetric(prediction.probability)})`,
        '',
        formatTable(['class', 'id', 'probability'], prediction.classes.slice(0, SHOWN_ALTERNATIVES).map((c) => [c.name, String(c.id), formatMetric(c.probability)])),
      ];
    case 'next-token':
      return [
        `Next token: ${JSON.stringify(prediction.token)} (probability ${formatMetric(prediction.probability)})`,
        '',
        formatTable(['token', 'id', 'probability'], prediction.candidates.slice(0, SHOWN_ALTERNATIVES).map((c) => [JSON.stringify(c.name), String(c.id), formatMetric(c.probability)])),
      ];
    case 'values':
      return [`Prediction (in the data's units): ${prediction.values.map(formatMetric).join(', ')}`];
  }
}

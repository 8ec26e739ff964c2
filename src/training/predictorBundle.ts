/**
 * Entry of dist/predictor.js: TensorFlow.js and the predictor, which `seqlab predict` and `seqlab probe` load on
 * demand. Kept out of dist/cli.js, which would otherwise parse 5 MB more on every command.
 */
export { initBackend } from '../model/backend';
export { PredictorError } from './modelFiles';
export { loadPredictor } from './predictor';
export { probeRun } from '../inspect/probeRun';

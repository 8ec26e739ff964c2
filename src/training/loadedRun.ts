/**
 * The saved model of the last run asked about, kept loaded by the processes that answer the panel
 * for runs that are not training any more (the probe and generation processes): asking about
 * another run disposes of the previous one; the backend starts once, on first use.
 */
import { initBackend } from '../model/backend';
import { loadPredictor, type Predictor } from './predictor';

let loaded: { runDir: string; predictor: Promise<Predictor> } | undefined;
let backend: Promise<unknown> | undefined;

/**
 * The predictor of the run in `runDir`, loaded on first use. Rejects with a PredictorError when
 * the folder holds no usable model (see loadPredictor). `bundleDir` holds the wasm binaries.
 */
export function loadedRun(runDir: string, bundleDir: string): Promise<Predictor> {
  if (loaded?.runDir !== runDir) {
    void loaded?.predictor.then((predictor) => predictor.dispose(), () => undefined);
    backend ??= initBackend('auto', bundleDir);
    loaded = { runDir, predictor: backend.then(() => loadPredictor(runDir)) };
  }
  return loaded.predictor;
}

/** Forgets the loaded run, so that the next request loads it again (after an unexpected failure). */
export function forgetLoadedRun(): void {
  loaded = undefined;
}

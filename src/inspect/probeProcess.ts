/**
 * The probe process (bundled to dist/probe.js, forked by training/probeClient.ts): answers the
 * panel's probe box for runs that are not training any more, from their saved model. Keeps the
 * last run's model loaded between probes; exits when its parent goes away.
 */
import { isProbeCommand, type ProbeCommand, type ProbeReply } from '../protocol';
import { initBackend } from '../model/backend';
import { loadPredictor, type Predictor } from '../training/predictor';
import { PredictorError } from '../training/modelFiles';
import { probeRun } from './probeRun';

let loaded: { runDir: string; predictor: Promise<Predictor> } | undefined;
let backend: Promise<unknown> | undefined;
/** One probe at a time, in the order asked. */
let queue: Promise<void> = Promise.resolve();

function predictorFor(runDir: string): Promise<Predictor> {
  if (loaded?.runDir !== runDir) {
    void loaded?.predictor.then((predictor) => predictor.dispose(), () => undefined);
    backend ??= initBackend('auto', __dirname);
    loaded = { runDir, predictor: backend.then(() => loadPredictor(runDir)) };
  }
  return loaded.predictor;
}

async function answer(command: ProbeCommand): Promise<ProbeReply> {
  try {
    const predictor = await predictorFor(command.runDir);
    return { type: 'inspection', runDir: command.runDir, event: probeRun(predictor, command.runDir, command.text, command.requestId).event };
  } catch (error) {
    if (!(error instanceof PredictorError)) loaded = undefined; // load again next time rather than keep a broken model
    const message = error instanceof PredictorError ? error.message : `The probe failed: ${(error as Error).message}`;
    return { type: 'probeFailed', runDir: command.runDir, requestId: command.requestId, message };
  }
}

process.on('message', (message: unknown) => {
  if (!isProbeCommand(message)) return;
  queue = queue.then(async () => {
    const reply = await answer(message);
    if (process.connected) process.send?.(reply);
  });
});
process.on('disconnect', () => process.exit(0));

/**
 * The generation process (bundled to dist/generate.js, forked by tasks/generationClient.ts): runs
 * the panel's generation box on a run's saved model, streaming the text as it grows. Keeps the last
 * run's model loaded between requests, answers one request at a time in the order asked, and exits
 * when its parent goes away. The complete text is appended to the run folder, so it is there when
 * the run is opened again.
 */
import { isGenerationCommand, type GenerationCommand, type GenerationReply } from '../protocol';
import { forgetLoadedRun, loadedRun } from '../training/loadedRun';
import { PredictorError } from '../training/modelFiles';
import { openRun } from '../training/runStore';
import { GenerationError, nextTokenModel, streamGeneration } from './generation';

/** One request at a time, in the order asked. */
let queue: Promise<void> = Promise.resolve();

function send(reply: GenerationReply): void {
  if (process.connected) process.send?.(reply);
}

async function answer({ runDir, requestId, settings }: GenerationCommand): Promise<void> {
  try {
    const predictor = await loadedRun(runDir, __dirname);
    const window = predictor.encoder.state.timesteps;
    const model = nextTokenModel(predictor.encoder.state, (ids) => predictor.outputFor({ x: ids, shape: [1, window], tokens: [] }));
    const run = { id: requestId, settings, weights: { kind: 'final' as const }, seed: predictor.spec.data.seed };
    const complete = await streamGeneration(model, run, (event) => send({ type: 'generation', runDir, requestId, event }));
    openRun(runDir).append(complete);
    send({ type: 'generation', runDir, requestId, event: complete });
  } catch (error) {
    const known = error instanceof PredictorError || error instanceof GenerationError;
    if (!known) forgetLoadedRun(); // load again next time rather than keep a broken model
    send({ type: 'generationFailed', runDir, requestId, message: known ? (error as Error).message : `The generation failed: ${(error as Error).message}` });
  }
}

process.on('message', (message: unknown) => {
  if (!isGenerationCommand(message)) return;
  queue = queue.then(() => answer(message));
});
process.on('disconnect', () => process.exit(0));

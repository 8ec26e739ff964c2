/**
 * The probe process (bundled to dist/probe.js, forked by training/probeClient.ts): answers the
 * panel's probe box for runs that are not training any more, from their saved model. Keeps the
 * last run's model loaded between probes; exits when its parent goes away.
 */
import { isProbeCommand, type ProbeCommand, type ProbeReply } from '../protocol';
import { forgetLoadedRun, loadedRun } from '../training/loadedRun';
import { PredictorError } from '../training/modelFiles';
import { probeRun } from './probeRun';

/** One request at a time, in the order asked. */
let queue: Promise<void> = Promise.resolve();

async function answer(command: ProbeCommand): Promise<ProbeReply> {
  try {
    const predictor = await loadedRun(command.runDir, __dirname);
    return { type: 'inspection', runDir: command.runDir, event: probeRun(predictor, command.runDir, command.text, command.requestId).event };
  } catch (error) {
    if (!(error instanceof PredictorError)) forgetLoadedRun(); // load again next time rather than keep a broken model
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

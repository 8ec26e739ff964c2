/**
 * "Probe it yourself" on a finished run: a sequence through the run's saved model, loaded and
 * encoded exactly as `seqlab predict` does (training/predictor.ts), so both give the same
 * prediction; recorded in the run folder so a reopened run and its report show it. Used by
 * `seqlab probe` and by the probe process that answers the panel's probe box.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../data/types';
import type { Predictor } from '../training/predictor';
import { PredictorError } from '../training/modelFiles';
import { openRun, VIEWS_FILE } from '../training/runStore';
import { inspectInput, MAX_KEPT_INSPECTIONS, type InspectedInput } from './inspectInput';

/**
 * Inspects `text` with `predictor` and appends the result to `runDir` (a run folder; an exported
 * model folder is not written to). Throws a PredictorError when the input does not fit the model.
 */
export function probeRun(predictor: Predictor, runDir: string | undefined, text: string, requestId: string = randomUUID()): InspectedInput {
  let inspected: InspectedInput;
  try {
    inspected = inspectInput(predictor.model, predictor.encoder, text, { id: requestId, maxUnits: predictor.spec.inspect.max_units, weights: { kind: 'final' } });
  } catch (error) {
    if (error instanceof DataError) throw new PredictorError(`Cannot probe this input: ${error.message}`);
    throw error;
  }
  if (!runDir) return inspected;
  if (keptInspections(runDir) >= MAX_KEPT_INSPECTIONS) return { ...inspected, event: { ...inspected.event, notKept: true } };
  openRun(runDir).append(inspected.event);
  return inspected;
}

function keptInspections(runDir: string): number {
  const file = join(runDir, VIEWS_FILE);
  return existsSync(file) ? (readFileSync(file, 'utf8').match(/^\{"seq":\d+,"type":"inspection"/gm)?.length ?? 0) : 0;
}

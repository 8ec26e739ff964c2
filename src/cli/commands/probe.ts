/**
 * `seqlab probe <run> "<text>"`: "probe it yourself" from a terminal. Runs one text or series through
 * a run's saved model and preprocessing (as `seqlab predict` does, so the prediction is the same),
 * prints the prediction, the per-token attribution and character heatmaps of the hidden states and
 * gates, records the probe in the run folder and re-renders its report.html, which draws it in colour.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { META_FILE } from '../../training/runStore';
import type { Command } from '../args';
import { EXIT_OK } from '../errors';
import { formatInspection } from '../probeText';
import { writeReport } from '../report';
import type { Output } from './io';
import { formatPrediction, modelFolder, withPredictor } from './predict';

export async function runProbe(command: Extract<Command, { name: 'probe' }>, out: Output): Promise<number> {
  const folder = modelFolder(command.run);
  const runDir = existsSync(join(folder, META_FILE)) ? folder : undefined; // an exported model folder is not written to
  await withPredictor(folder, command.backend, (predictor, { probeRun }) => {
    const { event, prediction } = probeRun(predictor, runDir, command.input);
    for (const line of [...formatPrediction(prediction), ...formatInspection(event)]) out.stdout(line);
    out.stdout('');
    if (!runDir) out.stdout('Not recorded: an exported model folder is not a run.');
    else if (event.notKept) out.stdout('Not recorded: the run already keeps its maximum of probes.');
    else out.stdout(`Recorded in the run; every unit and step in colour: ${writeReport(runDir).path}`);
  });
  return EXIT_OK;
}

/**
 * `seqlab rerun <run>`: trains a completed run's spec snapshot again with the same options, then
 * says whether the re-run reproduced it (final metrics and every weight bit for bit) or what
 * differed. Exit 0 reproduced, 3 differed, 1 (or 2) when the re-run itself failed.
 */
import type { Command } from '../args';
import { CliError, EXIT_DIFFERED, EXIT_OK } from '../errors';
import { formatCount } from '../format';
import type { ProgressStream } from '../progress';
import { compareRuns, RerunError, rerunOptions } from '../../training/rerun';
import type { Output } from './io';
import { resolveRunDir } from './runs';
import { displayPath, exitCodeOf, trainAndReport } from './train';

export async function runRerun(command: Extract<Command, { name: 'rerun' }>, out: Output, progressStream: ProgressStream): Promise<number> {
  const originalDir = resolveRunDir(command.run);
  let options;
  try {
    options = rerunOptions(originalDir);
  } catch (error) {
    if (error instanceof RerunError) throw new CliError(error.message);
    throw error;
  }
  out.stdout(`Re-running ${displayPath(originalDir)} (${options.backend} backend, ${options.epochs} epoch${options.epochs === 1 ? '' : 's'})`);
  const outcome = await trainAndReport(options, out, progressStream);
  if (outcome.status !== 'completed' || !outcome.runDir) {
    out.stderr('The re-run did not complete, so there is nothing to compare.');
    return Math.max(exitCodeOf(outcome), 1);
  }
  const comparison = compareRuns(originalDir, outcome.runDir);
  const { metrics, weights, values } = comparison.compared;
  if (comparison.matched) {
    out.stdout(`Reproduced: the same ${metrics} final metrics and all ${formatCount(weights)} weights (${formatCount(values)} values), bit for bit.`);
    return EXIT_OK;
  }
  out.stdout(`Not reproduced: ${comparison.differences.length} difference${comparison.differences.length === 1 ? '' : 's'}:`);
  for (const difference of comparison.differences) out.stdout(`  - ${difference}`);
  return EXIT_DIFFERED;
}

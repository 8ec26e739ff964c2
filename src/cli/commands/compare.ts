/** `seqlab compare <run> <run>...`: one HTML report comparing two or more runs. */
import { dirname, resolve } from 'node:path';
import type { Command } from '../args';
import { CliError, EXIT_OK, UsageError } from '../errors';
import { writeCompareReport } from '../report';
import { ensureOutputFolder, type Output } from './io';
import { resolveRunDir } from './runs';

export const COMPARE_FILE = 'compare.html';

export function runCompare(command: Extract<Command, { name: 'compare' }>, out: Output): number {
  const runDirs = command.runs.map(resolveRunDir);
  const repeated = runDirs.find((dir, i) => runDirs.indexOf(dir) !== i);
  if (repeated) throw new UsageError(`${repeated} is named twice: compare different runs.`);
  const reportPath = resolve(command.out ?? resolve(dirname(runDirs[0]), COMPARE_FILE));
  let report: ReturnType<typeof writeCompareReport>;
  ensureOutputFolder(reportPath);
  try {
    report = writeCompareReport(runDirs, reportPath);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot write ${reportPath}: ${(error as Error).message}`);
  }
  for (const problem of report.problems) out.stderr(`seqlab: warning: ${problem}`);
  for (const note of report.notes) out.stdout(`Note: ${note}`);
  out.stdout(`Comparison of ${runDirs.length} runs: ${reportPath}`);
  return EXIT_OK;
}

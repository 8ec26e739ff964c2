/** `seqlab runs [dir]` lists runs newest first; `seqlab report <runDir>` re-renders a report. */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { defaultRunsDir, listRuns, META_FILE } from '../../training/runStore';
import { CliError, EXIT_OK } from '../errors';
import { formatMetricsInline, formatTable } from '../format';
import { writeReport } from '../report';
import type { Output } from './io';

export function runRuns(dir: string | undefined, out: Output): number {
  const runsDir = locateRunsDir(resolve(dir ?? '.'));
  const runs = listRuns(runsDir);
  if (runs.length === 0) {
    out.stderr(`No runs in ${runsDir}. Train one with \`seqlab train <spec>\`.`);
    return EXIT_OK;
  }
  out.stdout(`Runs in ${runsDir}, newest first:\n`);
  out.stdout(
    formatTable(
      ['run', 'status', 'epochs', 'backend', 'final metrics'],
      runs.map((run) => [
        run.id,
        run.status,
        `${run.epochs}${run.quick ? ' (quick)' : ''}`,
        run.backend,
        run.error ? truncate(run.error.message.split('\n')[0], 80) : formatMetricsInline(run.finalMetrics ?? {}),
      ]),
    ),
  );
  return EXIT_OK;
}

export function runReport(runDir: string, out: Output): number {
  const dir = resolve(runDir);
  if (!existsSync(join(dir, META_FILE))) {
    throw new CliError(`${runDir} is not a run folder (it has no ${META_FILE}). List runs with \`seqlab runs\`.`);
  }
  const report = writeReport(dir);
  for (const problem of report.problems) out.stderr(`seqlab: warning: ${problem}`);
  out.stdout(`Report: ${report.path}`);
  return EXIT_OK;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 3)}...`;
}

/**
 * A run named on the command line: its folder, or its id (folder name) in the runs folder of the
 * current folder (`.seqlab/runs`). A path (with a folder separator, or absolute) is only that
 * folder. Throws a CliError naming the place(s) it looked, as the user gave them.
 */
export function resolveRunDir(run: string): string {
  const isPath = isAbsolute(run) || /[\\/]/.test(run) || run.startsWith('.');
  const candidates = isPath ? [resolve(run)] : [resolve(run), join(defaultRunsDir(resolve('.')), run)];
  const found = candidates.find((dir) => existsSync(join(dir, META_FILE)));
  if (found) return found;
  if (isPath) {
    const why = existsSync(run) ? `it has no ${META_FILE}` : 'no such folder';
    throw new CliError(`No run at ${run}: ${why}. List runs with \`seqlab runs\`.`);
  }
  throw new CliError(`No run "${run}": neither ${candidates[0]} nor ${candidates[1]} is a run folder. List runs with \`seqlab runs\`.`);
}

/** Accepts a runs folder itself, a project/spec folder holding `.seqlab/runs`, or a spec file. */
function locateRunsDir(path: string): string {
  if (!existsSync(path)) throw new CliError(`${path} does not exist.`);
  const folder = statSync(path).isDirectory() ? path : resolve(path, '..');
  const nested = defaultRunsDir(folder);
  return existsSync(nested) ? nested : folder;
}

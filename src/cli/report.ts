/** Writes a run's self-contained HTML report: the webview bundle rendering the stored run. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns } from '../compare/compareRuns';
import { buildCompareHtml, buildReportHtml } from '../report/html';
import { readRun } from '../training/runStore';
import { CliError } from './errors';

export const REPORT_FILE = 'report.html';

/** The panel's bundle (dist/webview.js and .css), next to dist/cli.js. */
function readPanelAsset(file: string): string {
  const path = join(__dirname, file);
  if (!existsSync(path)) {
    throw new CliError(`Cannot write the report: ${path} is missing. Run \`npm run build\` first.`);
  }
  return readFileSync(path, 'utf8');
}

/**
 * Renders `<runDir>/report.html` from the run's logs. Returns its path and the lines of the logs
 * that could not be read (the report shows them too; the caller prints them).
 */
export function writeReport(runDir: string): { path: string; problems: string[] } {
  const { meta, view, problems } = readRun(runDir);
  const html = buildReportHtml(view, {
    script: readPanelAsset('webview.js'),
    style: readPanelAsset('webview.css'),
    title: `${meta.name} · ${meta.id}`,
    problems,
  });
  const reportPath = join(runDir, REPORT_FILE);
  writeFileSync(reportPath, html);
  return { path: reportPath, problems };
}

/**
 * Writes the comparison of `runDirs` to `reportPath`. Returns the comparison's notes (what is not
 * comparable) and the parts of the runs that could not be read.
 */
export function writeCompareReport(runDirs: readonly string[], reportPath: string): { notes: string[]; problems: string[]; plotted: number } {
  const { view, problems } = compareRuns(runDirs);
  const html = buildCompareHtml(view, {
    script: readPanelAsset('webview.js'),
    style: readPanelAsset('webview.css'),
    title: `Compare ${view.runs.map((run) => run.meta.name).join(' · ')}`,
    problems,
  });
  writeFileSync(reportPath, html);
  return { notes: view.notes, problems, plotted: view.plotted };
}

import * as vscode from 'vscode';
import { checkSpec } from '../../language/check';
import { compareRuns, RerunError, rerunOptions } from '../../training/rerun';
import { readMeta } from '../../training/runStore';
import type { Command } from '../commandManager';
import type { PanelManager } from '../panel/panelManager';
import type { JobManager } from '../training/jobManager';
import { pickRun } from './runPicker';

/**
 * Re-run…: trains a completed run's spec snapshot again with the same seed, backend, epochs and
 * options (shown live in the panel), then says whether the re-run reproduced it, bit for bit, or
 * what differed (the full list goes to the Sequence Lab output channel).
 */
export class RerunCommand implements Command {
  readonly id = 'sequenceLab.rerun';

  constructor(
    private readonly jobs: JobManager,
    private readonly panels: PanelManager,
    private readonly output: vscode.OutputChannel,
  ) {}

  async execute(runDir?: unknown): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Sequence Lab does not train in a restricted workspace: trust the workspace to re-run a run.');
      return;
    }
    const chosen =
      typeof runDir === 'string'
        ? runDir
        : await pickRun({ title: 'Re-run a completed Sequence Lab run and compare', filter: (meta) => meta.status === 'completed' });
    if (!chosen) return;
    let options;
    try {
      options = rerunOptions(chosen);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sequence Lab: ${error instanceof RerunError ? error.message : `cannot re-run this run. ${String(error)}`}`);
      return;
    }
    const original = readMeta(chosen);
    const { specPath, ...rest } = options;
    // What the re-run trains is the snapshot: its inline result is current while the spec file resolves to the same.
    const trainedSpec = JSON.stringify(checkSpec(rest.specText ?? '', { specPath }).spec);
    const job = this.jobs.start(vscode.Uri.file(specPath), 'train', rest, { name: original.name, automatic: false, trainedSpec });
    if (!job) {
      void vscode.window.showInformationMessage('Sequence Lab: this spec is training now; stop that run first, then re-run.');
      return;
    }
    this.panels.showJob(job, { preserveFocus: true });
    await job.done;
    if (job.progress.status !== 'completed' || !job.runDir) {
      void vscode.window.showErrorMessage(`Sequence Lab: the re-run of ${original.id} did not complete (${job.progress.status}), so there is nothing to compare.`);
      return;
    }
    const comparison = compareRuns(chosen, job.runDir);
    const { weights, values } = comparison.compared;
    if (comparison.matched) {
      void vscode.window.showInformationMessage(
        `Sequence Lab: the re-run reproduced ${original.id}: the same final metrics and all ${weights} weights (${values.toLocaleString('en-US')} values), bit for bit.`,
      );
      return;
    }
    this.output.appendLine(`Re-run of ${original.id} (${job.runDir}) did not reproduce it:`);
    for (const difference of comparison.differences) this.output.appendLine(`  - ${difference}`);
    const more = comparison.differences.length - 1;
    // Not awaited: the command ends with the comparison; the notification waits for the user alone.
    void vscode.window
      .showWarningMessage(`Sequence Lab: the re-run did not reproduce ${original.id}. ${comparison.differences[0]}${more > 0 ? ` (and ${more} more)` : ''}`, 'Show All')
      .then((choice) => choice && this.output.show(true));
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { listRuns } from '../../training/runStore';
import type { Command } from '../commandManager';
import type { PanelManager } from '../panel/panelManager';
import { runsFolderFor } from '../runsFolder';
import { specUriOf } from '../specDocument';
import type { JobManager } from '../training/jobManager';

/** The panel of the spec's current or last job in this session, else of its newest stored run. */
export class OpenPanelCommand implements Command {
  readonly id = 'sequenceLab.openPanel';

  constructor(
    private readonly jobs: JobManager,
    private readonly panels: PanelManager,
  ) {}

  async execute(specUri?: unknown): Promise<void> {
    const uri = specUriOf(specUri);
    if (!uri) {
      await vscode.commands.executeCommand('sequenceLab.openRun');
      return;
    }
    const job = this.jobs.latestJob(uri);
    if (job) {
      this.panels.showJob(job, { preserveFocus: false });
      return;
    }
    const runsFolder = runsFolderFor(uri);
    const newest = listRuns(runsFolder)[0];
    if (newest) {
      await this.panels.showRun(path.join(runsFolder, newest.id));
      return;
    }
    const choice = await vscode.window.showInformationMessage(
      'Sequence Lab: this spec has no runs yet. Train it to see its curves and hidden states.',
      'Train',
      'Quick Preview',
    );
    if (choice === 'Train') await vscode.commands.executeCommand('sequenceLab.train', uri);
    if (choice === 'Quick Preview') await vscode.commands.executeCommand('sequenceLab.quickPreview', uri);
  }
}

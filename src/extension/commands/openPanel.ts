import * as path from 'node:path';
import * as vscode from 'vscode';
import { listRuns } from '../../training/runStore';
import type { Command } from '../commandManager';
import type { SpecAnalysis } from '../language/specAnalysis';
import type { PanelManager } from '../panel/panelManager';
import { newestRunOfSpec } from '../panel/specRuns';
import { runsFolderFor } from '../runsFolder';
import { specUriOf } from '../specDocument';
import type { JobManager } from '../training/jobManager';

/**
 * The panel of the spec's current or last job in this session, else of its own newest stored run
 * (never another spec's from the same runs folder), else the spec itself: its model summary and
 * Train / Quick Preview.
 */
export class OpenPanelCommand implements Command {
  readonly id = 'sequenceLab.openPanel';

  constructor(
    private readonly jobs: JobManager,
    private readonly panels: PanelManager,
    private readonly analysis: SpecAnalysis,
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
    const document = await vscode.workspace.openTextDocument(uri);
    const runsFolder = runsFolderFor(uri);
    const newest = newestRunOfSpec(listRuns(runsFolder), uri.fsPath, this.analysis.resultFor(document).spec?.name);
    if (newest) await this.panels.showRun(path.join(runsFolder, newest.id));
    else this.panels.showUntrained(document);
  }
}

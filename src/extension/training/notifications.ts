import * as vscode from 'vscode';
import { endNotice } from './endNotice';
import type { JobManager, SpecJob } from './jobManager';

/** Tells the user how a job ended when it needs telling (see endNotice), with "Open Panel". */
export class JobNotifications implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(jobs: JobManager) {
    this.subscription = jobs.onDidEndJob((job) => void this.notify(job));
  }

  private async notify(job: SpecJob): Promise<void> {
    const notice = endNotice(job);
    if (!notice) return;
    const show = notice.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    const choice = await show(notice.message, 'Open Panel');
    if (choice === 'Open Panel') await vscode.commands.executeCommand('sequenceLab.openPanel', job.specUri);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

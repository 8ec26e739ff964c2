import * as vscode from 'vscode';
import type { JobManager, SpecJob } from './jobManager';
import { describeMetrics } from './progress';

/**
 * Tells the user how each job ended, with "Open Panel". Previews report success inline only, and
 * automatic (on-save) previews never interrupt: their failures show after `train:` too.
 */
export class JobNotifications implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(jobs: JobManager) {
    this.subscription = jobs.onDidEndJob((job) => void this.notify(job));
  }

  private async notify(job: SpecJob): Promise<void> {
    if (job.automatic) return;
    const what = job.kind === 'preview' ? 'Quick preview' : 'Training';
    let choice: string | undefined;
    switch (job.progress.status) {
      case 'completed':
        if (job.kind === 'preview') return;
        choice = await vscode.window.showInformationMessage(
          `Sequence Lab: ${what} of ${job.name} finished: ${describeMetrics(job.progress, { trend: false })}.`,
          'Open Panel',
        );
        break;
      case 'stopped':
        choice = await vscode.window.showInformationMessage(`Sequence Lab: ${what} of ${job.name} stopped.`, 'Open Panel');
        break;
      case 'failed':
        choice = await vscode.window.showErrorMessage(
          `Sequence Lab: ${what} of ${job.name} failed. ${job.progress.errorMessage ?? ''}`.trim(),
          'Open Panel',
        );
        break;
      case 'running':
        return;
    }
    if (choice === 'Open Panel') await vscode.commands.executeCommand('sequenceLab.openPanel', job.specUri);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

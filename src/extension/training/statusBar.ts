import * as vscode from 'vscode';
import { describeProgress, fractionDone } from './progress';
import type { JobManager, SpecJob } from './jobManager';

/**
 * "$(sync~spin) parity 45% · epoch 2/3 · loss 0.41" while a job runs (the editor's one place for
 * training progress besides the panel's header); clicking it stops that job.
 */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sequenceLab.job', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly jobs: JobManager) {
    this.item.name = 'Sequence Lab training';
    this.subscriptions.push(
      jobs.onDidStartJob(() => this.update()),
      jobs.onDidReceiveEvent(() => this.update()),
      jobs.onDidEndJob(() => this.update()),
    );
  }

  private update(): void {
    const job = this.jobs.runningJobs().at(-1);
    if (!job) {
      this.item.hide();
      return;
    }
    const fraction = fractionDone(job.progress);
    const percent = fraction > 0 ? ` ${Math.floor(fraction * 100)}%` : '';
    this.item.text = `$(sync~spin) ${job.name}${percent} · ${describeProgress(job.progress)}`;
    this.item.tooltip = tooltipFor(job);
    this.item.command = { title: 'Stop', command: 'sequenceLab.stop', arguments: [job.specUri] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

function tooltipFor(job: SpecJob): string {
  const what = job.kind === 'preview' ? 'Quick preview' : 'Training';
  return `Sequence Lab: ${what} of ${vscode.workspace.asRelativePath(job.specUri)} — click to stop`;
}

import * as vscode from 'vscode';
import type { Command } from '../commandManager';
import type { PanelManager } from '../panel/panelManager';
import { resolveSpecDocument } from '../specDocument';
import type { JobManager, SpecJob } from '../training/jobManager';
import type { TrainingLauncher } from '../training/launcher';
import { describeProgress, fractionDone } from '../training/progress';

/** Trains the spec in full, opens its panel beside the editor and shows cancellable progress. */
export class TrainCommand implements Command {
  readonly id = 'sequenceLab.train';

  constructor(
    private readonly launcher: TrainingLauncher,
    private readonly jobs: JobManager,
    private readonly panels: PanelManager,
  ) {}

  async execute(specUri?: unknown): Promise<void> {
    const document = await resolveSpecDocument(specUri);
    if (!document) return;
    const job = this.launcher.launch(document, 'train');
    if (!job) return;
    this.panels.showJob(job, { preserveFocus: true });
    void showProgress(job, this.jobs);
  }
}

function showProgress(job: SpecJob, jobs: JobManager): Thenable<unknown> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Training ${job.name}`, cancellable: true },
    (progress, cancellation) => {
      cancellation.onCancellationRequested(() => job.stop());
      let reported = 0;
      // The same event stream the panel gets; nothing is polled.
      const listener = jobs.onDidReceiveEvent((update) => {
        if (update.job !== job) return;
        const done = fractionDone(job.progress) * 100;
        progress.report({ increment: done - reported, message: describeProgress(job.progress) });
        reported = done;
      });
      return job.done.finally(() => listener.dispose());
    },
  );
}

import * as vscode from 'vscode';
import type { Command } from '../commandManager';
import { specUriOf } from '../specDocument';
import type { JobManager } from '../training/jobManager';

/** Stops the given spec's job, else the active spec's, else the most recent one still running. */
export class StopCommand implements Command {
  readonly id = 'sequenceLab.stop';

  constructor(private readonly jobs: JobManager) {}

  execute(specUri?: unknown): void {
    const uri = specUriOf(specUri);
    const job = (uri && this.jobs.runningJob(uri)) || this.jobs.runningJobs().at(-1);
    if (job) job.stop();
    else void vscode.window.showInformationMessage('Sequence Lab: nothing is training.');
  }
}

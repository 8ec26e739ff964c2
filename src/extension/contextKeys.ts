import * as vscode from 'vscode';
import type { JobManager } from './training/jobManager';

/**
 * `sequenceLab.running` (any job) and `sequenceLab.activeSpecRunning` (the active editor's spec):
 * they enable Stop and swap the editor title's Train/Preview buttons for Stop.
 */
export class TrainingContextKeys implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly jobs: JobManager) {
    this.subscriptions = [
      jobs.onDidStartJob(() => this.update()),
      jobs.onDidEndJob(() => this.update()),
      // A job that reports a failure is over before its process has exited.
      jobs.onDidReceiveEvent(({ event }) => (event.type === 'done' || event.type === 'error' ? this.update() : undefined)),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    ];
    this.update();
  }

  private update(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', 'sequenceLab.running', this.jobs.runningJobs().length > 0);
    void vscode.commands.executeCommand('setContext', 'sequenceLab.activeSpecRunning', !!active && !!this.jobs.runningJob(active));
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

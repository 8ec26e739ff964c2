import * as vscode from 'vscode';
import type { JobManager } from '../training/jobManager';
import { describeProgress } from '../training/progress';
import { throttle } from '../throttle';
import { topLevelKeyLine } from './sections';

/**
 * Above `model:` and `train:`: Train · Quick Preview · Summary, or while the spec trains its
 * progress and Stop. Refreshed a few times a second at most while a job reports batches.
 */
export class SpecCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(private readonly jobs: JobManager) {
    const refresh = throttle(() => this.changeEmitter.fire(), 500);
    this.subscriptions = [jobs.onDidStartJob(refresh), jobs.onDidReceiveEvent(refresh), jobs.onDidEndJob(refresh), refresh];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    const lines = ['model', 'train']
      .map((key) => topLevelKeyLine(text, key))
      .filter((line): line is number => line !== undefined);
    return lines.flatMap((line) => this.lensesAt(new vscode.Range(line, 0, line, 0), document.uri));
  }

  private lensesAt(range: vscode.Range, uri: vscode.Uri): vscode.CodeLens[] {
    const running = this.jobs.runningJob(uri);
    if (running) {
      const what = running.kind === 'preview' ? 'Previewing' : 'Training';
      return [
        new vscode.CodeLens(range, {
          title: `$(sync~spin) ${what}: ${describeProgress(running.progress)}`,
          command: 'sequenceLab.openPanel',
          arguments: [uri],
        }),
        new vscode.CodeLens(range, { title: '$(debug-stop) Stop', command: 'sequenceLab.stop', arguments: [uri] }),
      ];
    }
    return [
      new vscode.CodeLens(range, { title: '$(play) Train', command: 'sequenceLab.train', arguments: [uri] }),
      new vscode.CodeLens(range, { title: '$(beaker) Quick Preview', command: 'sequenceLab.quickPreview', arguments: [uri] }),
      new vscode.CodeLens(range, { title: '$(list-tree) Summary', command: 'sequenceLab.showModelSummary', arguments: [uri] }),
    ];
  }

  dispose(): void {
    this.changeEmitter.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

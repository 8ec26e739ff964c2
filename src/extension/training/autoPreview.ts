import * as vscode from 'vscode';
import { isSpecDocument } from '../language/convert';
import { readSettings } from '../settings';
import type { JobManager } from './jobManager';
import type { TrainingLauncher } from './launcher';

/**
 * Inline previews: with `sequenceLab.inlinePreviews` on, saving a valid spec starts a quick
 * preview, and editing the spec cancels a preview that no longer matches it. Nothing here waits
 * on training, so typing is never blocked.
 */
export class AutoPreview implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly jobs: JobManager,
    private readonly launcher: TrainingLauncher,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument((document) => void this.previewOnSave(document)),
      vscode.workspace.onDidChangeTextDocument((change) => this.cancelStale(change)),
    ];
  }

  private async previewOnSave(document: vscode.TextDocument): Promise<void> {
    if (!isSpecDocument(document) || !readSettings(document.uri).inlinePreviews) return;
    const running = this.jobs.runningJob(document.uri);
    // A full Train is never interrupted by a save; a preview of an older text is replaced.
    if (running?.kind === 'train') return;
    if (running) {
      running.stop();
      await running.done;
    }
    this.launcher.launch(document, 'preview', { automatic: true });
  }

  private cancelStale({ document, contentChanges }: vscode.TextDocumentChangeEvent): void {
    if (contentChanges.length === 0 || !isSpecDocument(document)) return;
    const running = this.jobs.runningJob(document.uri);
    if (running?.kind === 'preview') running.stop();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

import * as vscode from 'vscode';
import { isSpecDocument } from '../language/convert';
import type { SpecAnalysis } from '../language/specAnalysis';
import { readSettings } from '../settings';
import { KeyedDebounce } from '../throttle';
import type { JobManager } from './jobManager';
import type { TrainingLauncher } from './launcher';

/**
 * How long a saved spec must stay untouched before its preview starts. Editors that auto-save
 * (code-server does, every second) save while the user types: a preview per save would start and
 * be cancelled on almost every keystroke.
 */
export const QUIET_MS = 1500;

/**
 * Inline previews: with `sequenceLab.inlinePreviews` on, a saved spec that checks clean and then
 * stays untouched for QUIET_MS gets a quick preview; editing the spec cancels a preview that no
 * longer matches it. Nothing here waits on training, so typing is never blocked.
 */
export class AutoPreview implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  /** One pending start per spec, restarted by every save and dropped by every edit. */
  private readonly pending = new KeyedDebounce(QUIET_MS);

  constructor(
    private readonly jobs: JobManager,
    private readonly launcher: TrainingLauncher,
    private readonly analysis: SpecAnalysis,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument((document) => this.scheduleOnSave(document)),
      vscode.workspace.onDidChangeTextDocument((change) => this.cancelStale(change)),
    ];
  }

  private scheduleOnSave(document: vscode.TextDocument): void {
    if (!isSpecDocument(document) || !readSettings(document.uri).inlinePreviews) return;
    this.pending.schedule(document.uri.toString(), () => void this.previewIfReady(document));
  }

  private async previewIfReady(document: vscode.TextDocument): Promise<void> {
    // Edited since the save (the next save schedules again), or not worth a run: a spec with errors.
    if (document.isClosed || document.isDirty) return;
    if (this.analysis.resultFor(document).diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return;
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
    this.pending.cancel(document.uri.toString());
    const running = this.jobs.runningJob(document.uri);
    if (running?.kind === 'preview') running.stop();
  }

  dispose(): void {
    this.pending.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

import * as vscode from 'vscode';
import type { LayerSummary, Shape } from '../../language/types';
import { throttle } from '../throttle';
import type { JobManager, SpecJob } from '../training/jobManager';
import { describeMetrics, describeProgress } from '../training/progress';
import { isSpecDocument } from './convert';
import { topLevelKeyLine } from './sections';
import type { SpecAnalysis } from './specAnalysis';

/**
 * Inline, after-the-text annotations: each layer's output shape and parameters (the model summary
 * where it is declared), and after `train:` the latest loss and metrics of the spec's last run.
 */
export class SpecDecorations implements vscode.Disposable {
  private readonly decorationType = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2.5em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly analysis: SpecAnalysis,
    private readonly jobs: JobManager,
  ) {
    const refreshJobs = throttle(() => this.updateAll(), 250);
    this.subscriptions = [
      analysis.onDidUpdate((document) => this.updateDocument(document)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateAll()),
      jobs.onDidStartJob(refreshJobs),
      jobs.onDidReceiveEvent(refreshJobs),
      jobs.onDidEndJob(refreshJobs),
      refreshJobs,
    ];
    this.updateAll();
  }

  private updateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.update(editor);
  }

  private updateDocument(document: vscode.TextDocument): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document === document) this.update(editor);
    }
  }

  private update(editor: vscode.TextEditor): void {
    const { document } = editor;
    if (!isSpecDocument(document) || document.isClosed) return;
    const layers = this.analysis.resultFor(document).summary?.layers ?? [];
    const decorations = layers.flatMap((layer) => layerDecoration(document, layer));
    const trainLine = topLevelKeyLine(document.getText(), 'train');
    const job = this.jobs.latestJob(document.uri);
    if (trainLine !== undefined && job) decorations.push(afterLine(document, trainLine, describeJob(job)));
    editor.setDecorations(this.decorationType, decorations);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.decorationType.dispose();
  }
}

function layerDecoration(document: vscode.TextDocument, layer: LayerSummary): vscode.DecorationOptions[] {
  if (!layer.range || layer.range.start.line >= document.lineCount) return [];
  return [afterLine(document, layer.range.start.line, describeLayer(layer))];
}

function describeLayer(layer: LayerSummary): string {
  return `→ ${formatShape(layer.outputShape)} · ${layer.params.toLocaleString('en-US')} params`;
}

/** Keras prints `(None, 200, 64)`. */
function formatShape(shape: Shape): string {
  return `(${shape.map((dimension) => dimension ?? 'None').join(', ')})`;
}

function describeJob(job: SpecJob): string {
  const what = job.kind === 'preview' ? 'preview' : 'run';
  switch (job.progress.status) {
    case 'running':
      return `⟳ ${what}: ${describeProgress(job.progress)}`;
    case 'completed':
      return `✓ ${what}: ${describeMetrics(job.progress)}`;
    case 'stopped':
      return `■ ${what} stopped: ${describeMetrics(job.progress)}`;
    case 'failed':
      return `✗ ${what} failed: ${firstLine(job.progress.errorMessage ?? 'see the panel')}`;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function afterLine(document: vscode.TextDocument, line: number, contentText: string): vscode.DecorationOptions {
  const end = document.lineAt(line).range.end;
  return { range: new vscode.Range(end, end), renderOptions: { after: { contentText } } };
}

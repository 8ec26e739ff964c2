import * as vscode from 'vscode';
import type { LayerSummary, Shape } from '../../language/types';
import { throttle } from '../throttle';
import type { JobManager, SpecJob } from '../training/jobManager';
import { inlineHover, inlineText, isOutOfDate } from '../training/inlineResult';
import { isSpecDocument } from './convert';
import { topLevelKeyLine } from './sections';
import type { SpecAnalysis } from './specAnalysis';

const LAYER_HOVER = new vscode.MarkdownString(
  "Output shape and parameter count of this layer, as Keras' `model.summary()` prints them (`None`: the batch dimension). *Sequence Lab: Show Model Summary* prints the whole table.",
);

/**
 * Inline, after-the-text annotations: each layer's output shape and parameters (the model summary
 * where it is declared), and after `train:` the latest loss and metrics of the spec's last run,
 * dimmed and marked "spec changed" once the spec is no longer what that run trained. Each has a
 * hover that says what it is.
 */
export class SpecDecorations implements vscode.Disposable {
  private readonly decorationType = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2.5em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly outOfDateType = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('disabledForeground'), margin: '0 0 0 2.5em', fontStyle: 'italic' },
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
    const result = this.analysis.resultFor(document);
    const decorations = (result.summary?.layers ?? []).flatMap((layer) => layerDecoration(document, layer));
    const outOfDate: vscode.DecorationOptions[] = [];
    const trainLine = topLevelKeyLine(document.getText(), 'train');
    const job = this.jobs.latestJob(document.uri);
    if (trainLine !== undefined && job) {
      const stale = isOutOfDate(job, result.spec);
      (stale ? outOfDate : decorations).push(jobDecoration(document, trainLine, job, stale));
    }
    editor.setDecorations(this.decorationType, decorations);
    editor.setDecorations(this.outOfDateType, outOfDate);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.decorationType.dispose();
    this.outOfDateType.dispose();
  }
}

function layerDecoration(document: vscode.TextDocument, layer: LayerSummary): vscode.DecorationOptions[] {
  if (!layer.range || layer.range.start.line >= document.lineCount) return [];
  return [afterLine(document, layer.range.start.line, describeLayer(layer), LAYER_HOVER)];
}

function jobDecoration(document: vscode.TextDocument, line: number, job: SpecJob, outOfDate: boolean): vscode.DecorationOptions {
  return afterLine(document, line, inlineText(job, outOfDate), new vscode.MarkdownString(inlineHover(job, outOfDate)));
}

function describeLayer(layer: LayerSummary): string {
  return `→ ${formatShape(layer.outputShape)} · ${layer.params.toLocaleString('en-US')} params`;
}

/** Keras prints `(None, 200, 64)`. */
function formatShape(shape: Shape): string {
  return `(${shape.map((dimension) => dimension ?? 'None').join(', ')})`;
}

function afterLine(document: vscode.TextDocument, line: number, contentText: string, hoverMessage: vscode.MarkdownString): vscode.DecorationOptions {
  const end = document.lineAt(line).range.end;
  return { range: new vscode.Range(end, end), hoverMessage, renderOptions: { after: { contentText } } };
}

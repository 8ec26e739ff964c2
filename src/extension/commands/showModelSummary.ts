import * as vscode from 'vscode';
import { formatSummaryTable } from '../../language/summary';
import type { Command } from '../commandManager';
import type { SpecAnalysis } from '../language/specAnalysis';
import { resolveSpecDocument } from '../specDocument';

/** Prints the Keras-style `model.summary()` table of the spec in the Sequence Lab output channel. */
export class ShowModelSummaryCommand implements Command {
  readonly id = 'sequenceLab.showModelSummary';

  constructor(
    private readonly analysis: SpecAnalysis,
    private readonly output: vscode.OutputChannel,
  ) {}

  async execute(specUri?: unknown): Promise<void> {
    const document = await resolveSpecDocument(specUri);
    if (!document) return;
    const summary = this.analysis.resultFor(document).summary;
    if (!summary) {
      void vscode.window.showWarningMessage(
        'Sequence Lab: no summary yet: the model section has errors that stop shape inference (see Problems).',
      );
      return;
    }
    this.output.appendLine(`Model summary of ${vscode.workspace.asRelativePath(document.uri)}`);
    this.output.appendLine(formatSummaryTable(summary));
    this.output.appendLine('');
    this.output.show(true);
  }
}

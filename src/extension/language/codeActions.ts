import * as vscode from 'vscode';
import type { SpecDiagnostic } from '../../language/types';
import { toRange } from './convert';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { SpecAnalysis } from './specAnalysis';

/**
 * Offers the checker's own fixes (add `return_sequences: true`, fix a loss/activation mismatch,
 * replace an unknown key with the suggested one) as quick fixes on their diagnostics.
 */
export class SpecCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly analysis: SpecAnalysis) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const shown = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    if (shown.length === 0) return [];
    return this.analysis
      .resultFor(document)
      .diagnostics.filter((diagnostic) => diagnostic.fixes?.length && toRange(diagnostic.range).intersection(range))
      .flatMap((diagnostic) => toCodeActions(document, diagnostic, shown));
  }
}

function toCodeActions(
  document: vscode.TextDocument,
  diagnostic: SpecDiagnostic,
  shown: readonly vscode.Diagnostic[],
): vscode.CodeAction[] {
  const range = toRange(diagnostic.range);
  const matching = shown.filter((candidate) => candidate.range.isEqual(range) && candidate.message === diagnostic.message);
  return (diagnostic.fixes ?? []).map((fix, index) => {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of fix.edits) action.edit.replace(document.uri, toRange(edit.range), edit.newText);
    action.diagnostics = matching;
    action.isPreferred = index === 0 && (diagnostic.fixes?.length ?? 0) === 1;
    return action;
  });
}

import * as vscode from 'vscode';

/**
 * The spec a command acts on: the URI it was given (CodeLens, menus, explorer), else the active
 * editor's spec, else the only visible one. Tells the user when there is none.
 */
export async function resolveSpecDocument(argument: unknown): Promise<vscode.TextDocument | undefined> {
  if (argument instanceof vscode.Uri) return vscode.workspace.openTextDocument(argument);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'seqlab') return active;
  const visible = vscode.window.visibleTextEditors.filter((editor) => editor.document.languageId === 'seqlab');
  if (visible.length === 1) return visible[0]?.document;
  void vscode.window.showInformationMessage('Sequence Lab: open a *.seqlab.yaml spec in the editor first.');
  return undefined;
}

/** Like resolveSpecDocument, for commands that only need the spec's location. */
export function specUriOf(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const active = vscode.window.activeTextEditor?.document;
  return active?.languageId === 'seqlab' ? active.uri : undefined;
}

import * as vscode from 'vscode';
import { documentationFor, keyPathAt } from '../../language/navigate';

/** The schema's documentation of the key under the cursor (or of the key whose value it is). */
export class SpecHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = document.getText();
    const located = keyPathAt(text, document.offsetAt(position));
    if (!located) return undefined;
    const documentation = documentationFor(located.path, text);
    if (!documentation) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(documentation), document.getWordRangeAtPosition(position, /[\w-]+/));
  }
}

import * as vscode from 'vscode';
import { completionsAt, type SpecCompletion } from '../../language/navigate';

/** Section keys, layer types (as snippets), layer fields and enum values, from the spec's schema. */
export class SpecCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = [':', ' ', '-'];

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    return completionsAt(document.getText(), document.offsetAt(position)).map(toCompletionItem);
  }
}

function toCompletionItem(completion: SpecCompletion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(completion.label, KIND[completion.kind]);
  item.detail = completion.detail;
  if (completion.documentation) item.documentation = new vscode.MarkdownString(completion.documentation);
  if (completion.insertText !== undefined) {
    // Layer snippets carry tab stops (`$1`, `${1:64}`); plain text is inserted as is.
    item.insertText = /\$(\d|\{\d)/.test(completion.insertText)
      ? new vscode.SnippetString(completion.insertText)
      : completion.insertText;
  }
  return item;
}

const KIND: Record<SpecCompletion['kind'], vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  layer: vscode.CompletionItemKind.Class,
};

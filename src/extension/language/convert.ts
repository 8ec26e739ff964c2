import * as vscode from 'vscode';
import type { Severity, SourceRange } from '../../language/types';

/** The checker's zero-based ranges are LSP-shaped: they map one to one onto the editor's. */
export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}

export const SPEC_SELECTOR: vscode.DocumentSelector = { language: 'seqlab' };

export function isSpecDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'seqlab';
}

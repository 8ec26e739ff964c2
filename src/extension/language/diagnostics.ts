import * as vscode from 'vscode';
import type { SpecDiagnostic } from '../../language/types';
import { toRange, toSeverity } from './convert';
import type { SpecAnalysis } from './specAnalysis';

export const DIAGNOSTIC_SOURCE = 'seqlab';

/** Publishes the checker's diagnostics for open specs; closed specs have none. */
export class SpecDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('seqlab');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly analysis: SpecAnalysis) {
    this.subscription = analysis.onDidUpdate((document) => this.publish(document));
  }

  private publish(document: vscode.TextDocument): void {
    if (document.isClosed) {
      this.collection.delete(document.uri);
      return;
    }
    this.collection.set(document.uri, this.analysis.resultFor(document).diagnostics.map(toDiagnostic));
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

export function toDiagnostic(diagnostic: SpecDiagnostic): vscode.Diagnostic {
  const result = new vscode.Diagnostic(toRange(diagnostic.range), diagnostic.message, toSeverity(diagnostic.severity));
  result.source = DIAGNOSTIC_SOURCE;
  result.code = diagnostic.code;
  return result;
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkSpec } from '../../language/check';
import type { CheckResult } from '../../language/types';
import { KeyedDebounce } from '../throttle';
import { isSpecDocument } from './convert';
import { DataFactsCache } from './dataFactsCache';

const RECHECK_DELAY_MS = 300;

/**
 * Checks spec documents with the same `checkSpec` the CLI uses, once per document version, and
 * tells listeners (diagnostics, decorations) when a document's result changed. Typing only
 * schedules a check: it runs once the user pauses for RECHECK_DELAY_MS.
 */
export class SpecAnalysis implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; result: CheckResult }>();
  private readonly pending = new KeyedDebounce(RECHECK_DELAY_MS);
  private readonly updateEmitter = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** What each spec's data file says (classes, vocabulary, a missing file...), read in the background. */
  private readonly facts = new DataFactsCache();

  readonly onDidUpdate = this.updateEmitter.event;

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => this.refreshNow(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.schedule(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document)),
      this.facts,
      this.facts.onDidRead((uri) => {
        const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
        this.cache.delete(uri.toString());
        if (document && !document.isClosed) this.refreshNow(document);
      }),
    );
  }

  /** Checks every spec already open when the extension activates. */
  checkOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) this.refreshNow(document);
  }

  /** The result for the document's current text (computed now if the cached one is stale). */
  resultFor(document: vscode.TextDocument): CheckResult {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.result;
    const result = checkSpec(document.getText(), {
      specPath: document.uri.scheme === 'file' ? document.uri.fsPath : undefined,
      dataFacts: (data) => this.facts.lookup(document.uri, data),
    });
    this.cache.set(key, { version: document.version, result });
    return result;
  }

  /**
   * Whether the document's data file has been read and the document re-checked with what it says
   * (the diagnostics that need the data are published by then). False for data that is never read
   * (builtin sources, large or remote files) and while a read is under way.
   */
  hasCheckedData(document: vscode.TextDocument): boolean {
    return this.facts.hasRead(document.uri);
  }

  /** The spec's `name`, else its file name without `.seqlab.yaml` (the default `name` the checker resolves). */
  nameOf(document: vscode.TextDocument): string {
    return this.resultFor(document).spec?.name ?? path.basename(document.uri.path).replace(/\.seqlab\.ya?ml$/, '');
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isSpecDocument(document)) return;
    this.pending.schedule(document.uri.toString(), () => {
      if (!document.isClosed) this.refreshNow(document);
    });
  }

  private refreshNow(document: vscode.TextDocument): void {
    if (!isSpecDocument(document)) return;
    this.resultFor(document);
    this.updateEmitter.fire(document);
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.pending.cancel(key);
    this.cache.delete(key);
    this.facts.forget(document.uri);
    this.updateEmitter.fire(document);
  }

  dispose(): void {
    this.pending.dispose();
    this.updateEmitter.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

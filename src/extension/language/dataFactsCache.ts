import * as path from 'node:path';
import * as vscode from 'vscode';
import { dataFactsKey, readDataFacts } from '../../data/facts';
import type { DataFacts } from '../../language/dataFacts';
import type { DataSpec } from '../../language/types';

/**
 * What reading each spec's data taught (DataFacts), cached per spec and data section: the
 * checker asks with the resolved data section; a section read before (same files, same size and
 * time) answers at once, a new one is read in the background (small local files only, see
 * FACTS_MAX_BYTES) and `onDidRead` asks for a re-check when it is done.
 */
export class DataFactsCache implements vscode.Disposable {
  private readonly known = new Map<string, { key: string; facts: DataFacts | undefined }>();
  private readonly reading = new Map<string, string>();
  private readonly readEmitter = new vscode.EventEmitter<vscode.Uri>();

  readonly onDidRead = this.readEmitter.event;

  /** The facts for this exact data section, or undefined (a read starts when none is cached). */
  lookup(specUri: vscode.Uri, data: DataSpec): DataFacts | undefined {
    if (specUri.scheme !== 'file') return undefined;
    const specDir = path.dirname(specUri.fsPath);
    const key = dataFactsKey(data, specDir);
    if (key === undefined) return undefined;
    const uri = specUri.toString();
    const cached = this.known.get(uri);
    if (cached?.key === key) return cached.facts;
    if (this.reading.get(uri) !== key) {
      this.reading.set(uri, key);
      void readDataFacts(data, specDir).then((facts) => {
        if (this.reading.get(uri) !== key) return; // a newer section is being read
        this.reading.delete(uri);
        this.known.set(uri, { key, facts });
        this.readEmitter.fire(specUri);
      });
    }
    return undefined;
  }

  /** Whether the spec's data has been read and no newer read is under way (its check then used the facts). */
  hasRead(specUri: vscode.Uri): boolean {
    const uri = specUri.toString();
    return this.known.has(uri) && !this.reading.has(uri);
  }

  forget(specUri: vscode.Uri): void {
    this.known.delete(specUri.toString());
    this.reading.delete(specUri.toString());
  }

  dispose(): void {
    this.readEmitter.dispose();
  }
}

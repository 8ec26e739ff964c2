import type * as vscode from 'vscode';

const KEY = 'sequenceLab.runLocations';
const MAX_ENTRIES = 200;

/**
 * Which folder each run shown in a panel lives in, kept in the workspace state: a webview's own
 * state holds only the run id, and a run may live outside the workspace (a runs folder setting).
 */
export class RunLocations {
  constructor(private readonly memento: vscode.Memento) {}

  find(runId: string): string | undefined {
    return this.entries().find(([id]) => id === runId)?.[1];
  }

  remember(runId: string, runDir: string): void {
    if (!runDir || this.find(runId) === runDir) return;
    const entries = [[runId, runDir] as [string, string], ...this.entries().filter(([id]) => id !== runId)];
    void this.memento.update(KEY, entries.slice(0, MAX_ENTRIES));
  }

  private entries(): [string, string][] {
    return this.memento.get<[string, string][]>(KEY, []);
  }
}

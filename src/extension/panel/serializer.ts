import * as path from 'node:path';
import * as vscode from 'vscode';
import { knownRunsFolders } from '../runsFolder';
import type { PanelManager } from './panelManager';

/**
 * Brings run panels back after VS Code reloads. The webview keeps its run's id and folder in its
 * own state (`setState`); the run is then read back from the run store, so a panel restored from
 * disk shows exactly what the live one showed.
 */
export class RunPanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly panels: PanelManager) {}

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const runDir = await runDirFromState(state);
    if (!runDir) {
      webviewPanel.dispose();
      return;
    }
    try {
      await this.panels.restore(webviewPanel, runDir);
    } catch {
      // The run folder was deleted or moved since: nothing left to show.
      webviewPanel.dispose();
    }
  }
}

async function runDirFromState(state: unknown): Promise<string | undefined> {
  if (typeof state !== 'object' || state === null) return undefined;
  const { runDir, runId } = state as { runDir?: unknown; runId?: unknown };
  if (typeof runDir === 'string' && path.isAbsolute(runDir)) return runDir;
  if (typeof runId !== 'string' || !/^[\w.-]+$/.test(runId)) return undefined;
  // Older state without the folder: a run's id is its folder's name in one of the runs folders.
  for (const folder of await knownRunsFolders()) {
    const candidate = path.join(folder, runId);
    try {
      await vscode.workspace.fs.stat(vscode.Uri.file(path.join(candidate, 'run.json')));
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

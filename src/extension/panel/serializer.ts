import * as path from 'node:path';
import * as vscode from 'vscode';
import { knownRunsFolders } from '../runsFolder';
import type { PanelManager } from './panelManager';
import type { RunLocations } from './runLocations';

/**
 * Brings run panels back after VS Code reloads. The webview keeps its run's id in its own state
 * (`setState`); the host remembers where each run shown lives (RunLocations) and reads it back
 * from the run store, so a restored panel shows exactly what the live one showed.
 */
export class RunPanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly panels: PanelManager) {}

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const runDir = await runDirFromState(state, this.panels.locations);
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

async function runDirFromState(state: unknown, locations: RunLocations): Promise<string | undefined> {
  if (typeof state !== 'object' || state === null) return undefined;
  const { runId } = state as { runId?: unknown };
  if (typeof runId !== 'string' || !/^[\w.-]+$/.test(runId)) return undefined;
  const remembered = locations.find(runId);
  if (remembered) return remembered;
  // Not remembered (another workspace's state): a run's id is its folder's name in a runs folder.
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

import * as vscode from 'vscode';
import type { Command } from '../commandManager';
import type { PanelManager } from '../panel/panelManager';
import { pickRuns } from './runPicker';

/** Reopens a stored run in a panel, exactly as it looked live; several picked runs are compared. */
export class OpenRunCommand implements Command {
  readonly id = 'sequenceLab.openRun';

  constructor(private readonly panels: PanelManager) {}

  async execute(runDir?: unknown): Promise<void> {
    const picked = typeof runDir === 'string' ? [runDir] : await pickRuns({ title: 'Open a Sequence Lab run (check several to compare them)' });
    if (!picked || picked.length === 0) return;
    if (picked.length > 1) {
      await vscode.commands.executeCommand('sequenceLab.compareRuns', picked);
      return;
    }
    const chosen = picked[0];
    try {
      await this.panels.showRun(chosen);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sequence Lab: cannot open this run. ${error instanceof Error ? error.message : ''}`);
    }
  }
}

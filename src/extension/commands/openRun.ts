import * as vscode from 'vscode';
import type { Command } from '../commandManager';
import type { PanelManager } from '../panel/panelManager';
import { pickRun } from './runPicker';

/** Reopens a stored run in a panel, exactly as it looked live. */
export class OpenRunCommand implements Command {
  readonly id = 'sequenceLab.openRun';

  constructor(private readonly panels: PanelManager) {}

  async execute(runDir?: unknown): Promise<void> {
    const chosen = typeof runDir === 'string' ? runDir : await pickRun({ title: 'Open a Sequence Lab run' });
    if (!chosen) return;
    try {
      await this.panels.showRun(chosen);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sequence Lab: cannot open this run. ${error instanceof Error ? error.message : ''}`);
    }
  }
}

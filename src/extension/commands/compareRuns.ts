import * as vscode from 'vscode';
import type { Command } from '../commandManager';
import { ComparePanel } from '../panel/comparePanel';
import type { HostToWebview } from '../../protocol';
import { pickRuns } from './runPicker';

/** *Compare Runs…*: pick two or more runs, see them side by side. Also what *Open Run…* does with several. */
export class CompareRunsCommand implements Command {
  readonly id = 'sequenceLab.compareRuns';

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly recordPosted?: (message: HostToWebview) => void,
  ) {}

  /** `runDirs`: the runs to compare (tests, Open Run…); asked for when absent. */
  async execute(runDirs?: unknown): Promise<void> {
    const chosen = isStrings(runDirs) ? runDirs : await pickRuns({ title: 'Compare Sequence Lab runs: pick two or more' });
    if (!chosen) return;
    if (chosen.length < 2) {
      void vscode.window.showInformationMessage('Sequence Lab: pick two or more runs to compare (Space or the check boxes select several).');
      return;
    }
    this.open(chosen);
  }

  open(runDirs: readonly string[]): void {
    try {
      new ComparePanel(this.extensionUri, runDirs, this.recordPosted);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sequence Lab: cannot compare these runs. ${error instanceof Error ? error.message : ''}`);
    }
  }
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

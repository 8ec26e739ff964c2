import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MODEL_DIR } from '../../training/runStore';
import type { Command } from '../commandManager';
import { pickRun } from './runPicker';

/**
 * Copies a run's trained model (TensorFlow.js layers format) into a folder the user chooses. The
 * run folder and the target folder may be given as arguments (other extensions, tests).
 */
export class ExportModelCommand implements Command {
  readonly id = 'sequenceLab.exportModel';

  /** Resolves with the folder written, or undefined when nothing was. */
  async execute(runDir?: unknown, targetFolder?: unknown): Promise<string | undefined> {
    const chosen =
      typeof runDir === 'string'
        ? runDir
        : await pickRun({
            title: 'Export the model of a Sequence Lab run',
            filter: (_meta, dir) => existsSync(path.join(dir, MODEL_DIR, 'model.json')),
          });
    if (!chosen) return undefined;
    const modelDir = path.join(chosen, MODEL_DIR);
    if (!existsSync(path.join(modelDir, 'model.json'))) {
      void vscode.window.showWarningMessage('Sequence Lab: this run has no saved model (it failed before the end).');
      return undefined;
    }
    const [target] =
      targetFolder instanceof vscode.Uri
        ? [targetFolder]
        : ((await vscode.window.showOpenDialog({
            canSelectFiles: false,
            canSelectFolders: true,
            canSelectMany: false,
            openLabel: 'Export Model Here',
            title: 'Folder to export the model into',
          })) ?? []);
    if (!target) return undefined;
    const destination = path.join(target.fsPath, `${path.basename(chosen)}-model`);
    if (existsSync(destination)) {
      void vscode.window.showErrorMessage(`Sequence Lab: ${destination} already exists; choose another folder or remove it.`);
      return undefined;
    }
    await fs.cp(modelDir, destination, { recursive: true });
    void vscode.window.showInformationMessage(
      `Sequence Lab: model exported to ${destination} (load it with tf.loadLayersModel on its model.json).`,
    );
    return destination;
  }
}

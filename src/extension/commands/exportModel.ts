import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportRunModel } from '../../training/exportModel';
import { locateModelFiles } from '../../training/modelFiles';
import type { Command } from '../commandManager';
import { pickRun } from './runPicker';

/**
 * Copies a run's trained model into a folder the user chooses, with what is needed to use it:
 * the preprocessing state, the spec, and a README on loading it (TensorFlow.js, Keras). The run
 * folder and the target folder may be given as arguments (other extensions, tests).
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
            filter: (_meta, dir) => hasModel(dir),
          });
    if (!chosen) return undefined;
    try {
      locateModelFiles(chosen);
    } catch (error) {
      void vscode.window.showWarningMessage(`Sequence Lab: ${(error as Error).message}`);
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
    exportRunModel(chosen, destination);
    void vscode.window.showInformationMessage(
      `Sequence Lab: model exported to ${destination} with its preprocessing state and a README (load model.json with tf.loadLayersModel; \`seqlab predict\` applies it to new input).`,
    );
    return destination;
  }
}

function hasModel(runDir: string): boolean {
  try {
    locateModelFiles(runDir);
    return true;
  } catch {
    return false;
  }
}

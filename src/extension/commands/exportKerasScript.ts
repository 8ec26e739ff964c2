import * as vscode from 'vscode';
import { exportKerasScript } from '../../interop/keras/exportScript';
import { checkSpec } from '../../language/check';
import type { Command } from '../commandManager';
import { exists, fileName, pathOf, readText, writeText } from './kerasFiles';

/**
 * Export as Keras Script: the spec (the active one, or the explorer's) as `<name>.py` beside it, a
 * standalone TensorFlow/Keras script with the same model, data preparation and training, opened
 * in an editor. A spec with errors is refused; an existing script is replaced only when confirmed.
 */
export class ExportKerasScriptCommand implements Command {
  readonly id = 'sequenceLab.exportKerasScript';

  async execute(resource?: unknown): Promise<vscode.Uri | undefined> {
    const specUri = resource instanceof vscode.Uri ? resource : activeSpec();
    if (!specUri) {
      void vscode.window.showWarningMessage('Sequence Lab: open a *.seqlab.yaml spec to export it as a Keras script.');
      return undefined;
    }
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === specUri.toString());
    const result = checkSpec(open ? open.getText() : await readText(specUri), { specPath: pathOf(specUri) });
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    if (!result.spec || !result.summary || errors > 0) {
      void vscode.window.showErrorMessage(`Sequence Lab: ${fileName(specUri)} has ${errors} error${errors === 1 ? '' : 's'}; fix them (see Problems) before exporting it.`);
      return undefined;
    }
    const target = vscode.Uri.joinPath(specUri, '..', `${result.spec.name.replace(/[\\/:*?"<>|\s]+/g, '-')}.py`);
    if ((await exists(target)) && (await vscode.window.showWarningMessage(`${fileName(target)} exists. Replace it?`, { modal: true }, 'Replace')) !== 'Replace') {
      return undefined;
    }
    await writeText(target, exportKerasScript(result.spec, result.summary, { specPath: pathOf(specUri), scriptPath: pathOf(target) }));
    await vscode.window.showTextDocument(target);
    void vscode.window.showInformationMessage(
      `Sequence Lab: wrote ${fileName(target)}: the same ${result.summary.layers.length} layers (${result.summary.totalParams.toLocaleString('en-US')} parameters), data preparation and training in TensorFlow/Keras. Run it with \`python ${fileName(target)}\`.`,
    );
    return target;
  }
}

function activeSpec(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'seqlab' ? document.uri : undefined;
}

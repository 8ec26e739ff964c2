import * as vscode from 'vscode';
import { importKerasModel, KerasImportError, type KerasImportResult } from '../../interop/keras/importModel';
import type { Command } from '../commandManager';
import { fileName, freeUri, readText, writeText } from './kerasFiles';

/**
 * Import Keras Model: a `model.to_json()` file or a `.py` file with a `Sequential([...])` literal
 * (picked, or the explorer's file) becomes `<model>.seqlab.yaml` beside it, opened in an editor;
 * what could not be carried over is listed in the Sequence Lab output with its place in the file.
 */
export class ImportKerasModelCommand implements Command {
  readonly id = 'sequenceLab.importKerasModel';

  constructor(private readonly output: vscode.OutputChannel) {}

  async execute(resource?: unknown): Promise<vscode.Uri | undefined> {
    const source = resource instanceof vscode.Uri ? resource : await pickModel();
    if (!source) return undefined;
    let result: KerasImportResult;
    try {
      result = importKerasModel(await readText(source), fileName(source));
    } catch (error) {
      if (!(error instanceof KerasImportError)) throw error;
      void vscode.window.showErrorMessage(`Sequence Lab: ${fileName(source)}, line ${error.origin.line}: ${error.message}`);
      return undefined;
    }
    const folder = vscode.Uri.joinPath(source, '..');
    const target = await freeUri(folder, fileName(source).replace(/\.(json|py)$/i, ''), '.seqlab.yaml');
    await writeText(target, result.specText);
    await vscode.window.showTextDocument(target);
    this.report(source, target, result);
    return target;
  }

  private report(source: vscode.Uri, target: vscode.Uri, result: KerasImportResult): void {
    this.output.appendLine(`Imported ${source.toString(true)} (${result.format}) into ${fileName(target)}.`);
    for (const issue of result.issues) {
      this.output.appendLine(`${fileName(source)}:${issue.origin.line}:${issue.origin.column}: ${issue.severity}: ${issue.message}`);
    }
    const notable = result.issues.filter((issue) => issue.severity !== 'info').length;
    const layers = result.summary ? `${result.summary.layers.length} layers, ${result.summary.totalParams.toLocaleString('en-US')} parameters` : 'its layers';
    const next = result.diagnostics.some((diagnostic) => diagnostic.message.includes('`source`')) ? ' Set data.source to train it.' : '';
    if (notable > 0) {
      const message = `Sequence Lab: imported ${layers} into ${fileName(target)}; ${notable} setting${notable === 1 ? '' : 's'} could not be carried over as in Keras (listed at the top of the spec).${next}`;
      void vscode.window.showWarningMessage(message, 'Show Details').then((choice) => choice && this.output.show(true));
    } else {
      void vscode.window.showInformationMessage(`Sequence Lab: imported ${layers} into ${fileName(target)}.${next}`);
    }
  }
}

async function pickModel(): Promise<vscode.Uri | undefined> {
  const [picked] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Import',
      title: 'Keras model to import: model.to_json() output, or a .py file with a Sequential model',
      filters: { 'Keras model': ['json', 'py'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    })) ?? [];
  return picked;
}

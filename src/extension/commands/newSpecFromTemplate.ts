import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { specFromDataFile } from '../../data/specFromData';
import { SUPPORTED_EXTENSIONS } from '../../data/formats';
import { BLANK_STARTER, withName } from '../../language/starterSpecs';
import { slugify } from '../../training/runStore';
import type { Command } from '../commandManager';

const SPEC_SUFFIX = '.seqlab.yaml';
const BLANK = 'blank';
const FROM_DATA = 'data';

interface TemplateItem extends vscode.QuickPickItem {
  /** BLANK, FROM_DATA, or the path of a shipped example. */
  template: string;
}

/**
 * Everything the command asks, given up front (other extensions, tests): the template (`blank`,
 * `data`, or an example's file name), the spec's `name`, where to write it, and for `data` the
 * data file.
 */
export interface NewSpecRequest {
  template: string;
  name: string;
  target: vscode.Uri;
  dataFile?: vscode.Uri;
}

/**
 * Starts a new spec: a blank starter, one inferred from the user's own CSV/text file, or one of the
 * examples. Asks for the spec's name (written into `name:`) and where to save it, never overwrites
 * without the save dialog's confirmation, and opens it.
 */
export class NewSpecFromTemplateCommand implements Command {
  readonly id = 'sequenceLab.newSpecFromTemplate';

  constructor(private readonly extensionUri: vscode.Uri) {}

  async execute(request?: unknown): Promise<vscode.Uri | undefined> {
    const given = isRequest(request) ? request : await this.ask();
    if (!given) return undefined;
    let text: string;
    try {
      text = await this.specText(given);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sequence Lab: cannot write a spec for this data. ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    await fs.mkdir(path.dirname(given.target.fsPath), { recursive: true });
    await fs.writeFile(given.target.fsPath, text);
    await vscode.window.showTextDocument(given.target);
    return given.target;
  }

  private async specText({ template, name, target, dataFile }: NewSpecRequest): Promise<string> {
    if (template === FROM_DATA) {
      if (!dataFile) throw new Error('No data file was given.');
      return (await specFromDataFile(dataFile.fsPath, { name, specDir: path.dirname(target.fsPath) })).text;
    }
    const source = template === BLANK ? BLANK_STARTER : await fs.readFile(this.examplePath(template), 'utf8');
    return withName(source, name);
  }

  private examplePath(template: string): string {
    return vscode.Uri.joinPath(this.extensionUri, 'examples', path.basename(template)).fsPath;
  }

  /** The questions, in order: which template (and data file), the name, where to save. */
  private async ask(): Promise<NewSpecRequest | undefined> {
    const picked = await vscode.window.showQuickPick(await this.templates(), {
      title: 'New Sequence Lab spec',
      placeHolder: 'Start from a blank starter, from your own data file, or from an example',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return undefined;
    let dataFile: vscode.Uri | undefined;
    if (picked.template === FROM_DATA) {
      [dataFile] =
        (await vscode.window.showOpenDialog({
          title: 'Data file to write a spec for',
          openLabel: 'Use This Data',
          canSelectMany: false,
          filters: { 'Data files': [...new Set(SUPPORTED_EXTENSIONS.map((ext) => ext.replace(/^\./, '').split('.')[0]!)), 'gz'], 'All files': ['*'] },
        })) ?? [];
      if (!dataFile) return undefined;
    }
    const suggested = dataFile ? path.basename(dataFile.fsPath).replace(/(\.[^.]+)+$/, '') : picked.template === BLANK ? 'my-model' : picked.name;
    const name = await vscode.window.showInputBox({
      title: 'Name of the new spec',
      prompt: 'Written into `name:`; runs and the panel are called by it.',
      value: suggested,
      validateInput: (value) => (value.trim() === '' ? 'Give the spec a name.' : value.length > 80 ? 'Keep the name under 80 characters.' : undefined),
    });
    if (name === undefined) return undefined;
    const folder = dataFile ? vscode.Uri.file(path.dirname(dataFile.fsPath)) : defaultFolder();
    const target = await vscode.window.showSaveDialog({
      title: 'Save the new spec',
      saveLabel: 'Create Spec',
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${slugify(name.trim())}${SPEC_SUFFIX}`) : undefined,
      // Dialogs compare only the last extension: a `seqlab.yaml` filter made the browser's dialog
      // append it again (`x.seqlab.yaml.seqlab.yaml`). `withSpecSuffix` restores the full suffix.
      filters: { 'Sequence Lab spec': ['yaml'] },
    });
    if (!target) return undefined;
    return { template: picked.template, name: name.trim(), target: withSpecSuffix(target), ...(dataFile ? { dataFile } : {}) };
  }

  private async templates(): Promise<(TemplateItem & { name: string })[]> {
    const folder = vscode.Uri.joinPath(this.extensionUri, 'examples').fsPath;
    const files = (await fs.readdir(folder)).filter((name) => name.endsWith(SPEC_SUFFIX)).sort();
    const examples = await Promise.all(
      files.map(async (file) => {
        const { title, description } = describe(await fs.readFile(path.join(folder, file), 'utf8'));
        return { label: title ?? file, description: file, detail: description, template: file, name: `my-${title ?? path.basename(file, SPEC_SUFFIX)}` };
      }),
    );
    return [
      { label: '$(new-file) Blank starter', detail: 'A small LSTM on built-in data, with pointers to make it your own', template: BLANK, name: 'my-model' },
      {
        label: '$(table) From my CSV or text file…',
        detail: 'Pick a .csv, .tsv, .jsonl or .txt file: its columns and task are inferred, the model sized from the data',
        template: FROM_DATA,
        name: 'my-model',
      },
      { label: 'Examples', kind: vscode.QuickPickItemKind.Separator, template: '', name: '' },
      ...examples,
    ];
  }
}

function isRequest(value: unknown): value is NewSpecRequest {
  const request = value as Partial<NewSpecRequest> | undefined;
  return typeof request?.template === 'string' && typeof request.name === 'string' && request.target instanceof vscode.Uri;
}

/** The active spec's folder, else the first workspace folder. */
function defaultFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && active.fsPath.endsWith(SPEC_SUFFIX)) return vscode.Uri.file(path.dirname(active.fsPath));
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** `foo` or `foo.yaml` typed in the save dialog still becomes a spec file. */
function withSpecSuffix(target: vscode.Uri): vscode.Uri {
  if (target.path.endsWith(SPEC_SUFFIX) || target.path.endsWith('.seqlab.yml')) return target;
  return target.with({ path: `${target.path.replace(/\.ya?ml$/, '')}${SPEC_SUFFIX}` });
}

/** The example's own `name` and `description`, if its YAML has them. */
function describe(text: string): { title?: string; description?: string } {
  try {
    const parsed: unknown = parse(text);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { name, description } = parsed as { name?: unknown; description?: unknown };
    return {
      ...(typeof name === 'string' ? { title: name } : {}),
      ...(typeof description === 'string' ? { description: description.trim().split('\n')[0] } : {}),
    };
  } catch {
    return {};
  }
}

import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { Command } from '../commandManager';

const SPEC_SUFFIX = '.seqlab.yaml';

interface TemplateItem extends vscode.QuickPickItem {
  file: string;
}

/**
 * Starts a new spec from one of the examples shipped with the extension: written into the
 * workspace (never overwriting a file) or, without a folder open, into an untitled editor.
 */
export class NewSpecFromTemplateCommand implements Command {
  readonly id = 'sequenceLab.newSpecFromTemplate';

  constructor(private readonly extensionUri: vscode.Uri) {}

  async execute(): Promise<void> {
    const templates = await this.templates();
    const picked = await vscode.window.showQuickPick(templates, {
      title: 'New Sequence Lab spec from a template',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return;
    const text = await fs.readFile(picked.file, 'utf8');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder || folder.scheme !== 'file') {
      const document = await vscode.workspace.openTextDocument({ language: 'seqlab', content: text });
      await vscode.window.showTextDocument(document);
      return;
    }
    const target = freeName(folder.fsPath, path.basename(picked.file, SPEC_SUFFIX));
    await fs.writeFile(target, text, { flag: 'wx' });
    await vscode.window.showTextDocument(vscode.Uri.file(target));
  }

  private async templates(): Promise<TemplateItem[]> {
    const folder = vscode.Uri.joinPath(this.extensionUri, 'examples').fsPath;
    const files = (await fs.readdir(folder)).filter((name) => name.endsWith(SPEC_SUFFIX)).sort();
    return Promise.all(
      files.map(async (name) => {
        const file = path.join(folder, name);
        const { title, description } = describe(await fs.readFile(file, 'utf8'));
        return { label: title ?? name, description: name, detail: description, file };
      }),
    );
  }
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

/** `<folder>/<base>.seqlab.yaml`, or `<base>-2.seqlab.yaml`, ... when taken. */
function freeName(folder: string, base: string): string {
  for (let attempt = 1; ; attempt++) {
    const candidate = path.join(folder, `${attempt === 1 ? base : `${base}-${attempt}`}${SPEC_SUFFIX}`);
    if (!existsSync(candidate)) return candidate;
  }
}

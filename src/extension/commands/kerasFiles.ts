/**
 * File helpers of the Keras commands, through `vscode.workspace.fs` and `vscode.Uri` rather than
 * node's fs and paths: in a remote window (SSH, containers, Codespaces) the files may live where
 * the extension host does not, and only the workspace file system reaches them.
 */
import * as vscode from 'vscode';

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `<folder>/<base><suffix>`, or `<base>-2<suffix>`, ... when taken: an import never overwrites. */
export async function freeUri(folder: vscode.Uri, base: string, suffix: string): Promise<vscode.Uri> {
  for (let attempt = 1; ; attempt++) {
    const candidate = vscode.Uri.joinPath(folder, `${attempt === 1 ? base : `${base}-${attempt}`}${suffix}`);
    if (!(await exists(candidate))) return candidate;
  }
}

/** A path the core's path arithmetic understands: the file system path for `file:`, the URI path otherwise. */
export function pathOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.path;
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

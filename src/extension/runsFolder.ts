import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from './settings';

/**
 * Where the runs of a spec are kept: the `sequenceLab.runsFolder` setting (relative paths resolve
 * against the spec's workspace folder), else `.seqlab/runs` beside the spec, the worker's default.
 */
export function runsFolderFor(specUri: vscode.Uri): string {
  return configuredRunsFolder(specUri) ?? path.join(path.dirname(specUri.fsPath), '.seqlab', 'runs');
}

/** The runs folder the setting names for this resource, or undefined when it is left empty. */
export function configuredRunsFolder(scope: vscode.Uri): string | undefined {
  const configured = readSettings(scope).runsFolder;
  if (!configured) return undefined;
  if (path.isAbsolute(configured)) return configured;
  const base = vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath ?? path.dirname(scope.fsPath);
  return path.join(base, configured);
}

/** Every runs folder the user may have: the active spec's, the configured ones, each `.seqlab/runs` found. */
export async function knownRunsFolders(activeSpec?: vscode.Uri): Promise<string[]> {
  const folders = new Set<string>();
  if (activeSpec) folders.add(runsFolderFor(activeSpec));
  for (const workspaceFolder of vscode.workspace.workspaceFolders ?? []) {
    const configured = configuredRunsFolder(workspaceFolder.uri);
    if (configured) folders.add(configured);
  }
  const metas = await vscode.workspace.findFiles('**/.seqlab/runs/*/run.json', '**/node_modules/**', 500);
  for (const meta of metas) folders.add(path.dirname(path.dirname(meta.fsPath)));
  return [...folders];
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatValue } from '../training/progress';
import { listRuns, type RunMeta } from '../../training/runStore';
import { knownRunsFolders } from '../runsFolder';
import { specUriOf } from '../specDocument';

interface RunItem extends vscode.QuickPickItem {
  runDir: string;
}

const STATUS_ICON: Record<RunMeta['status'], string> = {
  running: '$(sync)',
  completed: '$(pass)',
  stopped: '$(debug-stop)',
  failed: '$(error)',
};

interface PickOptions {
  title: string;
  filter?: (meta: RunMeta, runDir: string) => boolean;
}

/** Lets the user pick one run among every runs folder of the workspace, newest first. */
export async function pickRun(options: PickOptions): Promise<string | undefined> {
  const items = await runItems(options);
  if (!items) return undefined;
  const picked = await vscode.window.showQuickPick(items, { title: options.title, matchOnDescription: true, matchOnDetail: true });
  return picked?.runDir;
}

/**
 * Lets the user pick one or more runs: check several (Space or the check boxes) and press Enter, or
 * press Enter on one. Undefined when the picker is dismissed.
 */
export async function pickRuns(options: PickOptions): Promise<string[] | undefined> {
  const items = await runItems(options);
  if (!items) return undefined;
  const picker = vscode.window.createQuickPick<RunItem>();
  Object.assign(picker, { title: options.title, items, canSelectMany: true, matchOnDescription: true, matchOnDetail: true });
  picker.placeholder = 'Enter opens the focused run; check several (Space) to compare them';
  return new Promise((resolve) => {
    let chosen: string[] | undefined;
    picker.onDidAccept(() => {
      const picked = picker.selectedItems.length > 0 ? picker.selectedItems : picker.activeItems;
      chosen = picked.map((item) => item.runDir);
      picker.hide();
    });
    picker.onDidHide(() => {
      picker.dispose();
      resolve(chosen);
    });
    picker.show();
  });
}

/** Every run of the workspace's runs folders as a pick item, newest first; undefined (and a message) when there is none. */
async function runItems(options: PickOptions): Promise<RunItem[] | undefined> {
  const items: (RunItem & { startedAt: string })[] = [];
  for (const folder of await knownRunsFolders(specUriOf(undefined))) {
    for (const meta of listRuns(folder)) {
      const runDir = path.join(folder, meta.id);
      if (options.filter && !options.filter(meta, runDir)) continue;
      items.push({
        label: `${STATUS_ICON[meta.status]} ${meta.name}`,
        description: `${meta.quick ? 'preview · ' : ''}${meta.status} · ${new Date(meta.startedAt).toLocaleString()} · ${meta.backend}`,
        detail: describeFinalMetrics(meta) || vscode.workspace.asRelativePath(runDir),
        runDir,
        startedAt: meta.startedAt,
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Sequence Lab: no runs found in this workspace. Train a spec first.');
    return undefined;
  }
  return items.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

function describeFinalMetrics(meta: RunMeta): string {
  if (meta.error) return meta.error.message.split('\n')[0] ?? '';
  return Object.entries(meta.finalMetrics ?? {})
    .map(([key, value]) => `${key} ${formatValue(value)}`)
    .join(' · ');
}

import * as vscode from 'vscode';
import { compareRuns } from '../../compare/compareRuns';
import { isWebviewToHost, type CompareView, type HostToWebview } from '../../protocol';
import { renderPanelHtml } from './html';

export const COMPARE_PANEL_VIEW_TYPE = 'sequenceLab.comparePanel';

/**
 * A panel comparing two or more stored runs (issue 8 §5). The comparison is read from the run
 * folders when the panel opens (a live run shows what it has logged so far); the webview draws it
 * with the same code as `seqlab compare`'s report. Not restored after a reload: compare again.
 */
export class ComparePanel implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly panel: vscode.WebviewPanel;

  /** Opens the panel; throws when a folder is not a readable run. */
  constructor(
    extensionUri: vscode.Uri,
    runDirs: readonly string[],
    /** Test hook: sees every message posted (see testHooks.ts). */
    recordPosted?: (message: HostToWebview) => void,
  ) {
    const { view, problems } = compareRuns(runDirs);
    if (problems.length > 0) void vscode.window.showWarningMessage(`Sequence Lab: parts of these runs could not be read and are left out: ${problems.join(' ')}`);
    this.panel = vscode.window.createWebviewPanel(COMPARE_PANEL_VIEW_TYPE, titleOf(view), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    this.panel.webview.html = renderPanelHtml(this.panel.webview, extensionUri, titleOf(view));
    this.subscriptions.push(
      this.panel.webview.onDidReceiveMessage((message: unknown) => {
        // The page asks once it can draw; the comparison is its whole content.
        if (!isWebviewToHost(message) || message.type !== 'ready') return;
        const compare: HostToWebview = { type: 'compare', view };
        recordPosted?.(compare);
        void this.panel.webview.postMessage(compare);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions.splice(0)).dispose();
    this.panel.dispose();
  }
}

function titleOf(view: CompareView): string {
  const names = [...new Set(view.runs.map((run) => run.meta.name))];
  return `Compare: ${names.length === 1 ? `${view.runs.length} runs of ${names[0]}` : names.join(' · ')}`;
}

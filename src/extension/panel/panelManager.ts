import * as vscode from 'vscode';
import type { HostToWebview } from '../../protocol';
import type { SpecAnalysis } from '../language/specAnalysis';
import type { JobManager, SpecJob } from '../training/jobManager';
import type { RunLocations } from './runLocations';
import { RUN_PANEL_VIEW_TYPE, RunPanel } from './runPanel';

/**
 * Owns the run panels: one per spec for live jobs (a new Train of the same spec reuses it), one
 * per run folder for runs opened from disk.
 *
 * Closing a panel never stops its job: a full Train goes on (status bar, CodeLens and Stop stay
 * available, Open Panel brings it back with everything so far) and so does a bounded preview.
 * Jobs end by Stop, by finishing, or with the extension, which stops them all.
 */
export class PanelManager implements vscode.Disposable {
  private readonly panels = new Set<RunPanel>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly jobs: JobManager,
    private readonly analysis: SpecAnalysis,
    readonly locations: RunLocations,
    /** Test hook: sees every message posted to any panel (see testHooks.ts). */
    private readonly recordPosted?: (message: HostToWebview) => void,
  ) {
    this.subscriptions = [
      // An open panel follows its spec's newest job, previews included, without taking focus.
      jobs.onDidStartJob((job) => this.panelOfSpec(job.specUri)?.showJob(job)),
      // A panel showing an untrained spec follows its edits (summary, errors).
      analysis.onDidUpdate((document) => {
        const panel = this.panelOfSpec(document.uri);
        if (panel?.untrained && !document.isClosed) this.fillUntrained(panel, document);
      }),
    ];
  }

  private panelOfSpec(specUri: vscode.Uri): RunPanel | undefined {
    return [...this.panels].find((panel) => panel.specUri?.toString() === specUri.toString());
  }

  showJob(job: SpecJob, options: { preserveFocus: boolean }): RunPanel {
    const panel = this.panelOfSpec(job.specUri) ?? this.create();
    panel.showJob(job);
    panel.reveal(options.preserveFocus);
    return panel;
  }

  /** Shows a spec that has no run yet (its summary, and Train) in its panel, or a new one. */
  showUntrained(document: vscode.TextDocument): RunPanel {
    const panel = this.panelOfSpec(document.uri) ?? this.create();
    this.fillUntrained(panel, document);
    panel.reveal(false);
    return panel;
  }

  private fillUntrained(panel: RunPanel, document: vscode.TextDocument): void {
    const result = this.analysis.resultFor(document);
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    const description = result.spec?.description;
    panel.showUntrained(document.uri, this.analysis.nameOf(document), {
      errors,
      ...(result.summary ? { summary: result.summary } : {}),
      ...(description ? { description } : {}),
    });
  }

  async showRun(runDir: string): Promise<RunPanel> {
    const existing = [...this.panels].find((panel) => panel.runDir === runDir);
    if (existing) {
      existing.reveal(false);
      return existing;
    }
    const panel = this.create();
    try {
      await panel.showStoredRun(runDir);
    } catch (error) {
      panel.dispose();
      throw error;
    }
    panel.reveal(false);
    return panel;
  }

  /** Adopts a panel VS Code restores after a reload (see serializer.ts). */
  async restore(webviewPanel: vscode.WebviewPanel, runDir: string): Promise<void> {
    const panel = this.adopt(webviewPanel);
    await panel.showStoredRun(runDir);
  }

  private create(): RunPanel {
    const webviewPanel = vscode.window.createWebviewPanel(
      RUN_PANEL_VIEW_TYPE,
      'Sequence Lab',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableFindWidget: true },
    );
    return this.adopt(webviewPanel);
  }

  private adopt(webviewPanel: vscode.WebviewPanel): RunPanel {
    const panel = new RunPanel(webviewPanel, this.extensionUri, this.jobs, this.locations, this.recordPosted);
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
    return panel;
  }

  /** The extension is shutting down: panels stay open, to be restored by the serializer. */
  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    for (const panel of this.panels) panel.release();
    this.panels.clear();
  }
}

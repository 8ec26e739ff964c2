import * as vscode from 'vscode';
import type { HostToWebview } from '../protocol';
import { isSpecDocument } from './language/convert';
import type { SpecAnalysis } from './language/specAnalysis';
import type { JobManager } from './training/jobManager';

/** What `sequenceLab._test.state` returns to the extension-host test suite. */
export interface TestState {
  jobs: { specPath: string; kind: string; pid: number | undefined; runId: string; runDir: string; status: string; batches: number }[];
  /** Every message posted to any run panel since activation, in order. */
  panelMessages: HostToWebview[];
  /** Every job started since activation (`jobs` keeps only each spec's latest), in order. */
  startedJobs: { specPath: string; kind: string; automatic: boolean }[];
  /** Paths of the open specs checked with what their data file says (diagnostics that need it are out). */
  dataChecked: string[];
}

/**
 * Test-only window into the extension, registered only when VS Code runs the extension's tests
 * (ExtensionMode.Test): what jobs run with which pid, and what the panels were sent (a webview's
 * content cannot be read from the extension host).
 */
export class TestHooks implements vscode.Disposable {
  private readonly panelMessages: HostToWebview[] = [];
  private readonly startedJobs: TestState['startedJobs'] = [];
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly jobs: JobManager,
    private readonly analysis: SpecAnalysis,
  ) {
    this.registrations = [
      vscode.commands.registerCommand('sequenceLab._test.state', (): TestState => this.state()),
      jobs.onDidStartJob((job) => this.startedJobs.push({ specPath: job.specUri.fsPath, kind: job.kind, automatic: job.automatic })),
    ];
  }

  readonly recordPanelMessage = (message: HostToWebview): void => {
    this.panelMessages.push(message);
  };

  private state(): TestState {
    return {
      jobs: this.jobs.allJobs().map((job) => ({
        specPath: job.specUri.fsPath,
        kind: job.kind,
        pid: job.pid,
        runId: job.runId,
        runDir: job.runDir,
        status: job.progress.status,
        batches: job.progress.steps,
      })),
      panelMessages: [...this.panelMessages],
      startedJobs: [...this.startedJobs],
      dataChecked: vscode.workspace.textDocuments.filter((document) => isSpecDocument(document) && this.analysis.hasCheckedData(document)).map((document) => document.uri.fsPath),
    };
  }

  dispose(): void {
    vscode.Disposable.from(...this.registrations).dispose();
  }
}

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isWebviewToHost, type GenerationReply, type GenerationSettings, type HostToWebview, type RunEvent, type RunView, type UntrainedSpec, type WebviewToHost } from '../../protocol';
import { GenerationClient } from '../../tasks/generationClient';
import { readRun } from '../../training/runStore';
import type { JobManager, SpecJob } from '../training/jobManager';
import { BatchEventBuffer } from './batchEvents';
import { renderPanelHtml } from './html';
import type { RunLocations } from './runLocations';

export const RUN_PANEL_VIEW_TYPE = 'sequenceLab.runPanel';

/** What a panel shows: a job of this session (live), a run read back from its folder, or a spec never trained. */
type PanelSource =
  | { kind: 'job'; job: SpecJob }
  | { kind: 'stored'; view: RunView; name: string }
  | { kind: 'untrained'; specUri: vscode.Uri; name: string; spec: UntrainedSpec };

/**
 * One webview panel showing one run. The webview holds no authority: it renders what the host
 * sends (`reset` with the whole run whenever it says `ready`, then events one by one) and asks
 * for actions (stop, export, open) that the host validates and performs.
 */
export class RunPanel implements vscode.Disposable {
  private source: PanelSource | undefined;
  private webviewReady = false;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Runs the generation box on the saved model; its process starts with the first request. */
  private generation: GenerationClient | undefined;
  /** Batch events of the live job, sent a few per message. */
  private readonly batches = new BatchEventBuffer((message) => this.send(message));
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly jobs: JobManager,
    private readonly locations: RunLocations,
    private readonly recordPosted?: (message: HostToWebview) => void,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.webview.html = renderPanelHtml(panel.webview, extensionUri, 'Sequence Lab');
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.handleMessage(message)),
      jobs.onDidReceiveEvent(({ job, event }) => this.forward(job, event)),
      vscode.window.onDidChangeActiveColorTheme(() => this.postTheme()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The spec whose live job (or whose untrained state) this panel follows, if it follows one. */
  get specUri(): vscode.Uri | undefined {
    if (this.source?.kind === 'job') return this.source.job.specUri;
    return this.source?.kind === 'untrained' ? this.source.specUri : undefined;
  }

  get runDir(): string | undefined {
    switch (this.source?.kind) {
      case 'job':
        return this.source.job.runDir;
      case 'stored':
        return this.source.view.runDir;
      default:
        return undefined;
    }
  }

  /** Whether the panel shows a spec that has no run yet. */
  get untrained(): boolean {
    return this.source?.kind === 'untrained';
  }

  showJob(job: SpecJob): void {
    this.source = { kind: 'job', job };
    this.panel.title = titleFor(job.name, job.kind === 'preview' ? 'preview' : undefined);
    this.postReset();
  }

  /** Shows a spec that has never been trained: its model summary, and Train / Quick Preview. */
  showUntrained(specUri: vscode.Uri, name: string, spec: UntrainedSpec): void {
    this.source = { kind: 'untrained', specUri, name, spec };
    this.panel.title = titleFor(name, 'not trained');
    this.postReset();
  }

  /** Shows a run from disk; throws when its folder is not a readable run. */
  async showStoredRun(runDir: string): Promise<void> {
    const live = this.jobs.allJobs().find((job) => job.runDir === runDir);
    if (live) {
      this.showJob(live);
      return;
    }
    const { meta, view, problems } = readRun(runDir);
    if (problems.length > 0) {
      void vscode.window.showWarningMessage(`Sequence Lab: parts of run ${meta.id} could not be read and are left out: ${problems.join(' ')}`);
    }
    this.source = { kind: 'stored', view, name: meta.name };
    this.panel.title = titleFor(meta.name, meta.status);
    this.postReset();
  }

  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  private currentView(): RunView | undefined {
    switch (this.source?.kind) {
      case undefined:
        return undefined;
      case 'stored':
        return { ...this.source.view, name: this.source.name };
      case 'untrained':
        return { runId: '', runDir: '', name: this.source.name, untrained: this.source.spec, events: [] };
      case 'job': {
        const { job } = this.source;
        return { runId: job.runId, runDir: job.runDir, name: job.name, events: [...job.events] };
      }
    }
  }

  private forward(job: SpecJob, event: RunEvent): void {
    if (this.source?.kind !== 'job' || this.source.job !== job) return;
    if (event.type === 'run') {
      // The run's real id is known from here on: start the webview over under it.
      this.panel.title = titleFor(job.name, job.kind === 'preview' ? 'preview' : undefined);
      this.postReset();
    } else if (event.type === 'batch') {
      this.batches.add(job.runId, event);
    } else {
      this.post({ type: 'event', runId: job.runId, event });
    }
  }

  private postReset(): void {
    const view = this.currentView();
    if (!view) return;
    this.locations.remember(view.runId, view.runDir);
    // The reset carries every event so far, the held batches included.
    this.batches.drop();
    this.post({ type: 'reset', view });
  }

  private postTheme(): void {
    this.post({ type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) });
  }

  /** Sends `message` after the batch events held before it, so the panel sees events in order. */
  private post(message: HostToWebview): void {
    this.batches.flush();
    this.send(message);
  }

  /** Messages wait for the webview's `ready`, which is answered with the whole run anyway. */
  private send(message: HostToWebview): void {
    if (!this.webviewReady) return;
    this.recordPosted?.(message);
    void this.panel.webview.postMessage(message);
  }

  private async handleMessage(message: unknown): Promise<void> {
    if (!isWebviewToHost(message)) return;
    try {
      await this.perform(message);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sequence Lab: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async perform(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.postTheme();
        this.postReset();
        return;
      case 'stop':
        this.jobs.findByRunId(message.runId)?.stop();
        return;
      case 'train':
        // Only the spec this panel shows; the job that starts then takes over this panel.
        if (this.source?.kind === 'untrained') {
          await vscode.commands.executeCommand(message.kind === 'train' ? 'sequenceLab.train' : 'sequenceLab.quickPreview', this.source.specUri);
        }
        return;
      case 'exportCsv':
        await this.exportCsv(message.runId, message.csv);
        return;
      case 'openRun':
        await vscode.commands.executeCommand('sequenceLab.openRun');
        return;
      case 'generate':
        this.generate(message.runId, message.requestId, message.settings);
        return;
      case 'probe':
        await this.probe(message.runId, message.requestId, message.text);
        return;
    }
  }

  /**
   * The probe box: a training job answers with its latest epoch's weights (the inspection arrives as
   * one of its events); any other run, from its saved model through the probe process.
   */
  private async probe(runId: string, requestId: string, text: string): Promise<void> {
    const view = this.currentView();
    if (!view || view.runId !== runId || !view.runDir) return;
    try {
      if (this.source?.kind === 'job' && this.source.job.running) {
        await this.source.job.probe(requestId, text);
        return;
      }
      const event = await this.jobs.probeSavedModel(view.runDir, requestId, text);
      if (this.source?.kind === 'stored' && this.source.view.runDir === view.runDir) this.source.view.events.push(event);
      if (this.currentView()?.runId === runId) this.post({ type: 'event', runId, event });
    } catch (error) {
      this.post({ type: 'probeFailed', runId, requestId, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The generation box: the saved model of the run shown, in the generation process. */
  private generate(runId: string, requestId: string, settings: GenerationSettings): void {
    const view = this.currentView();
    if (!view || view.runId !== runId || !view.runDir) return;
    if (this.source?.kind === 'job' && this.source.job.running) {
      const message = 'The generation box uses the saved model, which exists once training ends: the sample under "Generated text" shows each epoch\'s progress meanwhile.';
      this.post({ type: 'generationFailed', runId, requestId, message });
      return;
    }
    this.generation ??= new GenerationClient((reply) => this.forwardGeneration(reply));
    this.generation.generate({ type: 'generate', runDir: view.runDir, requestId, settings });
  }

  /** Replies reach the panel while it still shows the run they are for. */
  private forwardGeneration(reply: GenerationReply): void {
    const view = this.currentView();
    if (!view || view.runDir !== reply.runDir) return;
    const { runId } = view;
    if (reply.type === 'generationFailed') this.post({ type: 'generationFailed', runId, requestId: reply.requestId, message: reply.message });
    else this.post({ type: 'event', runId, event: reply.event });
  }

  private async exportCsv(runId: string, csv: string): Promise<void> {
    const folder = this.runDir || vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const defaultUri = folder ? vscode.Uri.file(path.join(folder, `${runId}-metrics.csv`)) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { CSV: ['csv'] }, saveLabel: 'Export Metrics' });
    if (!target) return;
    await fs.writeFile(target.fsPath, csv, 'utf8');
    void vscode.window.showInformationMessage(`Sequence Lab: metrics exported to ${vscode.workspace.asRelativePath(target)}.`);
  }

  /** Closes the panel. */
  dispose(): void {
    if (this.disposed) return;
    this.release();
    this.panel.dispose();
  }

  /**
   * Lets go of the panel without closing it, for when the extension shuts down: VS Code then keeps
   * the panel with its webview state, and the serializer restores it after a reload. (Disposing
   * it here would close it and lose that state.)
   */
  release(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.generation?.dispose();
    this.batches.drop();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

function titleFor(name: string, note?: string): string {
  return note ? `Sequence Lab: ${name} (${note})` : `Sequence Lab: ${name}`;
}

function themeKind(kind: vscode.ColorThemeKind): 'light' | 'dark' | 'high-contrast' {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast';
    default:
      return 'dark';
  }
}

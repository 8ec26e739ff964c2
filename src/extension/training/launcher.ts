import * as vscode from 'vscode';
import { configuredRunsFolder } from '../runsFolder';
import { readSettings } from '../settings';
import type { SpecAnalysis } from '../language/specAnalysis';
import type { JobKind, JobManager, SpecJob } from './jobManager';

export interface LaunchOptions {
  /** Started by a save rather than by the user: refusals stay silent, results show inline only. */
  automatic?: boolean;
}

/**
 * Everything that must hold before a spec trains (trusted workspace, saved file, no errors, no
 * job already running for it), then the job itself with the user's settings.
 */
export class TrainingLauncher {
  constructor(
    private readonly jobs: JobManager,
    private readonly analysis: SpecAnalysis,
  ) {}

  launch(document: vscode.TextDocument, kind: JobKind, options: LaunchOptions = {}): SpecJob | undefined {
    const refusal = this.refusal(document);
    if (refusal) {
      if (!options.automatic) void refusal();
      return undefined;
    }
    const settings = readSettings(document.uri);
    const name = this.analysis.nameOf(document);
    const trainedSpec = JSON.stringify(this.analysis.resultFor(document).spec);
    let job: SpecJob | undefined;
    try {
      job = this.jobs.start(
        document.uri,
        kind,
        {
          // The editor's text, saved or not, is what the user expects to train.
          specText: document.getText(),
          quick: kind === 'preview',
          ...(kind === 'preview' ? { epochs: settings.previewEpochs, previewExamples: settings.previewExamples } : {}),
          runsDir: configuredRunsFolder(document.uri),
          backend: settings.backend,
          maxProbes: settings.maxProbes,
          threads: settings.threads,
        },
        { name, automatic: options.automatic ?? false, trainedSpec },
      );
    } catch (error) {
      // The worker could not be forked (e.g. an incomplete installation): say so, not a stack.
      void vscode.window.showErrorMessage(`Sequence Lab could not start training. ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (!job && !options.automatic) void this.explainAlreadyRunning(document.uri);
    return job;
  }

  /** Why the spec cannot train now, as a function that tells the user; undefined when it can. */
  private refusal(document: vscode.TextDocument): (() => Promise<void>) | undefined {
    if (!vscode.workspace.isTrusted) return explainRestrictedMode;
    if (document.uri.scheme !== 'file') {
      return async () => {
        await vscode.window.showWarningMessage(
          'Sequence Lab: save the spec as a *.seqlab.yaml file first: data paths and runs are kept beside it.',
        );
      };
    }
    const errors = this.analysis.resultFor(document).diagnostics.filter((d) => d.severity === 'error').length;
    if (errors > 0) {
      return async () => {
        const choice = await vscode.window.showErrorMessage(
          `Sequence Lab: the spec has ${errors} error${errors === 1 ? '' : 's'}; fix ${errors === 1 ? 'it' : 'them'} before training.`,
          'Show Problems',
        );
        if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
      };
    }
    return undefined;
  }

  private async explainAlreadyRunning(specUri: vscode.Uri): Promise<void> {
    const choice = await vscode.window.showInformationMessage(
      'Sequence Lab: this spec is already training; stop that run first.',
      'Stop',
      'Open Panel',
    );
    if (choice === 'Stop') await vscode.commands.executeCommand('sequenceLab.stop', specUri);
    if (choice === 'Open Panel') await vscode.commands.executeCommand('sequenceLab.openPanel', specUri);
  }
}

async function explainRestrictedMode(): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    'Sequence Lab does not train in a restricted workspace: training runs a separate process on the workspace\'s data. ' +
      'Checking, completion and summaries keep working. Trust the workspace to train.',
    'Manage Workspace Trust',
  );
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}

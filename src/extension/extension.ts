import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandManager } from './commandManager';
import { CompareRunsCommand } from './commands/compareRuns';
import { ExportKerasScriptCommand } from './commands/exportKerasScript';
import { ExportModelCommand } from './commands/exportModel';
import { ImportKerasModelCommand } from './commands/importKerasModel';
import { NewSpecFromTemplateCommand } from './commands/newSpecFromTemplate';
import { OpenPanelCommand } from './commands/openPanel';
import { OpenRunCommand } from './commands/openRun';
import { QuickPreviewCommand } from './commands/quickPreview';
import { RerunCommand } from './commands/rerun';
import { ShowModelSummaryCommand } from './commands/showModelSummary';
import { StopCommand } from './commands/stop';
import { TrainCommand } from './commands/train';
import { TrainingContextKeys } from './contextKeys';
import { SpecCodeActionProvider } from './language/codeActions';
import { SpecCodeLensProvider } from './language/codeLens';
import { SpecCompletionProvider } from './language/completion';
import { SPEC_SELECTOR } from './language/convert';
import { SpecDecorations } from './language/decorations';
import { SpecDiagnostics } from './language/diagnostics';
import { SpecHoverProvider } from './language/hover';
import { RunResultHoverProvider } from './language/runResultHover';
import { SpecAnalysis } from './language/specAnalysis';
import { PanelManager } from './panel/panelManager';
import { RunLocations } from './panel/runLocations';
import { RUN_PANEL_VIEW_TYPE } from './panel/runPanel';
import { RunPanelSerializer } from './panel/serializer';
import { TestHooks } from './testHooks';
import { AutoPreview } from './training/autoPreview';
import { JobManager } from './training/jobManager';
import { TrainingLauncher } from './training/launcher';
import { JobNotifications } from './training/notifications';
import { TrainingStatusBar } from './training/statusBar';

let jobs: JobManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  jobs = new JobManager(path.join(context.extensionPath, 'dist', 'worker.js'));
  const analysis = new SpecAnalysis();
  const testHooks = context.extensionMode === vscode.ExtensionMode.Test ? new TestHooks(jobs, analysis) : undefined;
  const panels = new PanelManager(context.extensionUri, jobs, analysis, new RunLocations(context.workspaceState), testHooks?.recordPanelMessage);
  const launcher = new TrainingLauncher(jobs, analysis);
  const output = vscode.window.createOutputChannel('Sequence Lab');

  const commands = new CommandManager();
  commands.register(new TrainCommand(launcher, panels));
  commands.register(new QuickPreviewCommand(launcher));
  commands.register(new StopCommand(jobs));
  commands.register(new OpenPanelCommand(jobs, panels, analysis));
  commands.register(new ShowModelSummaryCommand(analysis, output));
  commands.register(new OpenRunCommand(panels));
  commands.register(new CompareRunsCommand(context.extensionUri, testHooks?.recordPanelMessage));
  commands.register(new NewSpecFromTemplateCommand(context.extensionUri));
  commands.register(new ExportModelCommand());
  commands.register(new RerunCommand(jobs, panels, output));
  commands.register(new ImportKerasModelCommand(output));
  commands.register(new ExportKerasScriptCommand());

  const codeLens = new SpecCodeLensProvider(jobs);
  context.subscriptions.push(
    jobs,
    analysis,
    panels,
    output,
    commands,
    codeLens,
    new SpecDiagnostics(analysis),
    new SpecDecorations(analysis, jobs),
    new TrainingStatusBar(jobs),
    new TrainingContextKeys(jobs),
    new JobNotifications(jobs),
    new AutoPreview(jobs, launcher, analysis),
    vscode.languages.registerCompletionItemProvider(
      SPEC_SELECTOR,
      new SpecCompletionProvider(),
      ...SpecCompletionProvider.triggerCharacters,
    ),
    vscode.languages.registerHoverProvider(SPEC_SELECTOR, new SpecHoverProvider()),
    vscode.languages.registerHoverProvider(SPEC_SELECTOR, new RunResultHoverProvider(jobs, analysis)),
    vscode.languages.registerCodeActionsProvider(SPEC_SELECTOR, new SpecCodeActionProvider(analysis), SpecCodeActionProvider.metadata),
    vscode.languages.registerCodeLensProvider(SPEC_SELECTOR, codeLens),
    vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, new RunPanelSerializer(panels)),
    ...(testHooks ? [testHooks] : []),
  );
  analysis.checkOpenDocuments();
}

/** No training process may outlive the extension: stop them all, and wait until they are gone. */
export async function deactivate(): Promise<void> {
  await jobs?.stopAll();
  jobs = undefined;
}

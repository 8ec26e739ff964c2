import * as vscode from 'vscode';
import type { JobManager } from '../training/jobManager';
import { inlineHover, isOutOfDate } from '../training/inlineResult';
import { topLevelKeyLine } from './sections';
import type { SpecAnalysis } from './specAnalysis';

const KEY = 'train';

/**
 * On the `train` key, the same words as the hover of the run result shown after it (which run,
 * when, out of date or not, what the trend arrow compares), next to the key's own documentation.
 */
export class RunResultHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly jobs: JobManager,
    private readonly analysis: SpecAnalysis,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = topLevelKeyLine(document.getText(), KEY);
    if (line !== position.line || position.character > KEY.length) return undefined;
    const job = this.jobs.latestJob(document.uri);
    if (!job) return undefined;
    const outOfDate = isOutOfDate(job, this.analysis.resultFor(document).spec);
    return new vscode.Hover(new vscode.MarkdownString(inlineHover(job, outOfDate)), new vscode.Range(line, 0, line, KEY.length));
  }
}

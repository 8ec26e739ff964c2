import type { Command } from '../commandManager';
import type { PanelManager } from '../panel/panelManager';
import { resolveSpecDocument } from '../specDocument';
import type { TrainingLauncher } from '../training/launcher';

/**
 * Trains the spec in full and opens its panel beside the editor. Progress shows in the panel's
 * header and the status bar (click to stop), not in a notification that would cover the panel.
 */
export class TrainCommand implements Command {
  readonly id = 'sequenceLab.train';

  constructor(
    private readonly launcher: TrainingLauncher,
    private readonly panels: PanelManager,
  ) {}

  async execute(specUri?: unknown): Promise<void> {
    const document = await resolveSpecDocument(specUri);
    if (!document) return;
    const job = this.launcher.launch(document, 'train');
    if (job) this.panels.showJob(job, { preserveFocus: true });
  }
}

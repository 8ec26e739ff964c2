import type { Command } from '../commandManager';
import { resolveSpecDocument } from '../specDocument';
import type { TrainingLauncher } from '../training/launcher';

/** A bounded run on a slice of the data; its progress and result show in the editor itself. */
export class QuickPreviewCommand implements Command {
  readonly id = 'sequenceLab.quickPreview';

  constructor(private readonly launcher: TrainingLauncher) {}

  async execute(specUri?: unknown): Promise<void> {
    const document = await resolveSpecDocument(specUri);
    if (document) this.launcher.launch(document, 'preview');
  }
}

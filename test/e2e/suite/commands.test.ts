import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension } from './helpers';

const PALETTE_COMMANDS = [
  'sequenceLab.train',
  'sequenceLab.quickPreview',
  'sequenceLab.stop',
  'sequenceLab.openPanel',
  'sequenceLab.showModelSummary',
  'sequenceLab.openRun',
  'sequenceLab.compareRuns',
  'sequenceLab.newSpecFromTemplate',
  'sequenceLab.exportModel',
  'sequenceLab.rerun',
  'sequenceLab.importKerasModel',
  'sequenceLab.exportKerasScript',
];

describe('commands', () => {
  before(async () => {
    await extension().activate();
  });

  it('contributes the palette commands under the Sequence Lab category', () => {
    const contributed = extension().packageJSON.contributes.commands as { command: string; category: string }[];
    assert.deepEqual(contributed.map((c) => c.command).sort(), [...PALETTE_COMMANDS].sort());
    assert.ok(contributed.every((c) => c.category === 'Sequence Lab'));
  });

  it('registers a handler for every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      PALETTE_COMMANDS.filter((id) => !registered.has(id)),
      [],
    );
  });
});

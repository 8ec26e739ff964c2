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

  it("completes the Get Started walkthrough's steps on commands it registers", async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const walkthroughs = extension().packageJSON.contributes.walkthroughs as { steps: { id: string; completionEvents: string[] }[] }[];
    const events = walkthroughs.flatMap(({ steps }) => steps.flatMap(({ id, completionEvents }) => completionEvents.map((event) => ({ id, event }))));
    assert.ok(events.length > 0);
    assert.deepEqual(
      events.filter(({ event }) => !registered.has(event.replace(/^onCommand:/, ''))),
      [],
    );
  });
});

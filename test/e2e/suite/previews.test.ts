import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { discardChanges, extensionState, openSpec, TINY_SPEC, waitFor } from './helpers';

const SLOW_SPEC = TINY_SPEC.replace('samples: 256', 'samples: 4096').replace('epochs: 2', 'epochs: 50');

async function jobsOf(specPath: string) {
  return (await extensionState()).jobs.filter((job) => job.specPath === specPath);
}

describe('inline training previews', function () {
  this.timeout(180_000);

  afterEach(async () => {
    await vscode.workspace.getConfiguration('sequenceLab').update('inlinePreviews', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Quick Preview runs a bounded run recorded as a preview', async () => {
    const editor = await openSpec('preview', TINY_SPEC);
    const specPath = editor.document.uri.fsPath;
    await vscode.commands.executeCommand('sequenceLab.quickPreview', editor.document.uri);
    const [finished] = await waitFor(
      'the preview to finish',
      async () => {
        const jobs = await jobsOf(specPath);
        return jobs.length > 0 && jobs.every((job) => job.status !== 'running') ? jobs : undefined;
      },
      150_000,
    );
    assert.equal(finished?.kind, 'preview');
    assert.equal(finished?.status, 'completed');
    const meta = JSON.parse(readFileSync(join(finished.runDir, 'run.json'), 'utf8')) as { quick: boolean; epochs: number };
    assert.equal(meta.quick, true);
    assert.equal(meta.epochs, 1, 'sequenceLab.preview.epochs defaults to one epoch');
  });

  it('with inline previews on, saving starts a preview and editing cancels it as stale', async () => {
    await vscode.workspace.getConfiguration('sequenceLab').update('inlinePreviews', true, vscode.ConfigurationTarget.Global);
    const editor = await openSpec('on-save', SLOW_SPEC);
    const specPath = editor.document.uri.fsPath;
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# saved to preview\n'));
    await editor.document.save();
    const preview = await waitFor('a preview started by the save', async () =>
      (await jobsOf(specPath)).find((job) => job.kind === 'preview' && job.status === 'running' && job.batches > 0),
    120_000);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# edited\n'));
    const cancelled = await waitFor('the stale preview to stop', async () =>
      (await jobsOf(specPath)).find((job) => job.runId === preview.runId && job.status !== 'running'),
    );
    assert.equal(cancelled.status, 'stopped');
    await discardChanges(editor);
  });
});

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
    for (const setting of ['inlinePreviews', 'preview.epochs']) await vscode.workspace.getConfiguration('sequenceLab').update(setting, undefined, vscode.ConfigurationTarget.Global);
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

  it('auto-saved typing starts one preview, once the typing stops, and none while the spec has errors', async () => {
    await vscode.workspace.getConfiguration('sequenceLab').update('inlinePreviews', true, vscode.ConfigurationTarget.Global);
    const editor = await openSpec('typing', SLOW_SPEC);
    const specPath = editor.document.uri.fsPath;
    const started = async () => (await extensionState()).startedJobs.filter((job) => job.specPath === specPath);
    // As code-server's auto-save does: a save right after each keystroke, faster than the quiet period.
    for (let key = 0; key < 6; key++) {
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '#'));
      await editor.document.save();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await waitFor('the preview after the typing', async () => ((await started()).length > 0 ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.deepEqual(await started(), [{ specPath, kind: 'preview', automatic: true }]);

    // An error typed and saved: the running preview is cancelled, and no new one starts.
    await editor.edit((edit) => edit.replace(lineRange(editor, '    units: 8'), '    units: eight'));
    await editor.document.save();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.equal((await started()).length, 1, 'a preview started for a spec with errors');
    await discardChanges(editor);
  });

  it('marks an inline result out of date when the spec changes, and explains it on hover', async () => {
    const editor = await openSpec('stale', TINY_SPEC);
    const uri = editor.document.uri;
    await vscode.commands.executeCommand('sequenceLab.quickPreview', uri);
    await waitFor('the preview to finish', async () => ((await jobsOf(uri.fsPath)).some((job) => job.status === 'completed') ? true : undefined), 150_000);
    const hoverOnTrain = async () => {
      const line = editor.document.getText().split('\n').indexOf('train:');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 2));
      return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    };
    // The hover gives the end time once the worker process has exited.
    const fresh = await waitFor('the hover of the finished preview', async () => {
      const text = await hoverOnTrain();
      return /ended/.test(text) ? text : undefined;
    });
    assert.match(fresh, /\*\*Quick preview\*\* of `e2e-parity` \(run `[^`]+`\)/);
    assert.match(fresh, /Started \d\d:\d\d:\d\d, ended \d\d:\d\d:\d\d/);
    assert.match(fresh, /compares the latest training loss/);
    assert.doesNotMatch(fresh, /Out of date/);
    // A comment changes nothing the run trained.
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# a note\n'));
    assert.doesNotMatch(await hoverOnTrain(), /Out of date/);
    await editor.edit((edit) => edit.replace(lineRange(editor, '  epochs: 2'), '  epochs: 3'));
    assert.match(await hoverOnTrain(), /Out of date: the spec changed since this run started/);
    // Still out of date once the spec has an error (it trains nothing then).
    await editor.edit((edit) => edit.replace(lineRange(editor, '  epochs: 3'), '  epochs: three'));
    assert.match(await hoverOnTrain(), /Out of date/);
    await discardChanges(editor);
  });

  it('with inline previews on, saving starts a preview and editing cancels it as stale', async () => {
    await vscode.workspace.getConfiguration('sequenceLab').update('inlinePreviews', true, vscode.ConfigurationTarget.Global);
    // A one-epoch preview of this spec takes a second or two: it could end between the poll that sees
    // it running and the edit. Twenty epochs leave the edit the time it needs on a slow machine.
    await vscode.workspace.getConfiguration('sequenceLab').update('preview.epochs', 20, vscode.ConfigurationTarget.Global);
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

function lineRange(editor: vscode.TextEditor, text: string): vscode.Range {
  const line = editor.document.getText().split('\n').indexOf(text);
  assert.ok(line >= 0, `no line ${JSON.stringify(text)}`);
  return new vscode.Range(line, 0, line, text.length);
}

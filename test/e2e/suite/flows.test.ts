/**
 * The commands driven to their result, not just found registered: the files Export Model and New
 * Spec from Template write, and the panel Open Panel opens (what it was sent).
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { checkSpec } from '../../../src/language/check';
import type { HostToWebview, RunView } from '../../../src/protocol';
import { extension, extensionState, openSpec, TINY_SPEC, waitFor } from './helpers';

/** Trains `text` as a spec file in a fresh folder and resolves with its finished job. */
async function trained(name: string, text: string) {
  const editor = await openSpec(name, text);
  const specPath = editor.document.uri.fsPath;
  await vscode.commands.executeCommand('sequenceLab.train', editor.document.uri);
  const job = await waitFor(
    'the run to finish',
    async () => (await extensionState()).jobs.find((candidate) => candidate.specPath === specPath && candidate.status !== 'running'),
    150_000,
  );
  assert.equal(job.status, 'completed');
  // The worker writes run.json's end and the model after its last event: wait for the process to go.
  await waitFor('the run folder to be complete', () => (JSON.parse(readFileSync(join(job.runDir, 'run.json'), 'utf8')).status === 'completed' ? true : undefined));
  return { job, specUri: editor.document.uri };
}

/** The view of the newest `reset` a panel was sent that `matches`, once there is one. */
async function resetSent(what: string, matches: (view: RunView) => boolean): Promise<RunView> {
  const message = await waitFor(what, async () =>
    (await extensionState()).panelMessages
      .filter((candidate): candidate is Extract<HostToWebview, { type: 'reset' }> => candidate.type === 'reset')
      .reverse()
      .find((candidate) => matches(candidate.view)),
  );
  return message.view;
}

const spec = (name: string) => TINY_SPEC.replace('name: e2e-parity', `name: ${name}`);

describe('commands driven to their result', function () {
  this.timeout(200_000);
  let run: Awaited<ReturnType<typeof trained>>;

  before(async () => {
    run = await trained('flows', spec('flows-trained'));
  });

  it('Export Model copies the trained model into the folder given, loadable by its model.json', async () => {
    const target = mkdtempSync(join(tmpdir(), 'seqlab-export-'));
    const written = await vscode.commands.executeCommand<string>('sequenceLab.exportModel', run.job.runDir, vscode.Uri.file(target));
    assert.equal(written, join(target, `${basename(run.job.runDir)}-model`));
    const model = JSON.parse(readFileSync(join(written, 'model.json'), 'utf8')) as {
      modelTopology: unknown;
      weightsManifest: { paths: string[] }[];
    };
    assert.ok(model.modelTopology, 'model.json has the layers');
    const weightFiles = model.weightsManifest.flatMap((group) => group.paths);
    assert.ok(weightFiles.length > 0);
    for (const file of weightFiles) assert.ok(existsSync(join(written, file)), `${file} was not exported`);
  });

  it('Open Panel on a never-trained spec beside a trained one shows its own summary and no run', async () => {
    // Same folder, same runs folder, even the same `name:` as the trained spec: still not its run.
    const other = join(dirname(run.specUri.fsPath), 'other.seqlab.yaml');
    const text = spec('flows-trained').replace('units: 8', 'units: 6');
    writeFileSync(other, text);
    await vscode.window.showTextDocument(vscode.Uri.file(other));
    await vscode.commands.executeCommand('sequenceLab.openPanel', vscode.Uri.file(other));
    const view = await resetSent('the untrained panel', (candidate) => candidate.untrained !== undefined && candidate.name === 'flows-trained');
    assert.deepEqual(view.events, []);
    assert.equal(view.runDir, '');
    assert.equal(view.untrained?.errors, 0);
    assert.equal(view.untrained?.summary?.totalParams, checkSpec(text).summary?.totalParams);
  });

  it('Open Panel on a spec with a run from an earlier session shows that run, read from disk', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'seqlab-stored-'));
    const specPath = join(folder, 'stored.seqlab.yaml');
    writeFileSync(specPath, spec('flows-trained'));
    const runDir = join(folder, '.seqlab', 'runs', basename(run.job.runDir));
    cpSync(run.job.runDir, runDir, { recursive: true });
    const meta = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...meta, specPath }));
    await vscode.commands.executeCommand('sequenceLab.openPanel', vscode.Uri.file(specPath));
    const view = await resetSent('the stored run in a panel', (candidate) => candidate.runDir === runDir);
    assert.equal(view.name, 'flows-trained');
    assert.ok(view.events.some((event) => event.type === 'done'));
  });

  it('New Spec from Template writes the example under the name given, where asked, and opens it', async () => {
    const target = vscode.Uri.file(join(mkdtempSync(join(tmpdir(), 'seqlab-new-')), 'my-parity.seqlab.yaml'));
    await vscode.commands.executeCommand('sequenceLab.newSpecFromTemplate', { template: 'parity.seqlab.yaml', name: 'my parity', target });
    const text = readFileSync(target.fsPath, 'utf8');
    assert.equal(checkSpec(text).spec?.name, 'my parity');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath);
  });

  it('New Spec from Template offers every shipped example: each is written under its new name and checks clean but for data variables not set here', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'seqlab-lessons-'));
    const examples = readdirSync(join(extension().extensionPath, 'examples')).filter((file) => file.endsWith('.seqlab.yaml'));
    assert.ok(examples.length >= 13, `only ${examples.length} examples ship`);
    for (const template of examples) {
      const target = vscode.Uri.file(join(folder, `my-${template}`));
      await vscode.commands.executeCommand('sequenceLab.newSpecFromTemplate', { template, name: `my ${template}`, target });
      const { spec, diagnostics } = checkSpec(readFileSync(target.fsPath, 'utf8'), { specPath: target.fsPath });
      assert.equal(spec?.name, `my ${template}`);
      const errors = diagnostics.filter(({ severity, message }) => severity === 'error' && !/environment variable \w+, which is not set/.test(message));
      assert.deepEqual(errors, [], template);
    }
  });

  it('New Spec from Template infers a spec from a CSV that the editor finds free of errors', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'seqlab-csv-'));
    const rows = Array.from({ length: 120 }, (_, i) => `"${i % 2 ? 'a fine and moving film' : 'a dull and boring film'} ${i}",${i % 2 ? 'pos' : 'neg'}`);
    writeFileSync(join(folder, 'reviews.csv'), `review,sentiment\n${rows.join('\n')}\n`);
    const target = vscode.Uri.file(join(folder, 'reviews.seqlab.yaml'));
    await vscode.commands.executeCommand('sequenceLab.newSpecFromTemplate', {
      template: 'data',
      name: 'reviews',
      target,
      dataFile: vscode.Uri.file(join(folder, 'reviews.csv')),
    });
    const text = readFileSync(target.fsPath, 'utf8');
    assert.match(text, /source: reviews\.csv/);
    assert.match(text, /task: binary/);
    // The extension's own diagnostics for the opened spec: none is an error. The spec is checked at
    // once, and again when its CSV has been read in the background (what the data says can be an
    // error): read them after that second check.
    await waitFor('the new spec to be opened', () => (vscode.window.activeTextEditor?.document.uri.fsPath === target.fsPath ? true : undefined));
    await waitFor('the new spec to be checked with its data', async () => ((await extensionState()).dataChecked.includes(target.fsPath) ? true : undefined));
    const errors = vscode.languages.getDiagnostics(target).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => d.message), []);
  });
});

/** The built `seqlab` CLI (dist/cli.js) as a user runs it: output formats, exit codes, files. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listRuns, readMeta } from '../../src/training/runStore';
import { assertBuilt, cliPath, sentimentSpec, tempDir, writeSpec } from './worker-fixtures';

const root = tempDir('cli');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function seqlab(args: string[], cwd = root): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const brokenSpec = sentimentSpec().replace('  - type: gru\n    units: 16\n', '  - type: gru\n    unit: 16\n');
/** 1-based line of the misspelled key, as the diagnostics must report it. */
const brokenLine = brokenSpec.split('\n').indexOf('    unit: 16') + 1;

describe('seqlab check', () => {
  it('prints the model summary and exits 0 for a valid spec', () => {
    writeSpec(root, sentimentSpec(), 'valid.seqlab.yaml');
    const result = seqlab(['check', 'valid.seqlab.yaml']);
    assert.equal(result.code, 0, result.stderr);
    for (const layer of ['embedding', 'gru', 'dense']) assert.match(result.stdout, new RegExp(`\\b${layer}\\b`));
    assert.match(result.stderr, /valid\.seqlab\.yaml: no problems\./);
  });

  it('prints file:line:col: severity: message for each problem and exits 2 on errors', () => {
    writeSpec(root, brokenSpec, 'broken.seqlab.yaml');
    const result = seqlab(['check', 'broken.seqlab.yaml']);
    assert.equal(result.code, 2);
    const diagnostics = result.stdout.split('\n').filter((line) => line.startsWith('broken.seqlab.yaml:'));
    assert.ok(diagnostics.length >= 1, result.stdout);
    for (const line of diagnostics) assert.match(line, /^broken\.seqlab\.yaml:\d+:\d+: (error|warning|info): \S/);
    assert.ok(
      diagnostics.some((line) => line.startsWith(`broken.seqlab.yaml:${brokenLine}:5: error: `)),
      `expected an error at line ${brokenLine}, column 5:\n${diagnostics.join('\n')}`,
    );
    assert.match(result.stderr, /broken\.seqlab\.yaml: \d+ errors?/);
  });

  it('prints one error for a layer typed as an empty `- `, not one per layer kind', () => {
    writeSpec(root, sentimentSpec().replace(/\nmodel:\n/, '\nmodel:\n  - \n'), 'typing.seqlab.yaml');
    const result = seqlab(['check', 'typing.seqlab.yaml']);
    assert.equal(result.code, 2);
    const diagnostics = result.stdout.split('\n').filter((line) => line.startsWith('typing.seqlab.yaml:'));
    assert.deepEqual(diagnostics, [
      `typing.seqlab.yaml:${sentimentSpec().split('\n').indexOf('model:') + 2}:5: error: Layer 1 is empty: give it a \`type\`, e.g. \`- type: lstm\` with \`units: 32\`.`,
    ]);
    assert.match(result.stderr, /typing\.seqlab\.yaml: 1 error\b/);
  });

  it('reports a missing file in one line, without a stack, exit 1', () => {
    const result = seqlab(['check', 'nowhere.seqlab.yaml']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), 'seqlab: Cannot read the spec nowhere.seqlab.yaml: no such file.');
    assert.equal(result.stdout, '');
  });
});

describe('usage', () => {
  it('prints help with every command', () => {
    const result = seqlab(['--help']);
    assert.equal(result.code, 0);
    for (const command of ['seqlab check', 'seqlab train', 'seqlab runs', 'seqlab report']) assert.ok(result.stdout.includes(command));
  });

  it('rejects unknown commands and options with exit 2 and a pointer to --help', () => {
    for (const args of [['fly'], ['train', 'x.seqlab.yaml', '--epoch', '3'], ['train', 'x.seqlab.yaml', '--epochs', '0'], ['train']]) {
      const result = seqlab(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^seqlab: .+\nRun `seqlab --help` for usage\.\n$/, args.join(' '));
    }
  });
});

describe('seqlab train', () => {
  const projectDir = join(root, 'project');
  const outDir = join(root, 'out');
  let result: CliResult;

  before(() => {
    writeSpec(tempSubdir(projectDir), sentimentSpec({ name: 'cli run' }));
    result = seqlab(['train', join(projectDir, 'test.seqlab.yaml'), '--epochs', '2', '--out', outDir, '--backend', 'wasm']);
  });

  it('narrates the run and exits 0', () => {
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Backend: +wasm \(TensorFlow\.js \d/m);
    assert.match(result.stdout, /^Data: +builtin:sentiment \(binary\): 600 training \/ 200 validation samples/m);
    assert.match(result.stdout, /^Classes: +"0" → 0 \(\d+\), "1" → 1 \(\d+\) training examples$/m);
    assert.match(result.stdout, /^epoch 1\/2 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}val_loss \d\.\d{4} {2}val_accuracy/m);
    assert.match(result.stdout, /^epoch 2\/2 /m);
    // Baselines beside the metrics they compare to: the sentiment generator's labels are balanced.
    assert.match(
      result.stdout,
      /^metric +train +validation +majority class +class frequencies\n[- ]+\nloss +\d\.\d{4} +\d\.\d{4} +- +0\.69\d\d\naccuracy +\d\.\d{4} +\d\.\d{4} +0\.\d{4} +-\n/m,
    );
  });

  it('shows plain progress lines on a non-terminal stderr', () => {
    const progress = result.stderr.split('\n').filter((line) => /^epoch 1\/2 {2}batch \d+\/\d+ {2}loss \S+ {2}ETA \d+:\d\d$/.test(line));
    assert.ok(progress.length >= 5 && progress.length <= 12, `progress lines:\n${result.stderr}`);
    assert.ok(!result.stderr.includes('\r') && !result.stderr.includes('\u001b['), 'no terminal control codes in a log');
  });

  it('writes the run under --out and a self-contained report.html', () => {
    const runs = listRuns(outDir);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'completed');
    const runDir = join(outDir, runs[0].id);
    const reportPath = join(runDir, 'report.html');
    // Paths are printed relative to the working folder when inside it.
    assert.equal(resolve(root, printed(result.stdout, 'Run folder')), runDir);
    assert.equal(resolve(root, printed(result.stdout, 'Report')), reportPath);
    const html = readFileSync(reportPath, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes(runs[0].id), 'the report embeds the run');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/, 'no external assets');
  });

  it('lists the run with `seqlab runs` and re-renders its report with `seqlab report`', () => {
    const listing = seqlab(['runs', outDir]);
    assert.equal(listing.code, 0, listing.stderr);
    const [run] = listRuns(outDir);
    assert.match(listing.stdout, new RegExp(`^${run.id} +completed +2 +wasm +loss \\d`, 'm'));

    const reportPath = join(outDir, run.id, 'report.html');
    rmSync(reportPath);
    const report = seqlab(['report', join(outDir, run.id)]);
    assert.equal(report.code, 0, report.stderr);
    assert.ok(statSync(reportPath).size > 1000);
  });

  it('exits 2 with the diagnostics when the spec has errors', () => {
    writeSpec(root, brokenSpec, 'broken.seqlab.yaml');
    const failed = seqlab(['train', 'broken.seqlab.yaml']);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, new RegExp(`^broken\\.seqlab\\.yaml:${brokenLine}:5: error: `, 'm'));
    assert.equal(existsSync(join(root, '.seqlab')), false);
  });
});

describe('Ctrl-C during seqlab train', () => {
  it('stops after the current batch, saves the model and exits 0', async () => {
    const dir = tempSubdir(join(root, 'interrupt'));
    writeSpec(dir, sentimentSpec({ samples: 1200, epochs: 50 }));
    const child = spawn(process.execPath, [cliPath, 'train', 'test.seqlab.yaml'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
    await new Promise<void>((resolveProgress) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/batch \d+\/\d+/.test(stderr)) resolveProgress();
      }),
    );
    child.kill('SIGINT');
    const code = await exited;

    assert.equal(code, 0, stderr);
    assert.match(stderr, /Stopping after the current batch/);
    assert.match(stdout, /^Stopped in /m);
    const [run] = listRuns(join(dir, '.seqlab', 'runs'));
    assert.equal(run.status, 'stopped');
    assert.ok(existsSync(join(dir, '.seqlab', 'runs', run.id, 'model', 'model.json')));
    assert.equal(readMeta(join(dir, '.seqlab', 'runs', run.id)).status, 'stopped');
  });
});

/** The value printed after `label:` on its own line. */
function printed(stdout: string, label: string): string {
  const match = new RegExp(`^${label}: +(.+)$`, 'm').exec(stdout);
  assert.ok(match, `no "${label}:" line in:\n${stdout}`);
  return match[1];
}

/** A fresh, empty folder at `dir`. */
function tempSubdir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

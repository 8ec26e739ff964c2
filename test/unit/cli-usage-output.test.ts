/**
 * The CLI's usage errors exit 2 wherever an argument is out of range (not 1 when a limit is found
 * later), `--out` into a missing folder creates it (for every command with `--out`), an output
 * never replaces the command's own input, and a missing run given as a path is named as given.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCommand } from '../../src/cli/args';
import { runCompare } from '../../src/cli/commands/compare';
import { runExportKeras } from '../../src/cli/commands/exportKeras';
import { runImport } from '../../src/cli/commands/importKeras';
import type { Output } from '../../src/cli/commands/io';
import { resolveRunDir } from '../../src/cli/commands/runs';
import { CliError, EXIT_SPEC_ERRORS } from '../../src/cli/errors';
import { MAX_GENERATION_TOKENS } from '../../src/protocol';
import { MAX_FORECAST_STEPS } from '../../src/tasks/continuation';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-cli-usage-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet: Output = { stdout: () => undefined, stderr: () => undefined };

function exitCodeOf(action: () => unknown): number {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof CliError, `a CliError, not ${String(error)}`);
    return error.exitCode;
  }
  assert.fail('expected the command to be refused');
}

const SPEC = `name: tiny
data:
  source: builtin:parity
model:
  - {type: lstm, units: 2}
  - {type: dense, units: 1, activation: sigmoid}
`;

describe('usage errors exit 2', () => {
  it('every limited count beyond its limit, as below it', () => {
    for (const argv of [
      ['forecast', 'run', '--steps', String(MAX_FORECAST_STEPS + 1)],
      ['forecast', 'run', '--steps', '0'],
      ['generate', 'run', '--seed', 'x', '--length', String(MAX_GENERATION_TOKENS + 1)],
      ['generate', 'run', '--seed', 'x', '--length', '0'],
      ['generate', 'run', '--seed', 'x', '--top-k', ''],
      ['generate', 'run', '--seed', 'x', '--sample', ''],
    ]) {
      assert.equal(exitCodeOf(() => parseCommand(argv)), EXIT_SPEC_ERRORS, argv.join(' '));
    }
    assert.deepEqual((parseCommand(['forecast', 'run', '--steps', String(MAX_FORECAST_STEPS)]) as { steps: number }).steps, MAX_FORECAST_STEPS);
  });

  it('compare with the same run twice', () => {
    const run = join(dir, 'run-a');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'run.json'), '{}');
    assert.equal(exitCodeOf(() => runCompare({ name: 'compare', runs: [run, run] }, quiet)), EXIT_SPEC_ERRORS);
  });

  it('export-keras --out its own spec, even with --force, and import --out its own model', () => {
    const specPath = join(dir, 'own.seqlab.yaml');
    writeFileSync(specPath, SPEC);
    assert.equal(exitCodeOf(() => runExportKeras({ specPath, out: specPath, force: true }, quiet)), EXIT_SPEC_ERRORS);
    assert.equal(readFileSync(specPath, 'utf8'), SPEC);
    const modelPath = join(dir, 'own.py');
    const model = 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.LSTM(4), keras.layers.Dense(1)])\n';
    writeFileSync(modelPath, model);
    assert.equal(exitCodeOf(() => runImport({ modelPath, out: modelPath, force: true }, quiet)), EXIT_SPEC_ERRORS);
    assert.equal(readFileSync(modelPath, 'utf8'), model);
  });
});

describe('--out into a folder that does not exist yet', () => {
  it('export-keras and import create it, as train --out does', () => {
    const specPath = join(dir, 'out.seqlab.yaml');
    writeFileSync(specPath, SPEC);
    const script = join(dir, 'new', 'deeper', 'tiny.py');
    assert.equal(runExportKeras({ specPath, out: script, force: false }, quiet), 0);
    assert.ok(existsSync(script));
    const modelPath = join(dir, 'model.py');
    writeFileSync(modelPath, 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.LSTM(4), keras.layers.Dense(1)])\n');
    const spec = join(dir, 'other', 'model.seqlab.yaml');
    assert.equal(runImport({ modelPath, out: spec, force: false }, quiet), 0);
    assert.match(readFileSync(spec, 'utf8'), /type: lstm/);
  });

  it('says so in a sentence when the folder cannot be made', () => {
    const specPath = join(dir, 'blocked.seqlab.yaml');
    writeFileSync(specPath, SPEC);
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    assert.throws(() => runExportKeras({ specPath, out: join(file, 'x.py'), force: false }, quiet), (error: Error) => error instanceof CliError && /^Cannot write .*x\.py: its folder/.test(error.message));
  });
});

describe('a run that is not there', () => {
  it('given as a path, is named as given', () => {
    const missing = join(dir, 'nope');
    assert.throws(() => resolveRunDir(missing), (error: Error) => error.message === `No run at ${missing}: no such folder. List runs with \`seqlab runs\`.`);
    assert.throws(() => resolveRunDir(dir), /No run at .*: it has no run\.json/);
    assert.throws(() => resolveRunDir('some-id'), /No run "some-id": neither .* nor .*some-id is a run folder/);
  });
});

/** The built CLI's `seqlab import` and `seqlab export-keras`: files written, messages, exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportRunModel } from '../../src/training/exportModel';
import { assertBuilt, cliPath, repoRoot, sentimentSpec, tempDir, writeSpec } from './worker-fixtures';

const root = tempDir('cli-keras');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

function seqlab(args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('seqlab import', () => {
  it('writes <model>.seqlab.yaml beside the model, prints the summary and what to do next', () => {
    copyFileSync(join(repoRoot, 'test/fixtures/keras/imdb-lstm.keras2.json'), join(root, 'imdb.json'));
    const result = seqlab(['import', 'imdb.json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /lstm \(LSTM\)\s+\(None, 64\)\s+49,408/);
    assert.match(result.stdout, /Total params: 1,329,473/);
    assert.match(result.stderr, /^Wrote imdb\.seqlab\.yaml \(from Keras 2 JSON\)\. Next: set data\.source \(line \d+\), then `seqlab check imdb\.seqlab\.yaml`\.$/m);
    assert.match(readFileSync(join(root, 'imdb.seqlab.yaml'), 'utf8'), /- type: lstm/);
  });

  it("reports problems as file:line:col and Keras' own count where the spec's differs", () => {
    copyFileSync(join(repoRoot, 'test/fixtures/keras/gru.keras3.json'), join(root, 'gru.json'));
    const result = seqlab(['import', 'gru.json', '--out', 'gru-spec.seqlab.yaml']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^gru\.json:\d+:\d+: error: GRU "gru": reset_after is True/m);
    assert.match(result.stdout, /Keras counts 37,248 parameters for gru, the spec 37,056/);
    assert.ok(existsSync(join(root, 'gru-spec.seqlab.yaml')));
  });

  it('refuses to overwrite a spec without --force, prints it with --out -', () => {
    copyFileSync(join(repoRoot, 'test/fixtures/keras/simple_rnn.py'), join(root, 'rnn.py'));
    assert.equal(seqlab(['import', 'rnn.py']).code, 0);
    const again = seqlab(['import', 'rnn.py']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /rnn\.seqlab\.yaml already exists\. Choose another file with --out, or replace it with --force\./);
    assert.equal(seqlab(['import', 'rnn.py', '--force']).code, 0);
    const printed = seqlab(['import', 'rnn.py', '--out', '-']);
    assert.match(printed.stdout, /^name: simple_rnn_sentiment$/m);
  });

  it('exits 2 with file:line:col for a file that is not a Keras model', () => {
    writeFileSync(join(root, 'broken.json'), '{"class_name": "Sequential",\n  "config": [1, }');
    const result = seqlab(['import', 'broken.json']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^seqlab: broken\.json:2:\d+: The file is not valid JSON/);
  });
});

describe('seqlab export-keras', () => {
  it('writes <spec name>.py beside the spec; Debian python3 compiles it', () => {
    writeSpec(root, sentimentSpec({ name: 'tiny-sentiment' }), 'tiny.seqlab.yaml');
    const result = seqlab(['export-keras', 'tiny.seqlab.yaml']);
    assert.equal(result.code, 0, result.stderr);
    const script = join(root, 'tiny-sentiment.py');
    assert.match(result.stderr, /^Wrote .*tiny-sentiment\.py: 3 layers, [\d,]+ parameters\./m);
    const compiled = spawnSync('/usr/bin/python3', ['-m', 'py_compile', script], { encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stderr);
  });

  it('refuses a spec with errors, printing them', () => {
    writeSpec(root, sentimentSpec().replace('units: 16', 'unit: 16'), 'bad.seqlab.yaml');
    const result = seqlab(['export-keras', 'bad.seqlab.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^bad\.seqlab\.yaml:\d+:\d+: error: /m);
    assert.match(result.stderr, /bad\.seqlab\.yaml has errors; fix them/);
  });

  it('round trip: an exported script imports back to the same model', () => {
    const script = resolve(root, 'tiny-sentiment.py');
    const result = seqlab(['import', script, '--out', 'back.seqlab.yaml']);
    assert.equal(result.code, 0, result.stderr);
    const back = seqlab(['check', 'back.seqlab.yaml']);
    const original = seqlab(['check', 'tiny.seqlab.yaml']);
    const table = (text: string) => text.slice(text.indexOf(' Layer (type)'));
    assert.equal(table(back.stdout).replace(/Input shape.*\n/, ''), table(original.stdout).replace(/Input shape.*\n/, ''));
  });
});

describe("an exported trained model's README", () => {
  it('says how to get its Keras code, and that command works on the exported folder', () => {
    writeSpec(root, sentimentSpec({ name: 'trained-sentiment', samples: 200, epochs: 1 }), 'trained.seqlab.yaml');
    const trained = seqlab(['train', 'trained.seqlab.yaml', '--backend', 'wasm', '--out', 'runs']);
    assert.equal(trained.code, 0, trained.stderr);
    const [runId] = readdirSync(join(root, 'runs'));
    const exported = join(root, 'exported');
    exportRunModel(join(root, 'runs', runId!), exported);
    const readme = readFileSync(join(exported, 'README.md'), 'utf8');
    assert.match(readme, /tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras/);
    const command = /`(seqlab export-keras [^`]+)`/.exec(readme)?.[1];
    assert.equal(command, 'seqlab export-keras spec.seqlab.yaml');
    const result = spawnSync(process.execPath, [cliPath, ...command!.split(' ').slice(1)], { cwd: exported, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const compiled = spawnSync('/usr/bin/python3', ['-m', 'py_compile', join(exported, 'trained-sentiment.py')], { encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stderr);
  });
});

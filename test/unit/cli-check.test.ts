/**
 * `seqlab check` (runCheck, as the CLI calls it) on the checker's data and robustness cases: what
 * the editor shows, the terminal prints, with the exit code, before anything trains.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCheck } from '../../src/cli/commands/check';
import { EXIT_OK, EXIT_SPEC_ERRORS } from '../../src/cli/errors';
import { MAX_LAYERS } from '../../src/language/check';

const invalidDir = join(__dirname, '..', 'fixtures', 'specs', 'invalid');
const dir = mkdtempSync(join(tmpdir(), 'seqlab-cli-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

async function check(specPath: string): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCheck(specPath, { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) });
  return { code, stdout, stderr };
}

describe('seqlab check reads the data as the editor does', () => {
  const cases: [string, string][] = [
    ['data-source-not-found', "3:11: error: `missing-reviews.csv` does not exist in the spec's folder ("],
    ['unsupported-extension-parquet', '3:11: error: Sequence Lab cannot read `.parquet` files: it reads .csv, .tsv, .jsonl, .txt (each optionally .gz), and plain text without extension. Convert it to CSV, e.g. with pandas:'],
    ['next-token-with-label-column', '4:9: error: `next-token` learns to continue the text and uses no labels, but `columns.label` names a label column'],
  ];
  for (const [name, line] of cases) {
    it(`${name}: one error line at the field, exit 2`, async () => {
      const specPath = join(invalidDir, `${name}.seqlab.yaml`);
      const result = await check(specPath);
      assert.equal(result.code, EXIT_SPEC_ERRORS);
      const diagnostics = result.stdout.filter((printed) => printed.startsWith(`${specPath}:`));
      assert.equal(diagnostics.length, 1, result.stdout.join('\n'));
      assert.ok(diagnostics[0]!.startsWith(`${specPath}:${line}`), diagnostics[0]);
      assert.deepEqual(result.stderr, [`${specPath}: 1 error.`]);
    });
  }

  it('a source outside the spec\'s folder is allowed, read, and noted (exit 0)', async () => {
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'specs'));
    writeFileSync(join(dir, 'data', 'reviews.csv'), `text,label\n${'a good film,1\na bad film,0\n'.repeat(10)}`);
    const spec = (units: number) =>
      `name: outside\ndata:\n  source: ../data/reviews.csv\n  task: multiclass\n  max_len: 5\nmodel:\n  - type: embedding\n    output_dim: 4\n  - type: lstm\n    units: 4\n  - type: dense\n    units: ${units}\n    activation: softmax\n`;
    const specPath = join(dir, 'specs', 'outside.seqlab.yaml');
    writeFileSync(specPath, spec(2));
    const fine = await check(specPath);
    assert.equal(fine.code, EXIT_OK);
    assert.equal(
      fine.stdout[0],
      `${specPath}:3:11: info: \`../data/reviews.csv\` is outside the spec's folder. That works (paths are relative to the spec file) and each run records the file's path and hash, but copying or sharing this folder will not bring the data along.`,
    );
    assert.deepEqual(fine.stderr, [`${specPath}: 1 note.`]);
    // The file outside was read: its classes are checked against the output layer.
    writeFileSync(specPath, spec(3));
    const mismatch = await check(specPath);
    assert.equal(mismatch.code, EXIT_SPEC_ERRORS);
    assert.equal(mismatch.stdout[1], `${specPath}:12:12: error: The data has 2 classes ("0" → 0, "1" → 1), but the output layer has 3 units: set \`units: 2\`, or set \`data.num_classes: 3\` if the data lacks some classes.`);
  });
});

describe('seqlab check on hostile specs', () => {
  it('random bytes: one error, no control character printed, the bytes not echoed whole', async () => {
    const specPath = join(invalidDir, 'random-bytes.seqlab.yaml');
    const raw = readFileSync(specPath, 'latin1');
    assert.match(raw, CONTROL_CHARACTERS, 'the fixture does hold control characters');
    const result = await check(specPath);
    assert.equal(result.code, EXIT_SPEC_ERRORS);
    for (const line of [...result.stdout, ...result.stderr]) assert.doesNotMatch(line, CONTROL_CHARACTERS, JSON.stringify(line));
    const printed = result.stdout.join('\n');
    assert.match(printed, /error: The spec must be a mapping, not `.*\\x12\\x00.*\.\.\.`\./);
    assert.ok(printed.length < 300, `${printed.length} characters printed for a ${raw.length}-byte file`);
  });

  it(`10,000 layers written compactly (under the size limit): the layer limit (${MAX_LAYERS}) at \`model\`, nothing else`, async () => {
    const specPath = join(dir, 'deep.seqlab.yaml');
    writeFileSync(specPath, `name: deep\ndata:\n  source: builtin:adding\nmodel:\n${'  - {type: gru, units: 1}\n'.repeat(10_000)}`);
    const result = await check(specPath);
    assert.equal(result.code, EXIT_SPEC_ERRORS);
    assert.deepEqual(result.stdout, [
      `${specPath}:4:1: error: \`model\` has 10,000 layers; Sequence Lab builds at most ${MAX_LAYERS} (a documented limit: stacks this deep do not train in reasonable time). Remove layers.`,
    ]);
  });
});

/**
 * The checker against the spec corpus. Each invalid spec has a sibling `*.expected.json` listing
 * every diagnostic it must produce, in order: severity, code, a message substring and the exact
 * range as one-based `line:col-line:col` (end exclusive), the positions `seqlab check` prints.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSpecDataFacts } from '../../src/data/facts';
import { checkSpec } from '../../src/language/check';
import type { SpecDiagnostic } from '../../src/language/types';

const root = join(__dirname, '..', '..');
const invalidDir = join(root, 'test/fixtures/specs/invalid');
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const specFiles = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.seqlab.yaml')).sort();

interface Expected {
  severity: SpecDiagnostic['severity'];
  code: string;
  range: string;
  message: string;
}

function oneBasedRange(diagnostic: SpecDiagnostic): string {
  const { start, end } = diagnostic.range;
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
}

describe('invalid spec corpus', () => {
  const files = specFiles(invalidDir);

  it('has at least 30 invalid specs, each with its expectations', () => {
    assert.ok(files.length >= 30, `only ${files.length} invalid specs`);
    for (const file of files) assert.ok(readdirSync(invalidDir).includes(file.replace('.seqlab.yaml', '.expected.json')), `${file} has no .expected.json`);
  });

  for (const file of files) {
    it(file, async () => {
      const text = readFileSync(join(invalidDir, file), 'utf8');
      const expected = JSON.parse(readFileSync(join(invalidDir, file.replace('.seqlab.yaml', '.expected.json')), 'utf8')) as Expected[];
      // As in the editor: the data files beside the spec are read once, and the checker gets their facts.
      const facts = await readSpecDataFacts(text, join(invalidDir, file));
      const result = checkSpec(text, { specPath: file, dataFacts: () => facts });
      const actual = result.diagnostics.map((diagnostic) => ({ severity: diagnostic.severity, code: diagnostic.code, range: oneBasedRange(diagnostic), message: diagnostic.message }));
      assert.equal(actual.length, expected.length, `diagnostics:\n${actual.map((d) => `${d.range} ${d.code}: ${d.message}`).join('\n')}`);
      expected.forEach((want, index) => {
        const got = actual[index]!;
        assert.equal(got.range, want.range, `range of diagnostic ${index + 1} (${want.code})`);
        assert.equal(got.code, want.code);
        assert.equal(got.severity, want.severity);
        assert.ok(got.message.includes(want.message), `message ${JSON.stringify(got.message)} lacks ${JSON.stringify(want.message)}`);
      });
      assert.ok(result.diagnostics.some((diagnostic) => diagnostic.severity === 'error'), 'an invalid spec has at least one error');
      for (const { message } of result.diagnostics) assert.doesNotMatch(message, CONTROL_CHARACTERS, 'messages never carry raw control characters');
      assert.equal(result.spec, undefined, 'no resolved spec when there are errors');
    });
  }
});

describe('valid specs and the examples', () => {
  const valid = [
    ...specFiles(join(root, 'test/fixtures/specs/valid')).map((file) => join(root, 'test/fixtures/specs/valid', file)),
    ...specFiles(join(root, 'examples')).map((file) => join(root, 'examples', file)),
  ];

  it('includes the six examples the product ships', () => {
    const names = valid.map((file) => file.split('/').pop());
    for (const example of ['imdb-sentiment', 'sentiment-quick', 'adding-problem', 'sine-forecast', 'parity', 'char-grammar']) {
      assert.ok(names.includes(`${example}.seqlab.yaml`), `examples/${example}.seqlab.yaml is missing`);
    }
  });

  for (const file of valid) {
    it(file.slice(root.length + 1), () => {
      const result = checkSpec(readFileSync(file, 'utf8'), { specPath: file });
      assert.deepEqual(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
      assert.ok(result.spec, 'a valid spec resolves');
      assert.ok(result.summary, 'a valid spec has a model summary');
      assert.equal(result.summary.layers.length, result.spec.model.length);
    });
  }
});

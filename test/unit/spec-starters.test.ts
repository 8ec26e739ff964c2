/** New specs: the blank starter checks clean, and every template takes the user's name and nothing else changes. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkSpec } from '../../src/language/check';
import { BLANK_STARTER, withName } from '../../src/language/starterSpecs';

const examplesDir = join(__dirname, '..', '..', 'examples');
const templates = [
  ['blank starter', BLANK_STARTER],
  ...readdirSync(examplesDir)
    .filter((file) => file.endsWith('.seqlab.yaml'))
    .map((file) => [file, readFileSync(join(examplesDir, file), 'utf8')]),
] as const;

describe('new specs from templates', () => {
  it('the blank starter checks clean and has a model to summarise', () => {
    const result = checkSpec(BLANK_STARTER);
    assert.deepEqual(result.diagnostics, []);
    assert.ok(result.summary);
  });

  for (const [label, text] of templates) {
    for (const name of ['my-spec', 'Sentiment: take 2', '123', 'it’s # mine']) {
      it(`${label}: name ${JSON.stringify(name)} is set, every other line kept`, () => {
        const named = withName(text, name);
        assert.equal(checkSpec(named).spec?.name ?? (checkSpec(named).diagnostics.length ? 'errors' : 'none'), name);
        const before = text.split('\n');
        const changed = named.split('\n').filter((line, index) => line !== before[index]);
        assert.equal(changed.length, 1, changed.join('\n'));
        assert.match(changed[0]!, /^name: /);
      });
    }
  }

  it('adds the name after the leading comments of a spec that has none', () => {
    const named = withName('# my notes\n\ndata:\n  source: builtin:parity\n', 'parity run');
    assert.equal(named, '# my notes\n\nname: parity run\ndata:\n  source: builtin:parity\n');
  });
});

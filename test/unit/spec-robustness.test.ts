/**
 * The checker and the editor helpers run on every keystroke, so any half-typed text must give
 * diagnostics, never an exception or a process warning. Mutates the corpus with a seeded generator.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { checkSpec } from '../../src/language/check';
import { completionsAt, documentationFor, keyPathAt } from '../../src/language/navigate';

const root = join(__dirname, '..', '..');
const corpus = ['examples', 'test/fixtures/specs/valid', 'test/fixtures/specs/invalid'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((file) => file.endsWith('.seqlab.yaml'))
    .map((file) => readFileSync(join(root, dir, file), 'utf8')),
);
const FRAGMENTS = [':', '-', ' ', '\n', '{', '}', '[', ']', '"', "'", '\t', '#', '&a', '*a', '!!int', '0', '1.5', 'null', 'type: lstm', '  - ', '? '];

/** Park-Miller: the same mutations on every run, so a failure can be reproduced. */
function seeded(seed: number): (limit: number) => number {
  let state = seed;
  return (limit) => {
    state = (state * 48271) % 2147483647;
    return state % limit;
  };
}

it('never throws or warns on mutated specs', () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    const random = seeded(12345);
    for (let round = 0; round < 300; round++) {
      let text = corpus[random(corpus.length)]!;
      for (let edit = 0; edit <= random(3); edit++) {
        const at = random(text.length + 1);
        text = random(2) === 0 ? text.slice(0, at) + FRAGMENTS[random(FRAGMENTS.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + random(10));
      }
      const offset = random(text.length + 1);
      const result = checkSpec(text);
      for (const diagnostic of result.diagnostics) {
        assert.ok(diagnostic.range.start.line >= 0 && diagnostic.range.start.character >= 0, `bad range in:\n${text}`);
        assert.ok(diagnostic.message.length > 0);
      }
      const located = keyPathAt(text, offset);
      if (located) documentationFor(located.path, text);
      completionsAt(text, offset);
    }
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});

it('reports the same ranges for Windows line endings', () => {
  for (const text of corpus) {
    const ranges = (source: string) => checkSpec(source).diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.message]);
    assert.deepEqual(ranges(text.replace(/\n/g, '\r\n')), ranges(text));
  }
});

/** docs/spec-reference.md is generated from the schema; a stale copy fails here. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { REFERENCE_PATH, renderSpecReference } from '../../scripts/gen-spec-docs';

it('docs/spec-reference.md is up to date with seqlab.schema.json (run scripts/gen-spec-docs.ts)', () => {
  assert.equal(readFileSync(REFERENCE_PATH, 'utf8'), renderSpecReference());
});

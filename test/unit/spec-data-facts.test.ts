/**
 * The checker with what the data says (DataFacts from a background read or a run's `data` event),
 * and the limits that keep checking fast and its output safe to print.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readSpecDataFacts } from '../../src/data/facts';
import { checkSpec, MAX_LAYERS } from '../../src/language/check';
import { factsFromStats } from '../../src/language/dataFacts';
import type { DataStats } from '../../src/protocol';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-facts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const spec = (source: string, units: number, extra = '') => `name: topics
data:
  source: ${source}
  task: multiclass
  max_len: 10${extra}
model:
  - type: embedding
    output_dim: 8
  - type: lstm
    units: 8
  - type: dense
    units: ${units}
    activation: softmax
`;

const at = (d: { range: { start: { line: number; character: number } } }) => `${d.range.start.line + 1}:${d.range.start.character + 1}`;

describe('checking with data facts', () => {
  it('a run\'s data event gives the same diagnostic as reading the file', async () => {
    writeFileSync(join(dir, 'topics.csv'), 'text,label\nstocks fell,business\nthe striker scored,sport\na new phone,tech\nshares rose,business\n');
    const text = spec('topics.csv', 2);
    const read = await readSpecDataFacts(text, join(dir, 'x.seqlab.yaml'));
    const stats: DataStats = {
      source: 'topics.csv', task: 'multiclass', trainSamples: 3, validationSamples: 1, timesteps: 10, vocabSize: 12, classes: 3, loadMs: 1,
      classCounts: [{ label: 'business', id: 0, train: 2, validation: 0 }, { label: 'sport', id: 1, train: 1, validation: 0 }, { label: 'tech', id: 2, train: 0, validation: 1 }],
    };
    for (const facts of [read, factsFromStats(stats, 'topics.csv')]) {
      const [fit] = checkSpec(text, { dataFacts: () => facts }).diagnostics.filter((d) => d.code === 'data-fit');
      assert.equal(at(fit!), '12:12');
      assert.match(fit!.message, /^The data has 3 classes \("business" → 0, "sport" → 1, "tech" → 2\), but the output layer has 2 units: set `units: 3`\.$/);
    }
  });

  it('ignores facts read for another source or task, and says nothing without facts', () => {
    const facts = { source: 'other.csv', task: 'multiclass' as const, classes: [{ label: 'a', id: 0, count: 1 }] };
    assert.deepEqual(checkSpec(spec('topics.csv', 2), { dataFacts: () => facts }).diagnostics.filter((d) => d.code.startsWith('data')), []);
    assert.deepEqual(checkSpec(spec('topics.csv', 2)).diagnostics.filter((d) => d.code.startsWith('data')), []);
  });

  it('data warnings and filled gaps show on the source and on `missing`', () => {
    const text = `name: s\ndata:\n  source: series.csv\n  task: forecast\n  missing: ffill\n  window: {lookback: 3}\nmodel:\n  - type: lstm\n    units: 4\n  - type: dense\n    units: 1\n`;
    const facts = { source: 'series.csv', task: 'forecast' as const, missing: { count: 4, lines: [3, 9] }, warnings: ['Something to know.'] };
    const diagnostics = checkSpec(text, { dataFacts: () => facts }).diagnostics;
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, at(d), d.message]),
      [
        ['warning', '3:11', 'Something to know.'],
        ['info', '5:12', '4 missing values will be filled by `ffill` (first at lines 3, 9).'],
      ],
    );
  });

  it('a next-token file with a label column says the labels are unused', async () => {
    writeFileSync(join(dir, 'reviews.csv'), 'text,label\nthe film was great,1\nthe film was awful,0\n'.repeat(5));
    const text = `name: lm\ndata:\n  source: reviews.csv\n  task: next-token\n  max_len: 4\nmodel:\n  - type: embedding\n    output_dim: 8\n  - type: lstm\n    units: 8\n    return_sequences: true\n  - type: time_distributed\n    layer: {type: dense, units: 10000, activation: softmax}\n`;
    const facts = await readSpecDataFacts(text, join(dir, 'lm.seqlab.yaml'));
    const [warning] = checkSpec(text, { dataFacts: () => facts }).diagnostics;
    assert.equal(warning?.code, 'task');
    assert.equal(at(warning!), '4:9');
    assert.match(warning!.message, /The file has a `label` column, but `next-token` uses no labels/);
  });
});

describe('limits of the checker', () => {
  it('refuses 10,000 layers before parsing them, with a documented limit', () => {
    const layers = Array.from({ length: 10_000 }, () => '  - type: lstm\n    units: 4\n    return_sequences: true\n').join('');
    const { diagnostics, summary, spec: resolved } = checkSpec(`name: deep\ndata:\n  source: builtin:adding\nmodel:\n${layers}  - type: dense\n    units: 1\n`);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]!.message, new RegExp(`^This spec is \\d+ KB; a spec may be at most 256 KB \\(a documented limit: a model of ${MAX_LAYERS} layers`));
    assert.equal(summary, undefined);
    assert.equal(resolved, undefined);
  });

  it('never prints control characters, wherever the checker echoes the spec', () => {
    const escape = '\u001b[2J\u001b[31m';
    const texts = [
      `name: x\ndata:\n  source: "${escape}.csv"\n  max_len: 5\nmodel:\n  - type: lstm\n    units: 4\n`,
      `name: x\ndata:\n  source: builtin:sentiment\n  "bad${escape}key": 1\nmodel:\n  - type: lstm\n    units: "${escape}"\n`,
      `"${escape}"`,
    ];
    for (const text of texts) {
      const { diagnostics } = checkSpec(text);
      assert.ok(diagnostics.length > 0);
      // eslint-disable-next-line no-control-regex
      for (const d of diagnostics) assert.doesNotMatch(d.message, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, d.message);
      assert.ok(diagnostics.some((d) => d.message.includes('\\x1b[2J')), 'the escape is shown, escaped');
    }
  });
});

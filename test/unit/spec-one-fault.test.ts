/**
 * One fault, one diagnostic: a value of the wrong kind anywhere in a spec (an empty layer typed as
 * `- `, an empty section, a string where a mapping belongs) is reported once, however many schemas
 * apply to that node. Checked on every node of a spec that holds every section and every layer kind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { checkSpec } from '../../src/language/check';
import { layerKinds, SPEC_SCHEMA, type JsonSchema } from '../../src/language/schema';
import type { SpecDiagnostic } from '../../src/language/types';

type Path = (string | number)[];

const EVERY_NODE = {
  name: 'every-node',
  description: 'Every section and every layer kind.',
  data: {
    source: 'reviews.csv',
    task: 'binary',
    columns: { text: 'text', label: 'label' },
    tokenizer: { level: 'word', vocab_size: 100 },
    max_len: 20,
    validation: { split: 0.2 },
    seed: 1,
  },
  model: [
    { type: 'embedding', output_dim: 8 },
    { type: 'bidirectional', layer: { type: 'lstm', units: 4, return_sequences: true } },
    { type: 'gru', units: 4, return_sequences: true },
    { type: 'simple_rnn', units: 4, return_sequences: true },
    { type: 'time_distributed', layer: { type: 'dense', units: 4 } },
    { type: 'lstm', units: 4 },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  train: {
    optimizer: { name: 'adam' },
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
    epochs: 1,
    early_stopping: { monitor: 'val_loss', patience: 1 },
  },
  inspect: { probes: [{ text: 'good' }, { index: 0 }], max_units: 4 },
};

/** The data sections a text spec has not: generated series, cut into windows. */
const SERIES = {
  data: { source: 'builtin:sine', task: 'forecast', generator: { samples: 10, length: 20 }, window: { lookback: 5, horizon: 1 } },
  model: [{ type: 'lstm', units: 2 }, { type: 'dense', units: 1 }],
  inspect: { probes: [{ index: 0 }] },
};

/** Every path of a spec, containers and scalars alike, parents before children. */
function nodes(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const children =
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, child]) => nodes(child, [...path, Array.isArray(value) ? Number(key) : key]))
      : [];
  return path.length === 0 ? children : [{ path, value }, ...children];
}

function replaced(spec: object, path: Path, replacement: unknown): string {
  const copy = structuredClone(spec) as Record<string | number, unknown>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = replacement;
  return stringify(copy);
}

const describeAll = (diagnostics: SpecDiagnostic[]) =>
  diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('\n');

describe('one fault, one diagnostic', () => {
  const all = [EVERY_NODE, SERIES].flatMap((spec) => nodes(spec).map((node) => ({ spec, ...node })));
  const containers = all.filter(({ value }) => value !== null && typeof value === 'object');
  const scalars = all.filter(({ value }) => value === null || typeof value !== 'object');

  it('covers every layer kind and every section of the schema', () => {
    assert.deepEqual(checkSpec(stringify(EVERY_NODE)).diagnostics, []);
    assert.deepEqual(checkSpec(stringify(SERIES)).diagnostics, []);
    const kinds = new Set(EVERY_NODE.model.map((layer) => layer.type));
    assert.deepEqual(layerKinds(SPEC_SCHEMA).filter((kind) => !kinds.has(kind)), []);
    assert.deepEqual(Object.keys(SPEC_SCHEMA.properties ?? {}).filter((key) => !(key in EVERY_NODE)), []);
    const mappings = (schema: JsonSchema) => Object.entries(schema.properties ?? {}).filter(([, property]) => property.type === 'object').map(([key]) => key);
    const dataKeys = new Set([...Object.keys(EVERY_NODE.data), ...Object.keys(SERIES.data)]);
    assert.deepEqual(mappings(SPEC_SCHEMA.properties?.data ?? {}).filter((key) => !dataKeys.has(key)), []);
  });

  for (const { spec, path } of containers) {
    for (const wrong of [null, 'oops', 3]) {
      it(`${path.join('.')}: ${JSON.stringify(wrong)} instead of a mapping or list is one error`, () => {
        const { diagnostics } = checkSpec(replaced(spec, path, wrong));
        assert.equal(diagnostics.length, 1, describeAll(diagnostics));
        assert.equal(diagnostics[0]?.severity, 'error');
      });
    }
  }

  it('never repeats a diagnostic, whichever scalar holds a value of the wrong kind', () => {
    const repeated: string[] = [];
    for (const { spec, path } of scalars) {
      for (const wrong of [null, [], {}, 'oops']) {
        const { diagnostics } = checkSpec(replaced(spec, path, wrong));
        const lines = describeAll(diagnostics).split('\n');
        if (new Set(lines).size !== lines.length) repeated.push(`${path.join('.')} = ${JSON.stringify(wrong)}:\n${lines.join('\n')}`);
      }
    }
    assert.deepEqual(repeated, []);
  });

  it('an empty layer, as typed before completion, says what a layer starts with', () => {
    const text = 'data:\n  source: builtin:parity\nmodel:\n  - type: lstm\n    units: 8\n  - type: dense\n    units: 1\n    activation: sigmoid\n  - \n';
    const { diagnostics } = checkSpec(text);
    assert.equal(diagnostics.length, 1, describeAll(diagnostics));
    assert.equal(diagnostics[0]?.message, 'Layer 3 is empty: give it a `type`, e.g. `- type: lstm` with `units: 32`.');
    assert.deepEqual(diagnostics[0]?.range, { start: { line: 8, character: 4 }, end: { line: 8, character: 4 } });
  });
});

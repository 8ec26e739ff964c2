/** checkSpec beyond the corpus: defaults, quick fixes that really fix, the schema's own promises. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findBuiltin } from '../../src/data/builtinCatalog';
import { checkSpec } from '../../src/language/check';
import { formatDiagnostic } from '../../src/language/format';
import { closest } from '../../src/language/suggest';
import { resolveLayer, resolveSpec } from '../../src/language/resolve';
import { deref, layerBranch, layerKinds, SPEC_SCHEMA, type JsonSchema } from '../../src/language/schema';
import type { SourcePosition, TextEdit } from '../../src/language/types';

const invalidDir = join(__dirname, '..', 'fixtures/specs/invalid');

function offsetOf(text: string, position: SourcePosition): number {
  const lines = text.split('\n');
  return lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  return ordered.reduce((result, edit) => result.slice(0, offsetOf(result, edit.range.start)) + edit.newText + result.slice(offsetOf(result, edit.range.end)), text);
}

describe('defaults', () => {
  const minimal = 'data:\n  source: builtin:sentiment\nmodel:\n  - type: embedding\n    output_dim: 8\n  - type: lstm\n    units: 4\n  - type: gru\n    units: 4\n  - type: dense\n    units: 1\n    activation: sigmoid\n';

  it('completes a minimal spec with Keras defaults', () => {
    const { spec, diagnostics } = checkSpec(minimal.replace('  - type: gru\n    units: 4\n', ''), { specPath: '/tmp/my-run.seqlab.yaml' });
    assert.deepEqual(diagnostics, []);
    assert.ok(spec);
    assert.equal(spec.name, 'my-run');
    assert.equal(spec.data.task, 'binary');
    assert.deepEqual(spec.data.tokenizer, { level: 'word', vocab_size: 10000, lowercase: true, strip_html: true, oov_token: '<OOV>' });
    assert.deepEqual([spec.data.padding, spec.data.truncating, spec.data.seed], ['pre', 'pre', 42]);
    assert.deepEqual(spec.data.columns, { text: 'text', label: 'label', value: 'value' });
    assert.deepEqual(spec.data.validation, { split: 0.2 });
    // The built-in generator's exact vocabulary, not the tokenizer's default 10000.
    assert.deepEqual(spec.model[0], { type: 'embedding', output_dim: 8, input_dim: findBuiltin('builtin:sentiment')?.vocabularySize, mask_zero: false });
    const lstm = spec.model[1];
    assert.equal(lstm?.type, 'lstm');
    assert.equal(lstm.recurrent_activation, 'sigmoid');
    assert.equal(lstm.unit_forget_bias, true);
    assert.equal(lstm.activation, 'tanh');
    assert.deepEqual([spec.train.optimizer.name, spec.train.learning_rate, spec.train.batch_size], ['adam', 0.001, 32]);
    assert.deepEqual([spec.train.loss, spec.train.metrics], ['binary_crossentropy', ['accuracy']]);
    assert.deepEqual(spec.inspect, { probes: [{ index: 0 }, { index: 1 }], max_units: 32 });
  });

  it('takes the optimizer as a name or a mapping, with its own default learning rate', () => {
    const sgd = resolveSpec({ data: { source: 'x.csv' }, train: { optimizer: 'sgd' } }).train;
    assert.equal(sgd.learning_rate, 0.01);
    const mapped = resolveSpec({ data: { source: 'x.csv' }, train: { optimizer: { name: 'rmsprop', rho: 0.8 } } }).train;
    assert.deepEqual([mapped.optimizer.name, mapped.optimizer.rho, mapped.learning_rate], ['rmsprop', 0.8, 0.001]);
  });

  it('reads every validation form', () => {
    const validation = (value: unknown) => resolveSpec({ data: { source: 'x.csv', validation: value } }).data.validation;
    assert.deepEqual(validation(0.1), { split: 0.1 });
    assert.deepEqual(validation({ split: 0.3 }), { split: 0.3 });
    assert.deepEqual(validation({ source: 'valid.csv' }), { source: 'valid.csv' });
  });

  it('picks loss and metrics from the task', () => {
    const train = (source: string) => resolveSpec({ data: { source } }).train;
    assert.deepEqual([train('builtin:sine').loss, train('builtin:sine').metrics], ['mse', ['mae']]);
    assert.equal(train('builtin:grammar').loss, 'sparse_categorical_crossentropy');
  });

  it('applies the defaults the schema documents', () => {
    const spec = resolveSpec({ data: { source: 'x.csv' } });
    const sections: [JsonSchema, Record<string, unknown>][] = [
      [SPEC_SCHEMA.properties!.data!, spec.data as unknown as Record<string, unknown>],
      [SPEC_SCHEMA.properties!.train!, spec.train as unknown as Record<string, unknown>],
      [SPEC_SCHEMA.properties!.inspect!, spec.inspect as unknown as Record<string, unknown>],
    ];
    const layerSchema = SPEC_SCHEMA.definitions!.layer!;
    for (const kind of layerKinds(layerSchema)) {
      const layer = resolveLayer({ type: kind, units: 3, output_dim: 3, rate: 0.5, layer: { type: kind === 'time_distributed' ? 'dense' : 'lstm', units: 3 } }, 10);
      assert.ok(layer, `a ${kind} layer resolves`);
      sections.push([layerBranch(layerSchema, kind)!, layer as unknown as Record<string, unknown>]);
    }
    let compared = 0;
    const visit = (schema: JsonSchema, value: Record<string, unknown>, path: string) => {
      for (const [name, property] of Object.entries(deref(schema).properties ?? {})) {
        const resolved = deref(property);
        if (resolved.default !== undefined) {
          assert.deepEqual(value[name], resolved.default, `${path}.${name}`);
          compared++;
        }
        if (resolved.type === 'object' && value[name] && typeof value[name] === 'object') visit(resolved, value[name] as Record<string, unknown>, `${path}.${name}`);
      }
    };
    for (const [schema, value] of sections) visit(schema, value, 'spec');
    assert.ok(compared > 30, `only ${compared} defaults compared`);
  });
});

describe('schema', () => {
  it('documents every property', () => {
    const missing: string[] = [];
    const visit = (schema: JsonSchema, path: string) => {
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (!property.description && !property.$ref) missing.push(`${path}.${name}`);
        visit(property, `${path}.${name}`);
        if (property.items) visit(property.items, `${path}.${name}[]`);
        for (const branch of property.anyOf ?? []) visit(branch, `${path}.${name}`);
        if (property.items?.anyOf) for (const branch of property.items.anyOf) visit(branch, `${path}.${name}[]`);
      }
    };
    visit(SPEC_SCHEMA, 'spec');
    for (const [name, definition] of Object.entries(SPEC_SCHEMA.definitions ?? {})) visit(definition, `definitions.${name}`);
    assert.deepEqual(missing, []);
  });
});

describe('quick fixes', () => {
  const withFixes = readdirSync(invalidDir)
    .filter((file) => file.endsWith('.seqlab.yaml'))
    .flatMap((file) => {
      const text = readFileSync(join(invalidDir, file), 'utf8');
      return checkSpec(text).diagnostics.flatMap((diagnostic) => (diagnostic.fixes ?? []).map((fix) => ({ file, text, diagnostic, fix })));
    });

  it('are offered for return_sequences, loss/activation mismatches and unknown keys', () => {
    const titles = withFixes.map(({ fix }) => fix.title);
    for (const pattern of [/return_sequences: true/, /activation: sigmoid/, /Rename `unts` to `units`/, /Change loss/]) {
      assert.ok(titles.some((title) => pattern.test(title)), `no fix matching ${pattern}`);
    }
  });

  for (const { file, text, diagnostic, fix } of withFixes) {
    it(`${file}: "${fix.title}" removes the problem`, () => {
      const fixed = applyEdits(text, fix.edits);
      const after = checkSpec(fixed);
      assert.ok(!after.diagnostics.some((other) => other.message === diagnostic.message), `still reported after the fix:\n${fixed}`);
      assert.ok(!after.diagnostics.some((other) => other.code === 'yaml-syntax'), `the fix broke the YAML:\n${fixed}`);
      const errors = (result: ReturnType<typeof checkSpec>) => result.diagnostics.filter((d) => d.severity === 'error').length;
      // A fix may uncover the next problem (a stack that now builds gets its output checked), never add one.
      assert.ok(errors(after) <= errors(checkSpec(text)), 'the fix adds no error');
    });
  }

  it('adds return_sequences to the layer a bidirectional wrapper holds, in its flow style', () => {
    const text = readFileSync(join(invalidDir, 'stacked-bidirectional-without-return-sequences.seqlab.yaml'), 'utf8');
    const [diagnostic] = checkSpec(text).diagnostics;
    assert.ok(diagnostic?.fixes?.[0]);
    assert.match(applyEdits(text, diagnostic.fixes[0].edits), /layer: \{type: gru, units: 16, return_sequences: true\}/);
  });
});

describe('formatDiagnostic', () => {
  it('prints one-based file:line:col: severity: message', () => {
    const [diagnostic] = checkSpec('data:\n  source: builtin:parity\n  taks: binary\nmodel:\n  - type: lstm\n    units: 2\n  - type: dense\n    units: 1\n    activation: sigmoid\n').diagnostics;
    assert.ok(diagnostic);
    assert.equal(formatDiagnostic('a.seqlab.yaml', diagnostic), 'a.seqlab.yaml:3:3: error: Unknown key `taks` in `data`. Did you mean `task`?');
  });
});

describe('did-you-mean suggestions', () => {
  const keys = ['units', 'return_sequences', 'recurrent_dropout', 'dropout', 'activation'];

  it('forgives typos, transpositions and camelCase', () => {
    assert.equal(closest('unts', keys), 'units');
    assert.equal(closest('recurent_dropout', keys), 'recurrent_dropout');
    assert.equal(closest('actviation', keys), 'activation');
    assert.equal(closest('returnSequences', keys), 'return_sequences');
  });

  it('suggests nothing for words that are not near any key', () => {
    assert.equal(closest('optimizer', keys), undefined);
    assert.equal(closest('x', keys), undefined);
  });
});

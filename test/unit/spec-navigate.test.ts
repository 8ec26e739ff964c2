/** Editor intelligence for spec files: key paths, schema documentation, completions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionsAt, documentationFor, keyPathAt } from '../../src/language/navigate';

const SPEC = `name: demo
data:
  source: builtin:sentiment
  max_len: 20
  validation: {split: 0.1}
model:
  - type: embedding
    output_dim: 16
  - type: bidirectional
    layer: {type: gru, units: 8}
  - type: dense
    units: 1
    activation: sigmoid
train:
  optimizer: {name: adam, beta_1: 0.8}
  loss: binary_crossentropy
`;

/** Offset of the `occurrence`-th `needle` in `text`, plus `delta`. */
function offsetOf(text: string, needle: string, delta = 0, occurrence = 1): number {
  let offset = -1;
  for (let seen = 0; seen < occurrence; seen++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} not found`);
  return offset + delta;
}

/** SPEC with `line` inserted before the line that starts with `before`; returns text and cursor at the end of `line`. */
function typing(before: string, line: string): { text: string; offset: number } {
  const at = offsetOf(SPEC, `\n${before}`) + 1;
  return { text: `${SPEC.slice(0, at)}${line}\n${SPEC.slice(at)}`, offset: at + line.length };
}

const labels = (text: string, offset: number) => completionsAt(text, offset).map((completion) => completion.label);

describe('keyPathAt', () => {
  it('finds keys and values, in layers and in flow mappings', () => {
    assert.deepEqual(keyPathAt(SPEC, offsetOf(SPEC, 'max_len', 2)), { path: ['data', 'max_len'], onKey: true });
    assert.deepEqual(keyPathAt(SPEC, offsetOf(SPEC, 'builtin:')), { path: ['data', 'source'], onKey: false });
    assert.deepEqual(keyPathAt(SPEC, offsetOf(SPEC, 'output_dim')), { path: ['model', 0, 'output_dim'], onKey: true });
    assert.deepEqual(keyPathAt(SPEC, offsetOf(SPEC, 'units: 8', 1)), { path: ['model', 1, 'layer', 'units'], onKey: true });
    assert.deepEqual(keyPathAt(SPEC, offsetOf(SPEC, '0.8')), { path: ['train', 'optimizer', 'beta_1'], onKey: false });
  });

  it('answers nothing outside the document', () => {
    assert.equal(keyPathAt('', 0), undefined);
  });
});

describe('documentationFor', () => {
  it('documents a layer field by the layer kind the text declares', () => {
    const lstmUnits = documentationFor(['model', 0, 'units'], 'model:\n  - type: lstm\n    units: 4\n');
    const denseUnits = documentationFor(['model', 0, 'units'], 'model:\n  - type: dense\n    units: 4\n');
    assert.match(lstmUnits ?? '', /hidden state/);
    assert.match(denseUnits ?? '', /output units/);
  });

  it('documents the recurrent layer inside a bidirectional wrapper', () => {
    assert.match(documentationFor(['model', 1, 'layer', 'type'], SPEC) ?? '', /Gated Recurrent Unit/);
    assert.match(documentationFor(['model', 1, 'layer', 'units'], SPEC) ?? '', /hidden state/);
  });

  it('describes the kind of a layer from its type', () => {
    assert.match(documentationFor(['model', 0, 'type'], SPEC) ?? '', /token ids into dense vectors/);
  });

  it('includes type, bounds and default', () => {
    const doc = documentationFor(['model', 0, 'recurrent_dropout'], 'model:\n  - type: lstm\n') ?? '';
    assert.match(doc, /a number, at least 0 and below 1/);
    assert.match(doc, /Default: `0`/);
    assert.match(documentationFor(['data', 'padding']) ?? '', /one of `pre`, `post`/);
  });

  it('documents both forms of optimizer and validation', () => {
    assert.match(documentationFor(['train', 'optimizer']) ?? '', /a name .* or a mapping/);
    assert.match(documentationFor(['train', 'optimizer', 'beta_1']) ?? '', /first-moment/);
    assert.match(documentationFor(['data', 'validation', 'split']) ?? '', /held out/);
  });

  it('returns nothing for keys the schema does not have', () => {
    assert.equal(documentationFor(['data', 'nonsense']), undefined);
    assert.equal(documentationFor(['model', 0, 'nonsense'], SPEC), undefined);
  });
});

describe('completionsAt', () => {
  it('offers the missing top-level sections at column 0', () => {
    const { text, offset } = typing('train:', '');
    assert.deepEqual(labels(text, offset).sort(), ['description', 'inspect']);
  });

  it('offers the fields of the section being typed in, minus those present', () => {
    const { text, offset } = typing('  validation', '  to');
    const keys = labels(text, offset);
    assert.ok(keys.includes('tokenizer') && keys.includes('task'));
    assert.ok(!keys.includes('source') && !keys.includes('max_len'));
    assert.equal(completionsAt(text, offset).find((completion) => completion.label === 'task')?.insertText, 'task: ');
  });

  it('offers a layer kind with its required fields as a snippet on a new model item', () => {
    const { text, offset } = typing('train:', '  - ');
    const completions = completionsAt(text, offset);
    assert.deepEqual(
      completions.map((completion) => completion.label),
      ['embedding', 'simple_rnn', 'lstm', 'gru', 'bidirectional', 'dense', 'dropout', 'time_distributed'],
    );
    const lstm = completions.find((completion) => completion.label === 'lstm');
    assert.equal(lstm?.kind, 'layer');
    assert.equal(lstm?.insertText, 'type: lstm\n  units: ${1:64}');
  });

  it('offers layer kinds as values of `type`, aligned under the key', () => {
    const { text, offset } = typing('train:', '  - type: ');
    const dense = completionsAt(text, offset).find((completion) => completion.label === 'dense');
    assert.equal(dense?.kind, 'value');
    assert.equal(dense?.insertText, 'dense\n  units: ${1:1}');
  });

  it("offers the fields of the layer's own kind", () => {
    const afterEmbedding = typing('  - type: bidirectional', '    ');
    assert.deepEqual(labels(afterEmbedding.text, afterEmbedding.offset), ['input_dim', 'mask_zero']);
    const afterBidirectional = typing('  - type: dense', '    m');
    assert.deepEqual(labels(afterBidirectional.text, afterBidirectional.offset), ['merge_mode']);
  });

  it('offers enum values, booleans and built-in sources', () => {
    const activation = typing('train:', '    activation: ');
    assert.ok(labels(activation.text, activation.offset).includes('softmax'));
    const padding = typing('  validation', '  padding: ');
    assert.deepEqual(labels(padding.text, padding.offset), ['pre', 'post']);
    const shuffle = { text: `${SPEC}  shuffle: `, offset: SPEC.length + '  shuffle: '.length };
    assert.deepEqual(labels(shuffle.text, shuffle.offset), ['true', 'false']);
    const source = { text: 'data:\n  source: ', offset: 'data:\n  source: '.length };
    assert.ok(labels(source.text, source.offset).includes('builtin:adding'));
    assert.ok(labels(source.text, source.offset).includes('imdb'));
  });

  it('offers metric names as list items', () => {
    const text = 'train:\n  metrics:\n    - ';
    assert.deepEqual(labels(text, text.length), ['accuracy', 'precision', 'recall', 'f1_score', 'auc', 'mae', 'mse']);
  });

  it('offers nothing in the middle of a comment or a value it cannot know', () => {
    const comment = '# a comm';
    assert.deepEqual(completionsAt(comment, comment.length), []);
    const name = 'name: my-';
    assert.deepEqual(completionsAt(name, name.length), []);
  });
});

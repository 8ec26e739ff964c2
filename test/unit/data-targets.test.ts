/**
 * Targets must fit the model, checked the moment the data is read: classes found = output units
 * (integer labels are Keras class ids counted from 0), token ids within the embedding and the
 * next-token output; class counts and which label got which id are reported; one dominant class
 * and numbers in a text column are warned about.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareData } from '../../src/data/prepare';
import { createEncoder } from '../../src/data/preprocessing';
import { DataError } from '../../src/data/types';
import type { DataSpec, LayerSpec, LossName, ModelSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-targets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, rows: [string, string][]): string {
  writeFileSync(join(dir, name), ['text,label', ...rows.map(([text, label]) => `${text},${label}`)].join('\n'));
  return name;
}

const lstm: LayerSpec = { type: 'lstm', units: 4, activation: 'tanh', recurrent_activation: 'sigmoid', return_sequences: false, dropout: 0, recurrent_dropout: 0, go_backwards: false, unit_forget_bias: true };

function modelSpec(data: Partial<DataSpec> & Pick<DataSpec, 'source'>, units: number, loss: LossName = 'sparse_categorical_crossentropy', inputDim?: number): ModelSpec {
  const spec = specWith({ task: 'multiclass', validation: { split: 0.25 }, ...data });
  const output: LayerSpec =
    spec.data.task === 'next-token'
      ? { type: 'time_distributed', layer: { type: 'dense', units, activation: 'softmax' } }
      : { type: 'dense', units, activation: loss === 'binary_crossentropy' ? 'sigmoid' : 'softmax' };
  const embedding: LayerSpec = { type: 'embedding', output_dim: 4, mask_zero: false, ...(inputDim !== undefined ? { input_dim: inputDim } : {}) };
  return { ...spec, model: [embedding, spec.data.task === 'next-token' ? { ...lstm, return_sequences: true } as LayerSpec : lstm, output], train: { ...spec.train, loss } };
}

const rowsWith = (labels: string[]): [string, string][] => labels.map((label, i) => [`text number ${i} about ${label}`, label]);
const rejects = (spec: ModelSpec, pattern: RegExp) =>
  assert.rejects(prepareData(spec, { specDir: dir }), (error: unknown) => {
    assert.ok(error instanceof DataError, String(error));
    assert.match(error.message, pattern);
    return true;
  });

describe('classes found must equal the output units, before the first batch', () => {
  const oneTwoThree = rowsWith(['1', '2', '3', '1', '2', '3', '1', '2', '3', '1', '2', '3']);

  it('integer labels 1..3 with 3 units: an error naming 4 and 3, the file and both fixes (never an all-zero target)', async () => {
    const source = csv('one-two-three.csv', oneTwoThree);
    await rejects(
      modelSpec({ source }, 3),
      /one-two-three\.csv: the labels run from 1 to 3, and integer labels are class ids counted from 0 \(as in Keras\), so they need 4 output units \(id 0 unused\), but the output layer has 3 units: renumber the labels to start at 0 \(0 to 2\), or set `units: 4`\./,
    );
  });

  it('integer labels 1..3 train with 4 units, and the report says which label got which id', async () => {
    const prepared = await prepareData(modelSpec({ source: csv('one-two-three-ok.csv', oneTwoThree) }, 4), { specDir: dir });
    assert.deepEqual(
      prepared.stats.classCounts?.map(({ label, id, train, validation }) => [label, id, train + validation]),
      [['0', 0, 0], ['1', 1, 4], ['2', 2, 4], ['3', 3, 4]],
    );
    assert.equal(prepared.stats.classes, 4);
  });

  it('named labels with too few units: an error listing the mapping', async () => {
    const source = csv('named.csv', rowsWith(['neg', 'neutral', 'pos', 'neg', 'neutral', 'pos', 'neg', 'neutral', 'pos']));
    await rejects(modelSpec({ source }, 2), /named\.csv: the data has 3 classes \("neg" → 0, "neutral" → 1, "pos" → 2\), but the output layer has 2 units: set `units: 3`\./);
    const prepared = await prepareData(modelSpec({ source }, 3), { specDir: dir });
    assert.deepEqual(prepared.preprocessing.classes?.names, ['neg', 'neutral', 'pos']);
  });

  it('too many units for integer ids: suggests the unit count, or num_classes when classes are missing from the data', async () => {
    const source = csv('zero-one-two.csv', rowsWith(['0', '1', '2', '0', '1', '2', '0', '1']));
    await rejects(modelSpec({ source }, 5), /the data has 3 classes \("0" → 0, "1" → 1, "2" → 2\), but the output layer has 5 units: set `units: 3`, or set `data.num_classes: 5` if the data lacks some classes\./);
    await prepareData(modelSpec({ source, num_classes: 5 }, 5), { specDir: dir });
  });

  it('next-token: a character vocabulary larger than the output layer, and an embedding too small for it', async () => {
    writeFileSync(join(dir, 'chars.txt'), 'abcdefgh '.repeat(40));
    const tokenizer = { level: 'char' as const, lowercase: true, strip_html: false, oov_token: '~' };
    const data = { source: 'chars.txt', task: 'next-token' as const, max_len: 8, tokenizer };
    await rejects(
      modelSpec(data, 6),
      /chars\.txt: the data's vocabulary has 11 token ids \(9 characters \+ padding \+ OOV\), but the output layer has 6 units, so some targets have no unit: set `units: 11`\./,
    );
    await rejects(modelSpec(data, 11, 'sparse_categorical_crossentropy', 5), /the data's vocabulary has 11 token ids, but the embedding's `input_dim` is 5/);
    const prepared = await prepareData(modelSpec(data, 11), { specDir: dir });
    assert.equal(prepared.vocabulary?.tokens.length, 11);
  });
});

describe('warnings before training', () => {
  it('one class holding 90% or more of the training examples, with the class_weight advice', async () => {
    const labels = [...Array(38).fill('ham'), 'spam', 'spam'];
    const prepared = await prepareData(modelSpec({ source: csv('spam.csv', rowsWith(labels)), task: 'binary', validation: { split: 0 } }, 1, 'binary_crossentropy'), { specDir: dir });
    assert.deepEqual(prepared.stats.warnings, [
      'One class dominates: "ham" is 95% of the training examples (38 of 40), so always predicting it already scores 95% accuracy. Set `train.class_weight: balanced` to weigh the rarer classes up, and judge the model by precision and recall.',
    ]);
    const balanced = await prepareData(modelSpec({ source: csv('even.csv', rowsWith(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'])), task: 'binary' }, 1, 'binary_crossentropy'), { specDir: dir });
    assert.equal(balanced.stats.warnings, undefined);
  });

  it('a text column holding only numbers, saying what numeric input is supported', async () => {
    const source = csv('numbers.csv', [['0.5', '1'], ['12', '0'], ['-3.25', '1'], ['7', '0'], ['1e3', '1']]);
    const prepared = await prepareData(modelSpec({ source, task: 'binary' }, 1, 'binary_crossentropy'), { specDir: dir });
    assert.equal(prepared.stats.warnings?.length, 1);
    assert.match(prepared.stats.warnings![0]!, /^The text column "text" holds only numbers, so each distinct number becomes a word token.*`task: forecast` with `data.columns.value` \(one column, or a list of columns for several features per step\); classifying windows of numeric columns is not supported\.$/);
    const words = await prepareData(modelSpec({ source: csv('mixed.csv', [['0.5', '1'], ['twelve', '0'], ['3', '1'], ['7', '0']]), task: 'binary' }, 1, 'binary_crossentropy'), { specDir: dir });
    assert.equal(words.stats.warnings, undefined);
  });
});

describe('regression targets in the data units', () => {
  it('normalize_target scales the targets with training statistics and the state undoes it', async () => {
    const prices = [150000, 320000, 990000, 410000, 275000, 610000, 830000, 120000];
    const source = csv('prices.csv', prices.map((price, i) => [`house number ${i}`, String(price)]));
    const prepared = await prepareData(modelSpec({ source, task: 'regression', validation: { split: 0 }, normalize_target: 'zscore' }, 1, 'mse'), { specDir: dir });
    const y = [...prepared.train.y];
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    assert.ok(Math.abs(mean) < 1e-6 && Math.abs(y.reduce((a, b) => a + b * b, 0) / y.length - 1) < 1e-5);
    const stats = prepared.preprocessing.normalization?.target;
    assert.equal(stats?.method, 'zscore');
    assert.equal(stats?.column, 'label');
    assert.deepEqual(prepared.stats.targetScale, { method: 'zscore', offset: stats?.offset, scale: stats?.scale });
    const back = createEncoder(prepared.preprocessing).toDataUnits(prepared.train.y).sort((a, b) => a - b);
    back.forEach((value, i) => assert.ok(Math.abs(value - [...prices].sort((a, b) => a - b)[i]!) < 0.1, `${value}`));

    const raw = await prepareData(modelSpec({ source, task: 'regression', validation: { split: 0 } }, 1, 'mse'), { specDir: dir });
    assert.deepEqual([...raw.train.y].sort((a, b) => a - b), [...prices].sort((a, b) => a - b));
    assert.equal(raw.preprocessing.normalization, undefined);
  });

  it('a regression target beyond float32 is refused with its line', async () => {
    const source = csv('overflow.csv', [['a', '1'], ['b', '1e39'], ['c', '2']]);
    await rejects(modelSpec({ source, task: 'regression', validation: { split: 0 } }, 1, 'mse'), /overflow\.csv:3: the target 1e\+39 is beyond the range of the 32-bit floats/);
  });
});

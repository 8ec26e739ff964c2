/**
 * "From my CSV/text file": every kind of file a learner brings gets a spec that checks clean and
 * whose data really loads and fits the model as written (prepareData refuses a model whose outputs
 * do not match the classes found).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareData } from '../../src/data/prepare';
import { specFromDataFile } from '../../src/data/specFromData';
import { checkSpec } from '../../src/language/check';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-spec-from-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const WORDS = ['good', 'bad', 'great', 'awful', 'plot', 'actors', 'film', 'music', 'boring', 'moving', 'the', 'was', 'not'];
/** Deterministic pseudo-random picks (a fixed LCG): the same files on every run. */
function picker(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}
const pick = picker(7);
const sentence = (length: number) => Array.from({ length }, () => WORDS[pick(WORDS.length)]).join(' ');

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The inferred spec, saved beside the data: it must check clean, and its data must load and fit. */
async function inferAndLoad(file: string) {
  const inferred = await specFromDataFile(file, { name: 'my model', specDir: dir });
  const check = checkSpec(inferred.text, { specPath: join(dir, 'my-model.seqlab.yaml') });
  assert.deepEqual(
    check.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
    inferred.text,
  );
  assert.ok(check.spec);
  assert.equal(check.spec.name, 'my model');
  const data = await prepareData(check.spec, { specDir: dir, quick: true, previewExamples: 200 });
  return { inferred, spec: check.spec, data };
}

const rows = (count: number, row: (i: number) => string) => Array.from({ length: count }, (_, i) => row(i)).join('\n');

describe('a spec from the user’s own data file', () => {
  it('a CSV of reviews with two string labels: binary, columns found by name, sized from the data', async () => {
    const file = write('reviews.csv', `id,review,sentiment\n${rows(300, (i) => `${i},"${sentence(5 + (i % 20))}",${i % 2 ? 'pos' : 'neg'}`)}\n`);
    const { inferred, spec, data } = await inferAndLoad(file);
    assert.equal(inferred.task, 'binary');
    assert.deepEqual(spec.data.columns, { text: 'review', label: 'sentiment', value: 'value' });
    assert.equal(spec.data.source, 'reviews.csv');
    assert.ok(spec.data.max_len !== undefined && spec.data.max_len >= 20 && spec.data.max_len <= 24, `max_len ${spec.data.max_len}`);
    assert.equal(spec.data.tokenizer.vocab_size, WORDS.length + 2);
    assert.equal(data.stats.trainSamples > 0, true);
    assert.match(inferred.text, /^# Written by "New Spec from Template" from reviews\.csv:\n# - 300 examples; text column "review", label column "sentiment"\./);
  });

  it('JSON lines with integer labels 1..3: multiclass with one output per class id, 0 included', async () => {
    const file = write('topics.jsonl', `${rows(240, (i) => JSON.stringify({ body: sentence(6), topic: 1 + (i % 3) }))}\n`);
    const { inferred, spec } = await inferAndLoad(file);
    assert.equal(inferred.task, 'multiclass');
    assert.deepEqual(spec.model.at(-1), { type: 'dense', units: 4, activation: 'softmax' });
  });

  it('a TSV whose columns have no telling names: the longest text and the fewest distinct values', async () => {
    const file = write('data.tsv', `a\tb\tc\n${rows(200, (i) => `${sentence(8)}\t${['x', 'y', 'z'][i % 3]}\t${i}`)}\n`);
    const { inferred, spec } = await inferAndLoad(file);
    assert.equal(inferred.task, 'multiclass');
    assert.deepEqual([spec.data.columns.text, spec.data.columns.label], ['a', 'b']);
    assert.deepEqual(spec.model.at(-1), { type: 'dense', units: 3, activation: 'softmax' });
  });

  it('label<TAB>text lines (the UCI SMS layout): binary', async () => {
    const file = write('messages.txt', `${rows(200, (i) => `${i % 4 ? 'ham' : 'spam'}\t${sentence(7)}`)}\n`);
    assert.equal((await inferAndLoad(file)).inferred.task, 'binary');
  });

  it('a table with a date column and one numeric column: forecast on the numbers', async () => {
    const file = write('passengers.csv', `"Month","Passengers"\n${rows(144, (i) => `"19${49 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}",${100 + i + (i % 12) * 5}`)}\n`);
    const { inferred, spec } = await inferAndLoad(file);
    assert.equal(inferred.task, 'forecast');
    assert.equal(spec.data.columns.value, 'Passengers');
    assert.equal(spec.data.window?.lookback, 12);
  });

  it('one number per line: forecast, with a lookback that leaves windows to train on', async () => {
    const file = write('series.txt', `${rows(30, (i) => String(Math.sin(i / 3)))}\n`);
    const { inferred, spec } = await inferAndLoad(file);
    assert.equal(inferred.task, 'forecast');
    assert.equal(spec.data.window?.lookback, 5);
  });

  it('running text: character-level next-token with one output per character id', async () => {
    const file = write('story.txt', `${rows(60, () => `${sentence(9)}.`)}\n`);
    const { inferred, spec, data } = await inferAndLoad(file);
    assert.equal(inferred.task, 'next-token');
    const output = spec.model.at(-1);
    assert.ok(output?.type === 'time_distributed');
    assert.equal(output.layer.units, data.stats.classes);
  });

  it('refuses what holds nothing to learn, and unsupported files, in one sentence', async () => {
    await assert.rejects(specFromDataFile(write('table.parquet', 'PAR1'), { name: 'x', specDir: dir }), /this kind of file is not supported/);
    await assert.rejects(specFromDataFile(write('ids.csv', 'id\n1\n2\n3\n'), { name: 'x', specDir: dir }), (error: Error) => error.name === 'DataError');
  });

  // The shared data sets sit beside the checkout (../shared/data), or beside the folder of worktrees.
  const root = join(__dirname, '..', '..');
  const shared = [join(root, '..', 'shared', 'data'), join(root, '..', '..', 'shared', 'data')].find((candidate) => existsSync(candidate)) ?? join(root, '..', 'shared', 'data');
  for (const [file, task] of [
    ['sms-spam/SMSSpamCollection', 'binary'],
    ['airline-passengers/airline-passengers.csv', 'forecast'],
    ['tiny-shakespeare/input.txt', 'next-token'],
  ] as const) {
    const path = join(shared, file);
    it(`the shared data set ${file}: ${task}`, { skip: existsSync(path) ? false : `${path} is absent (the same kinds are tested on generated files above)` }, async () => {
      const inferred = await specFromDataFile(path, { name: 'shared', specDir: dir });
      assert.equal(inferred.task, task);
      const check = checkSpec(inferred.text, { specPath: join(dir, 'shared.seqlab.yaml') });
      assert.deepEqual(check.diagnostics.filter((d) => d.severity === 'error'), []);
    });
  }
});

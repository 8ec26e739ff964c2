/**
 * `data.imdb_preprocessing: keras` end to end: Keras' `imdb.load_data` arrays from an IMDB copy
 * (CSV form) this test writes, with every id worked out by hand, then Keras' published counts on
 * the real dataset when it is beside the project.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readLocalImdb } from '../../src/data/imdb';
import { KerasImdbEncoder } from '../../src/data/imdbKeras';
import { prepareData } from '../../src/data/prepare';
import { createEncoder, parsePreprocessingState } from '../../src/data/preprocessing';
import type { Split } from '../../src/data/types';
import type { DataSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

const root = mkdtempSync(join(tmpdir(), 'seqlab-imdb-keras-'));
after(() => rmSync(root, { recursive: true, force: true }));

type Row = [id: number, rating: number, label: 0 | 1, text: string];

// Training counts: bad 3, movie 3, br 3, good 3, a 2, then acting, boring, fun, film once each.
// Ranks (ties in order of first appearance): bad 1, movie 2, br 3, good 4, a 5, acting 6,
// boring 7, fun 8, film 9; id = rank + 3.
const TRAIN: Row[] = [
  [0, 1, 0, 'Bad movie.<br /><br />Bad acting.'],
  [1, 2, 0, 'A bad, boring movie'],
  [0, 9, 1, 'Good movie.<br />Good fun!'],
  [1, 8, 1, 'A good film'],
];
const TEST: Row[] = [
  [0, 3, 0, 'Boring, awful movie'],
  [0, 10, 1, 'Good film, great fun<br />'],
];

function writeCsvCopy(): string {
  const folder = join(root, 'csv');
  mkdirSync(folder, { recursive: true });
  const csv = (rows: Row[]) => gzipSync(['id,rating,label,text', ...rows.map(([id, rating, label, text]) => `${id},${rating},${label},"${text}"`)].join('\n'));
  writeFileSync(join(folder, 'imdb_train.csv.gz'), csv(TRAIN));
  writeFileSync(join(folder, 'imdb_test.csv.gz'), csv(TEST));
  return folder;
}

const copy = writeCsvCopy();

function kerasSpec(data: Partial<DataSpec> = {}) {
  return specWith({
    source: 'imdb',
    imdb_path: copy,
    imdb_preprocessing: 'keras',
    validation: { source: 'test' },
    max_len: 6,
    tokenizer: { level: 'word', vocab_size: 10, lowercase: true, strip_html: true, oov_token: '<OOV>' },
    ...data,
  });
}

/** "label: ids" per example, sorted: the pipeline shuffles examples with the seed. */
function rows(split: Split): string[] {
  const width = split.xShape[1];
  return Array.from({ length: split.count }, (_, i) => `${split.y[i]}: ${split.x.slice(i * width, (i + 1) * width).join(' ')}`).sort();
}

describe('imdb_preprocessing: keras on an IMDB copy this test writes', () => {
  it('gives the arrays of Keras load_data(num_words=10), padded and truncated like pad_sequences', async () => {
    const data = await prepareData(kerasSpec(), { specDir: root });
    assert.deepEqual(data.vocabulary?.tokens, ['', '<START>', '<OOV>', '<UNUSED>', 'bad', 'movie', 'br', 'good', 'a', 'acting']);
    assert.deepEqual(rows(data.train), [
      // [1, 8, 4, 2, 5]: "boring" (rank 7, id 10) is past num_words: OOV.
      '0: 0 1 8 4 2 5',
      // [1, 4, 5, 6, 6, 4, 9] truncated at the front: the start token goes, as in Keras.
      '0: 4 5 6 6 4 9',
      '1: 0 0 1 8 7 2',
      '1: 1 7 5 6 7 2',
    ]);
    // "awful" and "great" never occur in training: skipped, not OOV.
    assert.deepEqual(rows(data.validation), ['0: 0 0 0 1 2 5', '1: 0 1 7 2 2 6']);
  });

  it('encodes probe text, and new text through the saved state (predict), exactly as the reviews', async () => {
    const data = await prepareData(kerasSpec(), { specDir: root });
    const probe = data.encodeText('Good film, great fun<br />');
    assert.deepEqual(Array.from(probe.x), [0, 1, 7, 2, 2, 6]);
    assert.deepEqual(probe.tokens, ['', '<START>', 'good', '<OOV>', '<OOV>', 'br']);
    const saved = parsePreprocessingState(JSON.parse(JSON.stringify(data.preprocessing)));
    assert.equal(saved.tokenizer?.kind, 'keras-imdb');
    // Every training word, so that a rare training word (OOV) and an unseen one (skipped) differ.
    assert.deepEqual(saved.tokenizer?.kind === 'keras-imdb' && saved.tokenizer.words, ['bad', 'movie', 'br', 'good', 'a', 'acting', 'boring', 'fun', 'film']);
    const reloaded = createEncoder(saved).encode('Good film, great fun<br />');
    assert.deepEqual([Array.from(reloaded.x), reloaded.tokens], [Array.from(probe.x), probe.tokens]);
  });

  it('ranks words on every training review, whatever slice is trained on (as Keras does)', async () => {
    const whole = await prepareData(kerasSpec(), { specDir: root });
    const slice = await prepareData(kerasSpec({ limit: 2, seed: 1 }), { specDir: root });
    assert.equal(slice.train.count, 2);
    assert.deepEqual(slice.vocabulary?.tokens, whole.vocabulary?.tokens);
  });

  it('keeps the tokenizer preprocessing as the default: tags stripped, no start token, unseen words OOV', async () => {
    const data = await prepareData(kerasSpec({ imdb_preprocessing: 'tokenizer' }), { specDir: root });
    assert.ok(!data.vocabulary?.tokens.includes('br'));
    assert.deepEqual(data.vocabulary?.tokens.slice(0, 2), ['', '<OOV>']);
    assert.deepEqual(Array.from(data.encodeText('great').x), [0, 0, 0, 0, 0, 1]);
  });
});

/** The full dataset, for developers: `../shared/data/imdb` beside the checkout (or its worktree folder). */
const SHARED_IMDB = [join(__dirname, '..', '..', '..', 'shared', 'data', 'imdb'), join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'imdb')].find(
  (folder) => existsSync(join(folder, 'imdb_train.csv.gz')),
);

describe('imdb_preprocessing: keras on the real IMDB reviews', () => {
  it(
    "matches Keras' published counts: load_data(maxlen=50 / 100 / 200) keeps 477/558, 2,773/2,963, 14,244/14,669 reviews",
    { skip: SHARED_IMDB ? false : 'the IMDB copy (../shared/data/imdb beside the project) is not here' },
    async () => {
      const splits = await readLocalImdb(SHARED_IMDB!);
      const encoder = KerasImdbEncoder.fit(
        splits.train.examples.map((example) => example.text),
        { numWords: 10000 },
      );
      // Keras' word index (get_word_index()): the most frequent words, "br" 7th.
      assert.deepEqual(encoder.words.slice(0, 10), ['the', 'and', 'a', 'of', 'to', 'is', 'br', 'in', 'it', 'i']);
      const lengths = (examples: { text: string }[]) => examples.map((example) => encoder.encode(example.text).length);
      const train = lengths(splits.train.examples);
      const test = lengths(splits.test.examples);
      // Keras' remove_long_seq keeps sequences shorter than maxlen, start token included.
      const kept = (maxlen: number) => [train.filter((n) => n < maxlen).length, test.filter((n) => n < maxlen).length];
      assert.deepEqual([50, 100, 200].map(kept), [
        [477, 558],
        [2773, 2963],
        [14244, 14669],
      ]);
    },
  );
});

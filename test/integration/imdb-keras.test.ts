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
import { splitTokens } from '../../src/data/tokenizer';
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
    "matches Keras' published counts (load_data(maxlen=50 / 100 / 200) keeps 477/558, 2,773/2,963, 14,244/14,669 reviews) and x_train[0]",
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

      // Keras' x_train[0] as its tutorials print it (train/pos/576_10.txt). Words of equal count are
      // ranked in an order Keras never documented, so ids may differ only within such a tie.
      const review = splits.train.examples.find((example) => example.text.startsWith('this film was just brilliant,casting'));
      assert.ok(review, 'the review of Keras x_train[0] is in the training split');
      const ours = Array.from(encoder.encode(review.text));
      assert.equal(ours.length, KERAS_X_TRAIN_0.length);
      const counts = new Map<string, number>();
      for (const example of splits.train.examples) for (const word of splitTokens(example.text, KERAS_WORDS)) counts.set(word, (counts.get(word) ?? 0) + 1);
      const countOfId = (id: number) => (id < 4 ? -id : counts.get(encoder.words[id - 4]));
      assert.deepEqual(ours.map(countOfId), KERAS_X_TRAIN_0.map(countOfId));
      assert.ok(ours.filter((id, i) => id === KERAS_X_TRAIN_0[i]).length >= 190, 'most ids are equal, not merely tied');
    },
  );
});

const KERAS_WORDS = { level: 'word', lowercase: true, strip_html: false } as const;

const KERAS_X_TRAIN_0 = [
  1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65, 458, 4468, 66, 3941, 4, 173, 36, 256, 5, 25, 100, 43, 838, 112, 50, 670, 2, 9,
  35, 480, 284, 5, 150, 4, 172, 112, 167, 2, 336, 385, 39, 4, 172, 4536, 1111, 17, 546, 38, 13, 447, 4, 192, 50, 16, 6, 147,
  2025, 19, 14, 22, 4, 1920, 4613, 469, 4, 22, 71, 87, 12, 16, 43, 530, 38, 76, 15, 13, 1247, 4, 22, 17, 515, 17, 12, 16, 626,
  18, 2, 5, 62, 386, 12, 8, 316, 8, 106, 5, 4, 2223, 5244, 16, 480, 66, 3785, 33, 4, 130, 12, 16, 38, 619, 5, 25, 124, 51, 36,
  135, 48, 25, 1415, 33, 6, 22, 12, 215, 28, 77, 52, 5, 14, 407, 16, 82, 2, 8, 4, 107, 117, 5952, 15, 256, 4, 2, 7, 3766, 5,
  723, 36, 71, 43, 530, 476, 26, 400, 317, 46, 7, 4, 2, 1029, 13, 104, 88, 4, 381, 15, 297, 98, 32, 2071, 56, 26, 141, 6, 194,
  7486, 18, 4, 226, 22, 21, 134, 476, 26, 480, 5, 144, 30, 5535, 18, 51, 36, 28, 224, 92, 25, 104, 4, 226, 65, 16, 38, 1334,
  88, 12, 16, 283, 5, 16, 4472, 113, 103, 32, 15, 16, 5345, 19, 178, 32,
];

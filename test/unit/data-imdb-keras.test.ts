/**
 * Keras' `imdb.load_data` rules (keras/src/datasets/imdb.py) on reviews this test writes, with the
 * ids worked out by hand: start token, index_from 3, ranks on training words only, OOV for rare
 * training words, unseen words skipped, `<br />` kept as "br", skip_top.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KerasImdbEncoder, rankWords } from '../../src/data/imdbKeras';
import { DataError } from '../../src/data/types';

// Counts: the 5, good 3, br 2, movie 2, bad 2, a 1, plot 1 (ties keep first appearance).
const TRAIN = ['The movie was<br />good.', 'Good, GOOD plot; the the bad', 'A bad<br/>movie!', 'the the'];
const RANKED = ['the', 'good', 'movie', 'br', 'bad', 'was', 'plot', 'a'];

describe('Keras IMDB word index', () => {
  it('ranks training words by count, ties in order of first appearance, keeping "br" from <br />', () => {
    assert.deepEqual(rankWords(TRAIN), RANKED);
  });

  it('labels the reserved ids and keeps num_words - 4 words (id 3 is never used)', () => {
    const encoder = KerasImdbEncoder.fit(TRAIN, { numWords: 8 });
    assert.deepEqual(encoder.vocabulary.tokens, ['', '<START>', '<OOV>', '<UNUSED>', 'the', 'good', 'movie', 'br']);
    assert.equal(encoder.vocabulary.tokens.length, 8, 'the embedding input_dim is num_words');
  });

  it("without num_words keeps every word but the rarest, as Keras' None (the largest id) does", () => {
    const encoder = KerasImdbEncoder.fit(TRAIN, {});
    assert.equal(encoder.vocabulary.tokens.length, RANKED.length + 3);
    assert.deepEqual(Array.from(encoder.encode('plot a')), [1, 10, 2]);
  });

  it('refuses a num_words that leaves no word', () => {
    assert.throws(() => KerasImdbEncoder.fit(TRAIN, { numWords: 4 }), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.match(error.message, /vocab_size` is 4; .* at least 5/);
      return true;
    });
  });
});

describe('Keras IMDB encoding', () => {
  it('survives its saved state: the same ids after toState / fromState through JSON', () => {
    const encoder = KerasImdbEncoder.fit(TRAIN, { numWords: 8, skipTop: 5 });
    const reloaded = KerasImdbEncoder.fromState(JSON.parse(JSON.stringify(encoder.toState())));
    for (const text of ['the good movie', 'Awful plot, bad awful movie<br />']) assert.deepEqual(reloaded.encode(text), encoder.encode(text));
    assert.deepEqual(reloaded.vocabulary, encoder.vocabulary);
  });

  const encode = (text: string, numWords: number, skipTop?: number) =>
    Array.from(KerasImdbEncoder.fit(TRAIN, { numWords, ...(skipTop !== undefined ? { skipTop } : {}) }).encode(text));

  it('starts with 1 and gives a word of rank r the id r + 3', () => {
    assert.deepEqual(encode('The movie was good', 100), [1, 4, 6, 9, 5]);
  });

  it('makes training words past num_words OOV (2) and skips words never seen in training', () => {
    // "plot" (rank 7, id 10) and "bad" (rank 5, id 8) are cut by num_words 8; "awful" was never seen.
    assert.deepEqual(encode('Awful plot, bad awful movie<br />', 8), [1, 2, 2, 6, 7]);
  });

  it('turns ids below skip_top into OOV, the start token included, as Keras does', () => {
    assert.deepEqual(encode('the good movie', 100, 5), [2, 2, 5, 6]);
  });

  it('encodes an empty or all-unseen review as the start token alone', () => {
    assert.deepEqual(encode('', 100), [1]);
    assert.deepEqual(encode('Nothing here was seen... except WAS', 100), [1, 9, 9]);
  });
});

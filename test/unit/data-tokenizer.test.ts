import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenizerSpec } from '../../src/language/types';
import { longestLength, padOne, padSequences } from '../../src/data/padding';
import { stripHtmlTags } from '../../src/data/html';
import { splitTokens, Tokenizer, TokenizerFitter } from '../../src/data/tokenizer';

const words = (overrides: Partial<TokenizerSpec> = {}): TokenizerSpec => ({
  level: 'word',
  vocab_size: 10000,
  lowercase: true,
  strip_html: true,
  oov_token: '<OOV>',
  ...overrides,
});

describe('tokenizer (Keras Tokenizer semantics)', () => {
  it('splits on Keras default filters and spaces, keeping apostrophes', () => {
    assert.deepEqual(splitTokens("Hello, world! It's e-mail: a@b.c\tend\nnow", words()), [
      'hello', 'world', "it's", 'e', 'mail', 'a', 'b', 'c', 'end', 'now',
    ]);
  });

  it('strips HTML tags such as <br /> only when asked (Keras alone keeps "br")', () => {
    assert.deepEqual(splitTokens('Great<br /><br />movie', words()), ['great', 'movie']);
    assert.deepEqual(splitTokens('Great<br /><br />movie', words({ strip_html: false })), ['great', 'br', 'br', 'movie']);
  });

  it('strips only real tags: comparisons and angle-bracketed words stay, and the removal is counted', () => {
    const removal = { tags: 0, characters: 0 };
    const code = 'if x < 3 then a\nelse y > 2, see <the manual> and a<b and c>d';
    assert.deepEqual(stripHtmlTags(code, removal), code);
    assert.deepEqual(removal, { tags: 0, characters: 0 });
    const review = 'Great<br /><br />film. <p class="x">I <i>loved</i> it</P><a href="https://x.y/?a=1">link</a><BR>';
    assert.equal(stripHtmlTags(review, removal), 'Great  film.  I  loved  it  link  ');
    const kept = ['Great', 'film. ', 'I ', 'loved', ' it', 'link'].join('').length;
    assert.deepEqual(removal, { tags: 9, characters: review.length - kept });
    assert.deepEqual(splitTokens('x <3 y, z > 2', words({ level: 'char', lowercase: false })).join(''), 'x <3 y, z > 2');
  });

  it('keeps case when lowercase is off', () => {
    assert.deepEqual(splitTokens('The Cat', words({ lowercase: false })), ['The', 'Cat']);
  });

  it('char level keeps every character, spaces and punctuation included', () => {
    assert.deepEqual(splitTokens('Ab, a', words({ level: 'char' })), ['a', 'b', ',', ' ', 'a']);
  });

  it('matches Keras word_index and texts_to_sequences with num_words', () => {
    // Keras: Tokenizer(num_words=5, oov_token='<OOV>').fit_on_texts(texts)
    // word_index: <OOV>=1, the=2, cat=3, sat=4, on=5, mat=6, dog=7 ...; ids >= num_words become 1.
    const texts = ['The cat sat on the mat.', 'The dog ate my homework!'];
    const { tokenizer, encoded } = Tokenizer.fit(texts, words({ vocab_size: 5 }));
    assert.deepEqual(tokenizer.vocabulary.tokens, ['', '<OOV>', 'the', 'cat', 'sat']);
    assert.deepEqual([...encoded[0]], [2, 3, 4, 1, 2, 1]);
    assert.deepEqual([...encoded[1]], [2, 1, 1, 1, 1]);
    assert.deepEqual([...tokenizer.encode('the mat sat')], [2, 1, 4]);
  });

  it('orders by frequency, breaking ties by first appearance', () => {
    const { tokenizer } = Tokenizer.fit(['b a c', 'c a', 'd'], words());
    // counts: a 2, c 2, b 1, d 1 -> a before c (a seen first), b before d.
    assert.deepEqual(tokenizer.vocabulary.tokens.slice(2), ['a', 'c', 'b', 'd']);
  });

  it('counts a literal OOV token like Keras: it gets its frequency id, which unknown words then share', () => {
    // Keras: Tokenizer(oov_token='unk').fit_on_texts(['good unk good']): word_counts good 2, unk 1;
    // sorted_voc ['unk', 'good', 'unk'] -> word_index {unk: 3, good: 2} (the later index wins),
    // so texts_to_sequences(['good unk good', 'good never']) == [[2, 3, 2], [2, 3]] and id 1 is unused.
    const { tokenizer, encoded } = Tokenizer.fit(['good unk good'], words({ oov_token: 'unk' }));
    assert.deepEqual(tokenizer.vocabulary.tokens, ['', 'unk', 'good', 'unk']);
    assert.equal(tokenizer.oovId, 3);
    assert.deepEqual([...encoded[0]], [2, 3, 2]);
    assert.deepEqual([...tokenizer.encode('good never')], [2, 3]);
    // The rebuilt tokenizer of a saved run encodes the same way.
    assert.deepEqual([...Tokenizer.fromState(tokenizer.toState()).encode('good unk never')], [2, 3, 3]);
  });

  it('keeps id 1 for OOV when the literal is not in the text (the filters split "<OOV>" into "oov")', () => {
    const { tokenizer, encoded } = Tokenizer.fit(['good <OOV> good'], words({ oov_token: 'unk', strip_html: false }));
    assert.deepEqual(tokenizer.vocabulary.tokens, ['', 'unk', 'good', 'oov']);
    assert.deepEqual([...encoded[0]], [2, 3, 2]);
    assert.deepEqual([...tokenizer.encode('good never')], [2, 1]);
  });

  it('uses id 1 where Keras would emit an id beyond num_words (a literal OOV ranked out of the vocabulary)', () => {
    // Keras, num_words=3: word_index {a: 2, unk: 3, b: 4}; oov index 3 >= num_words, so Keras gives
    // [2, 2, 2, 3, 3], an id its own Embedding(3) rejects. We keep the documented id 1 instead.
    const { tokenizer, encoded } = Tokenizer.fit(['a a a unk b'], words({ oov_token: 'unk', vocab_size: 3 }));
    assert.deepEqual(tokenizer.vocabulary.tokens, ['', 'unk', 'a']);
    assert.deepEqual([...encoded[0]], [2, 2, 2, 1, 1]);
  });

  it('char level vocabulary counts characters', () => {
    const { tokenizer, encoded } = Tokenizer.fit(['Ab a'], words({ level: 'char' }));
    assert.deepEqual(tokenizer.vocabulary.tokens, ['', '<OOV>', 'a', 'b', ' ']);
    assert.deepEqual([...encoded[0]], [2, 3, 4, 2]);
  });
});

describe('pad_sequences (Keras semantics)', () => {
  const sequences = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]];

  it('pads and truncates at the front by default', () => {
    assert.deepEqual([...padSequences(sequences, { maxLen: 4, padding: 'pre', truncating: 'pre' })], [0, 1, 2, 3, 0, 0, 4, 5, 7, 8, 9, 10]);
  });

  it('pads at the end with padding post', () => {
    assert.deepEqual([...padSequences(sequences, { maxLen: 4, padding: 'post', truncating: 'pre' })], [1, 2, 3, 0, 4, 5, 0, 0, 7, 8, 9, 10]);
  });

  it('drops the end with truncating post', () => {
    assert.deepEqual([...padSequences(sequences, { maxLen: 4, padding: 'pre', truncating: 'post' })], [0, 1, 2, 3, 0, 0, 4, 5, 6, 7, 8, 9]);
  });

  it('pads an empty sequence to zeros and finds the longest length', () => {
    assert.deepEqual([...padOne([], { maxLen: 3, padding: 'post', truncating: 'post' })], [0, 0, 0]);
    assert.equal(longestLength(sequences), 5);
  });
});

describe('tokenizing a large corpus in pieces', () => {
  const text = 'The cat <br />sat on the mat.\nA dog 🐕 ran — fast!\n'.repeat(40);
  for (const level of ['word', 'char'] as const) {
    it(`${level} level: pieces cut at line ends give the vocabulary and ids of one pass`, () => {
      const options = words({ level, vocab_size: level === 'char' ? undefined : 12 });
      const whole = Tokenizer.fit([text], options);
      const fitter = new TokenizerFitter(options);
      const lines = text.split(/(?<=\n)/);
      for (let i = 0; i < lines.length; i += 7) fitter.add(lines.slice(i, i + 7).join(''));
      fitter.endText();
      const pieces = fitter.finish();
      assert.deepEqual(pieces.tokenizer.vocabulary, whole.tokenizer.vocabulary);
      assert.deepEqual([...pieces.encoded[0]!], [...whole.encoded[0]!]);
      assert.deepEqual(pieces.html, whole.html);
      assert.equal(fitter.tokens, whole.encoded[0]!.length);
      // Encoding new text agrees with the fit, surrogate pairs (🐕) as one token.
      assert.deepEqual([...whole.tokenizer.encode(text)], [...whole.encoded[0]!]);
      assert.deepEqual([...whole.tokenizer.encode(text, 5)], [...whole.encoded[0]!.subarray(0, 5)]);
    });
  }
});

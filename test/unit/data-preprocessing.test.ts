/**
 * The preprocessing state reproduces training exactly: for every pipeline kind, the raw training
 * input encoded through the saved state (after a JSON round trip, as a run folder stores it)
 * equals the pipeline's arrays, and model outputs read back in the data's terms.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { addingProblem, grammarCorpus, parityProblem, sentimentReviews, sineSeries } from '../../src/data/builtin';
import { nextTokenChunks } from '../../src/data/nextToken';
import { prepareData } from '../../src/data/prepare';
import { createEncoder, parsePreprocessingState, parseSteps, type Encoder } from '../../src/data/preprocessing';
import { selectExamples } from '../../src/data/selection';
import { DataError, type PreparedData, type Split } from '../../src/data/types';
import type { DataSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-preprocessing-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const prepare = (data: Partial<DataSpec> & Pick<DataSpec, 'source'>) => prepareData(specWith(data), { specDir: dir });

function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return name;
}

/** The encoder a run folder gives back: the state saved as JSON and read again. */
function savedEncoder(prepared: PreparedData): Encoder {
  return createEncoder(parsePreprocessingState(JSON.parse(JSON.stringify(prepared.preprocessing))));
}

function row(split: Split, index: number): number[] {
  const size = split.xShape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from(split.x.subarray(index * size, (index + 1) * size));
}

/** Texts in the order the pipeline used them (same seeded shuffle and split). */
function trainOrder<T>(examples: T[], data: Partial<DataSpec> = {}): T[] {
  const split = (data.validation && 'split' in data.validation ? data.validation.split : 0.2) ?? 0.2;
  return selectExamples(examples, undefined, split, data.seed ?? 42, { train: Infinity, validation: Infinity }).train;
}

function assertTextsReproduced(prepared: PreparedData, texts: string[]): void {
  const encoder = savedEncoder(prepared);
  assert.equal(texts.length, prepared.train.count);
  texts.forEach((text, i) => assert.deepEqual(Array.from(encoder.encodeText(text).x), row(prepared.train, i), `training example ${i}: ${text}`));
}

describe('preprocessing state: encoding the raw training input reproduces the arrays', () => {
  it('labelled text from a CSV (word level, HTML, punctuation, an unknown word, padding and truncation)', async () => {
    const rows = [
      ['The plot was <b>great</b>, really great!', 'pos'],
      ['Awful.<br /><br />Just awful acting', 'neg'],
      ['if x < 3 then great else y > 2', 'pos'],
      ['great great great great great great great great', 'pos'],
      ['a dull, dull film', 'neg'],
      ['Not my thing', 'neg'],
      ['Loved it', 'pos'],
      ['Boring and long', 'neg'],
      ['What a ride', 'pos'],
      ['Meh', 'neg'],
    ];
    const source = write('reviews.csv', ['text,label', ...rows.map(([text, label]) => `"${text}",${label}`)].join('\n'));
    const data = { source, max_len: 6, tokenizer: { level: 'word' as const, vocab_size: 12, lowercase: true, strip_html: true, oov_token: '<OOV>' } };
    const prepared = await prepare(data);
    const texts = trainOrder(rows.map(([text]) => text!), data);
    assertTextsReproduced(prepared, texts);
    const state = prepared.preprocessing;
    assert.deepEqual(state.classes, { names: ['neg', 'pos'] });
    assert.deepEqual(state.padding, { max_len: 6, padding: 'pre', truncating: 'pre' });
    assert.equal(state.tokenizer?.num_words, 12);
    assert.deepEqual(state.tokenizer?.vocabulary, prepared.vocabulary?.tokens);
    // The real tags of the training texts were counted; the comparison `< 3 ... >` is not a tag.
    const tags = texts.reduce((sum, text) => sum + (text.match(/<\/?(b|br)\b[^>]*>/g)?.length ?? 0), 0);
    assert.equal(prepared.stats.htmlRemoved?.tags ?? 0, tags);
    const encoder = savedEncoder(prepared);
    assert.deepEqual(encoder.encodeText('great zzz').tokens.slice(-2), ['great', '<OOV>']);
  });

  it('a corpus for next-token prediction (character level, vocabulary sized from the data)', async () => {
    const text = 'to be, or not to be: that is the question. '.repeat(8);
    const source = write('corpus.txt', text);
    const data = { source, task: 'next-token' as const, max_len: 10, validation: { split: 0.25 }, tokenizer: { level: 'char' as const, lowercase: false, strip_html: true, oov_token: '~' } };
    const prepared = await prepare(data);
    const encoder = savedEncoder(prepared);
    const trainText = text.slice(0, Math.round(text.length * 0.75));
    const chunks = nextTokenChunks(encoder.tokenize(trainText), 10);
    assert.deepEqual(Array.from(chunks.x), Array.from(prepared.train.x));
    assert.deepEqual(Array.from(chunks.y), Array.from(prepared.train.y));
    // No vocab_size: every distinct character, plus padding and OOV.
    assert.equal(prepared.preprocessing.tokenizer?.num_words, null);
    assert.equal(prepared.vocabulary?.tokens.length, new Set(trainText).size + 2);
    assert.deepEqual(Array.from(encoder.encodeText('to be').x), [0, 0, 0, 0, 0, ...encoder.tokenize('to be')]);
  });

  it('a one-column series (.txt) and a table column (.csv): normalised windows and targets in the data units', async () => {
    const values = Array.from({ length: 40 }, (_, i) => 100 + 10 * Math.sin(i / 3) + i);
    for (const [name, text, column] of [
      ['series.txt', values.join('\n'), undefined],
      ['series.csv', ['month,passengers', ...values.map((v, i) => `${i},${v}`)].join('\n'), 'passengers'],
    ] as const) {
      const data = { source: write(name, text), task: 'forecast' as const, columns: { text: 'text', label: 'label', value: 'passengers' }, window: { lookback: 5, horizon: 2, normalize: 'zscore' as const } };
      const prepared = await prepare(data);
      const encoder = savedEncoder(prepared);
      for (let i = 0; i < prepared.train.count; i++) {
        const window = values.slice(i, i + 5).map((value) => [value]);
        assert.deepEqual(Array.from(encoder.encodeSteps(window).x), row(prepared.train, i), `${name} window ${i}`);
        const targets = encoder.toDataUnits(prepared.train.y.subarray(i * 2, i * 2 + 2));
        targets.forEach((target, h) => assert.ok(Math.abs(target - values[i + 5 + h]!) < 1e-3, `${name} target ${i}+${h}`));
      }
      assert.equal(prepared.preprocessing.normalization?.target?.column, column);
      // A longer history: the model reads its last `lookback` values.
      const history = values.slice(0, 12).join(', ');
      assert.deepEqual(Array.from(encoder.encode(history).x), Array.from(encoder.encodeSteps(values.slice(7, 12).map((v) => [v])).x));
      const prediction = encoder.readPrediction([0, 1]);
      assert.equal(prediction.kind, 'values');
      const stats = prepared.preprocessing.normalization!.target!;
      assert.deepEqual(prediction.kind === 'values' && prediction.values, [stats.offset, stats.offset + stats.scale]);
    }
  });

  it('the built-in generators: sine windows, adding and parity sequences, sentiment and grammar text', async () => {
    const sine = await prepare({ source: 'builtin:sine', task: 'forecast', generator: { samples: 60, length: 0 }, window: { lookback: 8, horizon: 1, normalize: 'minmax' } });
    const series = sineSeries(60 + 8, 42);
    assert.deepEqual(Array.from(savedEncoder(sine).encodeSteps(series.slice(3, 11).map((v) => [v])).x), row(sine.train, 3));

    for (const [source, task, make] of [
      ['builtin:adding', 'regression', addingProblem],
      ['builtin:parity', 'binary', parityProblem],
    ] as const) {
      const generator = { samples: 30, length: 6 };
      const prepared = await prepare({ source, task, generator });
      const examples = make(generator, 42);
      const encoder = savedEncoder(prepared);
      for (let i = 0; i < prepared.train.count; i++) {
        const steps = Array.from({ length: 6 }, (_, t) => Array.from(examples.x.subarray((i * 6 + t) * examples.features, (i * 6 + t + 1) * examples.features)));
        assert.deepEqual(Array.from(encoder.encodeSteps(steps).x), row(prepared.train, i), `${source} example ${i}`);
      }
    }

    const sentimentData = { source: 'builtin:sentiment', generator: { samples: 50, length: 0 }, max_len: 8 };
    const sentiment = await prepare(sentimentData);
    assertTextsReproduced(sentiment, trainOrder(sentimentReviews(sentimentData.generator, 42).map((review) => review.text)));
    assert.deepEqual(sentiment.preprocessing.classes, { names: ['0', '1'] });

    const grammar = await prepare({ source: 'builtin:grammar', task: 'next-token', generator: { samples: 40, length: 0 }, max_len: 12 });
    const corpus = grammarCorpus({ samples: 40, length: 0 }, 42);
    const trainText = corpus.slice(0, Math.round(corpus.length * 0.8));
    assert.deepEqual(Array.from(nextTokenChunks(savedEncoder(grammar).tokenize(trainText), 12).x), Array.from(grammar.train.x));
  });

  it('imdb (an extracted aclImdb folder made by the test)', async () => {
    const reviews: Record<string, string> = {
      'train/pos/0_9.txt': 'A wonderful film.<br /><br />Loved every minute.',
      'train/pos/1_8.txt': 'Great acting, great story',
      'train/pos/2_10.txt': 'If the plot < 3 acts then > fine',
      'train/neg/0_1.txt': 'Terrible. Just terrible<br />',
      'train/neg/1_2.txt': 'Boring film, awful story',
      'test/pos/0_9.txt': 'great',
      'test/neg/0_1.txt': 'awful',
    };
    for (const [path, text] of Object.entries(reviews)) write(`aclImdb/${path}`, text);
    const data = { source: 'imdb', imdb_path: 'aclImdb', max_len: 7, validation: { source: 'test' } };
    const prepared = await prepare(data);
    // Negative then positive by id, as the loader lists them; the training split is shuffled with the seed.
    const texts = ['train/neg/0_1.txt', 'train/neg/1_2.txt', 'train/pos/0_9.txt', 'train/pos/1_8.txt', 'train/pos/2_10.txt'].map((path) => reviews[path]!);
    const order = selectExamples(texts, [reviews['test/neg/0_1.txt']!, reviews['test/pos/0_9.txt']!], 0, 42, { train: Infinity, validation: Infinity });
    assertTextsReproduced(prepared, order.train);
    assert.deepEqual(prepared.preprocessing.classes, { names: ['0', '1'] });
  });
});

describe('preprocessing state: predictions made readable', () => {
  it('names classes by id and ranks probabilities (sigmoid and softmax outputs)', async () => {
    const source = write('sms.csv', ['text,label', 'win cash now,spam', 'see you soon,ham', 'free prize,spam', 'lunch?,ham', 'call me,ham'].join('\n'));
    const encoder = savedEncoder(await prepare({ source, validation: { split: 0.2 } }));
    assert.equal(encoder.className(1), 'spam');
    const sigmoid = encoder.readPrediction([0.9]);
    assert.deepEqual(sigmoid.kind === 'class' && [sigmoid.name, sigmoid.classes.map((c) => c.name)], ['spam', ['spam', 'ham']]);
    assert.ok(sigmoid.kind === 'class' && Math.abs(sigmoid.classes[1]!.probability - 0.1) < 1e-9);
    const softmax = encoder.readPrediction([0.7, 0.3]);
    assert.deepEqual(softmax.kind === 'class' && [softmax.id, softmax.name, softmax.probability], [0, 'ham', 0.7]);
  });

  it('reads the next token after the last real step, whatever the padding side', async () => {
    const source = write('abc.txt', 'abcabcabcabcabcabcabc');
    const prepared = await prepare({ source, task: 'next-token', max_len: 4, padding: 'post', tokenizer: { level: 'char', lowercase: true, strip_html: false, oov_token: '?' } });
    const encoder = savedEncoder(prepared);
    const input = encoder.encodeText('ab');
    assert.deepEqual(input.tokens, ['a', 'b', '', '']);
    const size = prepared.vocabulary!.tokens.length;
    const output = new Array<number>(4 * size).fill(0);
    const c = prepared.vocabulary!.tokens.indexOf('c');
    output[1 * size + c] = 0.8; // step 1 ('b') predicts 'c'
    output[3 * size + 2] = 0.9; // a padding step's output must not be read
    const prediction = encoder.readPrediction(output, input);
    assert.deepEqual(prediction.kind === 'next-token' && [prediction.token, prediction.probability], ['c', 0.8]);
  });

  it('reads rows as wide as the output layer when it has more units than the vocabulary (vocab_size above the data)', async () => {
    const source = write('abc-wide.txt', 'abcabcabcabcabcabcabc');
    const prepared = await prepare({ source, task: 'next-token', max_len: 4, padding: 'post', tokenizer: { level: 'char', lowercase: true, strip_html: false, oov_token: '?' } });
    const encoder = savedEncoder(prepared);
    const input = encoder.encodeText('ab');
    const units = prepared.vocabulary!.tokens.length + 3;
    const output = new Array<number>(4 * units).fill(0);
    const c = prepared.vocabulary!.tokens.indexOf('c');
    output[1 * units + c] = 0.8;
    output[1 * units + units - 1] = 0.15; // an id past the vocabulary names no token
    const prediction = encoder.readPrediction(output, input);
    assert.deepEqual(prediction.kind === 'next-token' && [prediction.token, prediction.probability], ['c', 0.8]);
    assert.ok(prediction.kind === 'next-token' && prediction.candidates.every((candidate) => candidate.id < prepared.vocabulary!.tokens.length));
  });

  it('parses typed numbers into steps and says what is wrong with bad input', () => {
    assert.deepEqual(parseSteps('1, 2 3\n4', 1), [[1], [2], [3], [4]]);
    assert.deepEqual(parseSteps('0.5 1; 0.2 0', 2), [[0.5, 1], [0.2, 0]]);
    assert.deepEqual(parseSteps('0.5,1,0.2,0', 2), [[0.5, 1], [0.2, 0]]);
    assert.throws(() => parseSteps('1, two\u001b[31m', 1), (error: unknown) => error instanceof DataError && /"two\\x1b\[31m" is not a number/.test(error.message));
    assert.throws(() => parseSteps('1 2 3; 4', 2), /Step 1 has 3 values, but this model reads 2 per step/);
  });

  it('rejects a state of another format or version with a sentence saying what to do', () => {
    assert.throws(() => parsePreprocessingState({ format: 'other' }), /not a Sequence Lab preprocessing state/);
    assert.throws(() => parsePreprocessingState({ format: 'seqlab-preprocessing', version: 2 }), /version 2, but this Sequence Lab reads version 1/);
  });

  it('refuses text for a numeric model and too short a history for a forecast', async () => {
    const source = write('short.txt', Array.from({ length: 30 }, (_, i) => i).join('\n'));
    const encoder = savedEncoder(await prepare({ source, task: 'forecast', window: { lookback: 4, horizon: 1, normalize: 'none' } }));
    assert.throws(() => encoder.encodeText('hello'), /reads numbers, not text/);
    assert.throws(() => encoder.encode('1, 2'), /forecasts from the last 4 values \(its lookback\), but only 2 were given/);
    assert.deepEqual(encoder.encode('1,2,3,4').tokens, ['1', '2', '3', '4']);
  });
});

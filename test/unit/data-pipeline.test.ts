import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { fitNormalization, normalize, slidingWindows } from '../../src/data/forecast';
import { MAX_CORPUS_TOKENS, prepareCorpus } from '../../src/data/corpusPipeline';
import { nextTokenChunks } from '../../src/data/nextToken';
import { prepareData } from '../../src/data/prepare';
import { MAX_DATA_BYTES, readDataBytes } from '../../src/data/readSource';
import { exampleLimits, QUICK_LIMITS, selectExamples } from '../../src/data/selection';
import { Tokenizer } from '../../src/data/tokenizer';
import { DataError } from '../../src/data/types';
import type { DataSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-pipeline-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const prepare = (data: Partial<DataSpec> & Pick<DataSpec, 'source'>, quick = false) => prepareData(specWith(data), { specDir: dir, quick });

function writeSeries(name: string, values: number[]): string {
  writeFileSync(join(dir, name), values.join('\n'));
  return name;
}

describe('forecast windows', () => {
  it('pairs `lookback` steps with the next `horizon` values', () => {
    const windows = slidingWindows(Float32Array.from({ length: 10 }, (_, i) => i + 1), { lookback: 3, horizon: 2 });
    assert.equal(windows.count, 6);
    assert.deepEqual([...windows.x.subarray(0, 3)], [1, 2, 3]);
    assert.deepEqual([...windows.y.subarray(0, 2)], [4, 5]);
    assert.deepEqual([...windows.x.subarray(15, 18)], [6, 7, 8]);
    assert.deepEqual([...windows.y.subarray(10, 12)], [9, 10]);
  });

  it('normalises with zscore and minmax', () => {
    assert.deepEqual(fitNormalization([2, 4, 6], 'minmax'), { kind: 'minmax', offset: 2, scale: 4 });
    const zscore = fitNormalization([1, 3], 'zscore');
    assert.deepEqual([...normalize([1, 3], zscore)], [-1, 1]);
    assert.deepEqual(fitNormalization([5, 5], 'zscore').scale, 1);
  });

  it('fits normalisation on the training part only (no leakage from validation values)', async () => {
    const history = Array.from({ length: 40 }, (_, i) => i % 5);
    const window = { lookback: 4, horizon: 1, normalize: 'minmax' as const };
    const calm = await prepare({ source: writeSeries('calm.txt', [...history, ...Array(10).fill(2)]), task: 'forecast', window });
    const spiky = await prepare({ source: writeSeries('spiky.txt', [...history, ...Array(10).fill(1000)]), task: 'forecast', window });
    // Same training values -> identical training windows, whatever validation holds.
    assert.deepEqual(spiky.train.x, calm.train.x);
    assert.ok(Math.max(...calm.train.x) <= 1 && Math.min(...calm.train.x) >= 0);
    // Validation targets come after the cut and are scaled with the training min/max (0..4).
    assert.equal(spiky.validation.y[spiky.validation.count - 1], 1000 / 4);
    assert.equal(calm.validation.count, 10);
  });

  it('splits in time: the validation targets are the last fraction of the series', async () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const prepared = await prepare({ source: writeSeries('ramp.txt', values), task: 'forecast', window: { lookback: 5, horizon: 1, normalize: 'none' } });
    assert.deepEqual([prepared.train.count, prepared.validation.count], [75, 20]);
    assert.equal(prepared.train.y[prepared.train.count - 1], 79);
    assert.equal(prepared.validation.y[0], 80);
    assert.equal(prepared.validationExample(0).label, 'validation #0 (target 80)');
    assert.deepEqual(prepared.validationExample(0).tokens, ['75', '76', '77', '78', '79']);
  });

  it('says how to fix a series too short for the window', async () => {
    await assert.rejects(prepare({ source: writeSeries('short.txt', [1, 2, 3]), task: 'forecast' }), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.match(error.message, /the series has 3 values, too few for lookback 30 \+ horizon 1.*Use a longer series or a smaller lookback/);
      return true;
    });
  });
});

describe('next-token chunks', () => {
  it('pairs each chunk with the same chunk shifted by one', () => {
    const chunks = nextTokenChunks(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 3);
    assert.equal(chunks.count, 2);
    assert.deepEqual([...chunks.x], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...chunks.y], [2, 3, 4, 5, 6, 7]);
  });

  it('builds a char-level corpus with the vocabulary fitted before the validation cut', async () => {
    writeFileSync(join(dir, 'corpus.txt'), 'abababababababababab' + 'zzzzz');
    const prepared = await prepare({
      source: 'corpus.txt',
      task: 'next-token',
      max_len: 4,
      validation: { split: 0.2 },
      tokenizer: { level: 'char', vocab_size: 100, lowercase: true, strip_html: false, oov_token: '?' },
    });
    assert.deepEqual(prepared.vocabulary?.tokens, ['', '?', 'a', 'b']);
    assert.equal(prepared.classes, 4);
    assert.deepEqual([...prepared.train.x.subarray(0, 4)], [2, 3, 2, 3]);
    assert.deepEqual([...prepared.train.y.subarray(0, 4)], [3, 2, 3, 2]);
    assert.deepEqual([...prepared.validation.x], [1, 1, 1, 1]);
    assert.equal(prepared.validationExample(0).label, 'validation #0');
  });

  it('reads a separate validation corpus with the training vocabulary (word level)', async () => {
    writeFileSync(join(dir, 'train-corpus.txt'), 'the cat sat. the cat ran. the dog sat.');
    writeFileSync(join(dir, 'valid-corpus.txt'), 'the bird sat. the cat sat.');
    const prepared = await prepare({ source: 'train-corpus.txt', task: 'next-token', max_len: 3, validation: { source: 'valid-corpus.txt' } });
    assert.deepEqual(prepared.vocabulary?.tokens, ['', '<OOV>', 'the', 'cat', 'sat', 'ran', 'dog']);
    assert.deepEqual([prepared.train.count, prepared.validation.count], [2, 1]);
    assert.deepEqual([...prepared.validation.x], [2, 1, 4]);
    assert.deepEqual([...prepared.validation.y], [1, 4, 2]);
  });

  it('holds a corpus once: inputs and targets are views of one id array (4 bytes per token, not 12)', async () => {
    writeFileSync(join(dir, 'views.txt'), 'abcdefghij'.repeat(30));
    const prepared = await prepare({ source: 'views.txt', task: 'next-token', max_len: 10, tokenizer: { level: 'char', lowercase: true, strip_html: false, oov_token: '?' } });
    const { x, y } = prepared.train;
    assert.equal(x.buffer, y.buffer);
    assert.equal(y.byteOffset - x.byteOffset, 4, 'targets start one token later');
  });

  it('refuses a data file over the documented size limit before reading it', async () => {
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 600 * 1024 * 1024); // sparse: no disk, no memory
    await assert.rejects(prepare({ source: 'huge.txt', task: 'next-token' }), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.match(error.message, /huge\.txt: the file is 600 MB; Sequence Lab reads data files of at most 500 MB \(a documented limit: a file is held in memory as one text\)\. Train on a slice of it, its first lines: e\.g\. `head -n 1000000 huge\.txt > part\.txt`/);
      return true;
    });
  });

  it('documents both limits where `data.source` is described (hover, completion, spec reference)', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'language', 'seqlab.schema.json'), 'utf8')) as { properties: { data: { properties: { source: { description: string } } } } };
    const { description } = schema.properties.data.properties.source;
    assert.ok(description.includes(`a file of at most ${MAX_DATA_BYTES / 1024 ** 2} MB (decompressed)`), description);
    assert.ok(description.includes(`a \`next-token\` corpus of at most ${MAX_CORPUS_TOKENS.toLocaleString('en-US')} tokens`), description);
  });

  it('refuses a .gz that decompresses past the limit without inflating the rest', async () => {
    const packed = join(dir, 'bomb.csv.gz');
    writeFileSync(packed, gzipSync(Buffer.alloc(1_000_000, 'a')));
    await assert.rejects(readDataBytes(packed, 10_000), /bomb\.csv\.gz: the file holds more than 10,000 bytes once decompressed; .*`gunzip -c bomb\.csv\.gz \| head -n 1000000 > part\.csv`/);
    assert.equal((await readDataBytes(packed, 1_000_000)).length, 1_000_000);
  });
});

describe('large corpora (token limit injected small)', () => {
  const corpus = (text: string) => ({ file: join(dir, 'big.txt'), text });
  const chars = (overrides: Partial<DataSpec> = {}) =>
    specWith({ source: 'big.txt', task: 'next-token', max_len: 10, validation: { split: 0.2 }, tokenizer: { level: 'char', lowercase: true, strip_html: false, oov_token: '?' }, ...overrides }).data;
  const none = { train: Infinity, validation: Infinity };

  it('char level: refuses a corpus of more characters than the limit before tokenizing, naming the size and the fixes', async () => {
    await assert.rejects(prepareCorpus(corpus('abcde'.repeat(30)), undefined, 0.2, chars(), none, undefined, { maxTokens: 100 }), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.match(error.message, /big\.txt: the text has 150 characters; Sequence Lab holds a corpus in memory as 4-byte token ids, at most 100 of them for training and validation together \(a documented limit, 400 bytes of ids\)\. Set `data\.limit` to train on the first chunks only/);
      assert.match(error.message, /`head -n 1000000 big\.txt > part\.txt`/);
      return true;
    });
  });

  it('word level: refuses once the count passes the limit; exactly at it trains', async () => {
    const words = specWith({ source: 'big.txt', task: 'next-token', max_len: 4, validation: { split: 0 } }).data;
    const text = Array.from({ length: 40 }, (_, i) => `w${i % 7}`).join(' ');
    await assert.rejects(prepareCorpus(corpus(text), undefined, 0, words, none, undefined, { maxTokens: 39 }), /the text has more than 39 tokens/);
    const atLimit = await prepareCorpus(corpus(text), undefined, 0, words, none, undefined, { maxTokens: 40 });
    assert.equal(atLimit.train.count, 9); // (40 - 1) / 4
  });

  it('`data.limit` streams: tokenizing and the vocabulary stop at the chunks that train', async () => {
    const text = 'ab'.repeat(100) + 'xyz'.repeat(1000);
    const result = await prepareCorpus(corpus(text), undefined, 0, chars({ validation: { split: 0 } }), { train: 3, validation: 0 }, undefined, { maxTokens: 100 });
    assert.equal(result.train.count, 3);
    assert.deepEqual(result.vocabulary?.tokens, ['', '?', 'a', 'b'], 'fitted on the first 31 characters only, as text examples are fitted on what trains');
    assert.deepEqual([...result.train.y.subarray(0, 3)], [3, 2, 3]);
  });

  it('tokenizes a corpus larger than one piece in pieces: progress, a stop honoured, the same ids as one pass', async () => {
    const text = 'The quick brown fox. Jumps over 🐕!\n'.repeat(300_000); // 10.8 M UTF-16 units: 3 pieces
    const data = chars({ validation: { split: 0.1 } });
    const fractions: number[] = [];
    const result = await prepareCorpus(corpus(text), undefined, 0.1, data, none, undefined, { onProgress: (progress) => fractions.push(progress.fraction ?? NaN) });
    assert.ok(fractions.length >= 2 && fractions.every((f, i) => f > (fractions[i - 1] ?? 0) && f <= 1), `progress ${fractions.join(', ')}`);
    const cut = Math.round(text.length * 0.9);
    const whole = Tokenizer.fit([text.slice(0, cut)], data.tokenizer);
    assert.deepEqual(result.vocabulary, whole.tokenizer.vocabulary);
    const ids = whole.encoded[0]!;
    const count = Math.floor((ids.length - 1) / 10);
    assert.equal(result.train.count, count);
    assert.ok(result.train.x.every((id, i) => id === ids[i]), 'training ids equal the one-pass fit');
    const stop = new AbortController();
    const stopped = prepareCorpus(corpus(text), undefined, 0.1, data, none, undefined, { signal: stop.signal, onProgress: () => stop.abort() });
    await assert.rejects(stopped, { name: 'AbortError' });
  });
});

describe('example selection', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);

  it('shuffles deterministically with the seed and splits off the validation fraction', () => {
    const a = selectExamples(items, undefined, 0.2, 42, { train: Infinity, validation: Infinity });
    const b = selectExamples(items, undefined, 0.2, 42, { train: Infinity, validation: Infinity });
    const c = selectExamples(items, undefined, 0.2, 43, { train: Infinity, validation: Infinity });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.train, c.train);
    assert.equal(a.validation.length, 20);
    assert.deepEqual([...a.train, ...a.validation].sort((x, y) => x - y), items);
    assert.notDeepEqual(a.train, items.slice(20));
  });

  it('caps training examples with `limit` and bounds quick previews', () => {
    assert.deepEqual(exampleLimits({ limit: 10 }, false), { train: 10, validation: Infinity });
    assert.deepEqual(exampleLimits({}, true), QUICK_LIMITS);
    assert.deepEqual(exampleLimits({ limit: 100 }, true), { train: 100, validation: QUICK_LIMITS.validation });
    assert.deepEqual(exampleLimits({}, true, 400), { train: 400, validation: 100 });
    assert.deepEqual(exampleLimits({ limit: 100 }, false, 400), { train: 100, validation: Infinity });
    const capped = selectExamples(items, items.slice(0, 50), 0, 1, { train: 10, validation: 5 });
    assert.equal(capped.train.length, 10);
    assert.equal(capped.validation.length, 5);
  });

  it('quick mode bounds a large generated dataset', async () => {
    const prepared = await prepare({ source: 'builtin:parity', generator: { samples: 5000, length: 4 } }, true);
    assert.equal(prepared.train.count, QUICK_LIMITS.train);
    assert.equal(prepared.validation.count, QUICK_LIMITS.validation);
    assert.equal(prepared.stats.trainSamples, QUICK_LIMITS.train);
  });

  it('quick mode takes the preview size it is given', async () => {
    const spec = specWith({ source: 'builtin:parity', generator: { samples: 5000, length: 4 } });
    const prepared = await prepareData(spec, { specDir: dir, quick: true, previewExamples: 300 });
    assert.equal(prepared.train.count, 300);
    assert.equal(prepared.validation.count, 75);
  });
});

describe('prepared data', () => {
  it('pads to the longest training sequence when max_len is absent and reports stats', async () => {
    writeFileSync(join(dir, 'lengths.csv'), 'text,label\none two three four,1\none,0\ntwo three,1\n');
    const prepared = await prepare({ source: 'lengths.csv', validation: { split: 0 } });
    assert.equal(prepared.timesteps, 4);
    assert.deepEqual(prepared.train.xShape, [3, 4]);
    assert.equal(prepared.stats.timesteps, 4);
    assert.equal(prepared.stats.vocabSize, 6);
    assert.equal(prepared.stats.task, 'binary');
  });

  it('aligns probe tokens with timesteps, padding shown as empty strings', async () => {
    const prepared = await prepare({ source: 'lengths.csv', validation: { split: 0 }, padding: 'post', max_len: 5 });
    const probe = prepared.encodeText('Four, two and one');
    assert.deepEqual(probe.tokens, ['four', 'two', '<OOV>', 'one', '']);
    assert.equal(probe.x.length, 5);
    assert.equal(probe.x[4], 0);
  });

  it('rejects probe indices outside the validation set and text probes on numeric data', async () => {
    const prepared = await prepare({ source: 'builtin:adding', task: 'regression', generator: { samples: 20, length: 5 } });
    assert.throws(() => prepared.validationExample(4), /Probe index 4 is outside the validation set, which has 4 examples/);
    assert.throws(() => prepared.encodeText('hello'), /needs text data; this dataset is numeric/);
    assert.deepEqual(prepared.validationExample(0).xShape, [1, 5, 2]);
  });

  it('stops with an AbortError when its signal is aborted (how a Stop during loading takes effect)', async () => {
    const controller = new AbortController();
    const preparing = prepareData(specWith({ source: 'builtin:sentiment' }), { specDir: dir, signal: controller.signal });
    controller.abort();
    await assert.rejects(preparing, { name: 'AbortError' });
  });

  it('changes its hash when the data or the vocabulary changes', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `word${i % 7} word${i % 3},${i % 2}`);
    writeFileSync(join(dir, 'many.csv'), ['text,label', ...rows].join('\n'));
    const base = await prepare({ source: 'many.csv' });
    const otherSeed = await prepare({ source: 'many.csv', seed: 1 });
    const smallerVocabulary = await prepare({ source: 'many.csv', tokenizer: { level: 'word', vocab_size: 3, lowercase: true, strip_html: true, oov_token: '<OOV>' } });
    assert.match(base.hash, /^[0-9a-f]{64}$/);
    assert.notEqual(base.hash, otherSeed.hash);
    assert.notEqual(base.hash, smallerVocabulary.hash);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { prepareData } from '../../src/data/prepare';
import { DataError } from '../../src/data/types';
import type { DataSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return name;
}

function prepare(data: Partial<DataSpec> & Pick<DataSpec, 'source'>) {
  return prepareData(specWith({ validation: { split: 0 }, ...data }), { specDir: dir });
}

/** A DataError whose message matches, names the file (and line), and carries no stack trace. */
async function rejectsWith(promise: Promise<unknown>, file: string, pattern: RegExp, line?: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(error.file?.endsWith(file), `file ${error.file} should end with ${file}`);
    assert.equal(error.line, line);
    assert.doesNotMatch(error.message, /\n\s+at /);
    return true;
  });
}

const REVIEWS_CSV = 'id,text,label\n1,"Great, fun movie",pos\n2,Dull and slow,neg\n3,"A ""great"" film",pos\n';

describe('data loaders: good files', () => {
  it('reads a CSV with a header, quoted fields and string labels (sorted to class ids)', async () => {
    const data = await prepare({ source: write('reviews.csv', REVIEWS_CSV) });
    assert.equal(data.train.count, 3);
    assert.deepEqual(data.classNames, ['neg', 'pos']);
    assert.deepEqual([...data.train.y].sort(), [0, 1, 1]);
    assert.deepEqual(data.train.yShape, [3, 1]);
    assert.ok(data.vocabulary?.tokens.includes('great'));
  });

  it('reads the same data from TSV, JSONL, gzip and label<TAB>text files (with or without .txt) identically', async () => {
    const expected = (await prepare({ source: 'reviews.csv' })).hash;
    write('reviews.tsv', 'id\ttext\tlabel\n1\tGreat, fun movie\tpos\n2\tDull and slow\tneg\n3\tA "great" film\tpos\n');
    write('reviews.jsonl', ['{"text":"Great, fun movie","label":"pos"}', '{"text":"Dull and slow","label":"neg"}', '', '{"text":"A \\"great\\" film","label":"pos"}'].join('\n'));
    write('reviews.csv.gz', gzipSync(REVIEWS_CSV));
    write('reviews.txt', 'pos\tGreat, fun movie\nneg\tDull and slow\r\npos\tA "great" film\n');
    write('ReviewCollection', 'pos\tGreat, fun movie\nneg\tDull and slow\npos\tA "great" film\n');
    for (const source of ['reviews.tsv', 'reviews.jsonl', 'reviews.csv.gz', 'reviews.txt', 'ReviewCollection']) {
      assert.equal((await prepare({ source })).hash, expected, source);
    }
  });

  it('reads numeric 0/1 labels, multiclass ids, and regression values', async () => {
    write('binary.csv', 'text,label\ngood,1\nbad,0\n');
    assert.deepEqual([...(await prepare({ source: 'binary.csv' })).train.y].sort(), [0, 1]);
    write('topics.csv', 'text,label\na,2\nb,0\nc,1\n');
    const topics = await prepare({ source: 'topics.csv', task: 'multiclass' });
    assert.equal(topics.classes, 3);
    assert.deepEqual(topics.train.yShape, [3]);
    assert.ok(topics.train.y instanceof Int32Array);
    write('scores.csv', 'text,label\na,0.5\nb,-2\n');
    assert.deepEqual([...(await prepare({ source: 'scores.csv', task: 'regression' })).train.y].sort(), [-2, 0.5]);
  });

  it('uses a separate validation file with the training tokenizer and class ids', async () => {
    write('valid.csv', 'id,text,label\n9,unseen words great,neg\n');
    const data = await prepare({ source: 'reviews.csv', validation: { source: 'valid.csv' } });
    assert.equal(data.validation.count, 1);
    assert.deepEqual([...data.validation.y], [0]);
    const probe = data.validationExample(0);
    assert.deepEqual(probe.tokens.filter(Boolean), ['<OOV>', '<OOV>', 'great']);
    assert.equal(probe.label, 'validation #0 (neg)');
  });

  it('reads a series from a one-number-per-line text file and from a CSV column', async () => {
    write('series.txt', '1\n2\n 3 \n4\n5\n\n');
    const fromText = await prepare({ source: 'series.txt', task: 'forecast', window: { lookback: 2, horizon: 1, normalize: 'none' } });
    assert.deepEqual([...fromText.train.x], [1, 2, 2, 3, 3, 4]);
    assert.deepEqual([...fromText.train.y], [3, 4, 5]);
    write('series.csv', 'month,passengers\n1,1\n2,2\n3,3\n4,4\n5,5\n');
    const fromCsv = await prepare({
      source: 'series.csv',
      task: 'forecast',
      columns: { text: 'text', label: 'label', value: 'passengers' },
      window: { lookback: 2, horizon: 1, normalize: 'none' },
    });
    assert.equal(fromCsv.hash, fromText.hash);
  });
});

describe('data loaders: bad files give a DataError with file, line and a fix', () => {
  it('missing file', async () => {
    await rejectsWith(prepare({ source: 'nope.csv' }), 'nope.csv', /file not found\. Paths in `data\.source` are relative to the spec file/);
  });

  it('empty file, and a header without rows', async () => {
    await rejectsWith(prepare({ source: write('empty.csv', '') }), 'empty.csv', /the file is empty\. Add data/);
    await rejectsWith(prepare({ source: write('blank.txt', '\n  \n') }), 'blank.txt', /the file is empty/);
    await rejectsWith(prepare({ source: write('header.csv', 'text,label\n') }), 'header.csv', /header row but no data rows/);
  });

  it('ragged rows', async () => {
    await rejectsWith(
      prepare({ source: write('ragged.csv', 'text,label\ngood,1\nbad\n') }),
      'ragged.csv',
      /different number of fields than the header \(expect 2, got 1\)\. Every row needs one value per column/,
      3,
    );
  });

  it('unclosed quote', async () => {
    await rejectsWith(prepare({ source: write('quote.csv', 'text,label\n"good,1\nbad,0\n') }), 'quote.csv', /quoted value is never closed/, 2);
  });

  it('missing column lists the columns that exist', async () => {
    await rejectsWith(
      prepare({ source: write('columns.csv', 'review,sentiment\ngood,1\n') }),
      'columns.csv',
      /no column "text" \(the text column\)\. The file has: "review", "sentiment"\. Set `data\.columns\.text`/,
      1,
    );
    await rejectsWith(
      prepare({ source: write('columns.jsonl', '{"text":"a","label":1}\n{"text":"b"}\n') }),
      'columns.jsonl',
      /this line has no "label" field/,
      2,
    );
  });

  it('Latin-1 text: named, with the byte, its line and a conversion that keeps it', async () => {
    const latin1 = Buffer.concat([Buffer.from('text,label\ngood,1\ncaf'), Buffer.from([0xe9]), Buffer.from(',0\n')]);
    await rejectsWith(
      prepare({ source: write('latin1.csv', latin1) }),
      'latin1.csv',
      /the file is not UTF-8: it looks like Latin-1 or Windows-1252 text \(byte 0xE9 is "é" in both\)\. Convert it with `iconv -f CP1252 -t UTF-8 latin1\.csv > utf8\.csv`\./,
      3,
    );
    await rejectsWith(prepare({ source: write('latin1.csv.gz', gzipSync(latin1)) }), 'latin1.csv.gz', /`gunzip -c latin1\.csv\.gz \| iconv -f CP1252 -t UTF-8 \| gzip > utf8\.csv\.gz`/, 3);
  });

  it('Windows-1252 text (curly quotes): named cp1252, never told Latin-1', async () => {
    // “quoted” and an en dash – as a Windows editor saves them.
    const cp1252 = Buffer.concat([Buffer.from('text,label\nplain,1\nit was '), Buffer.from([0x93]), Buffer.from('fine'), Buffer.from([0x94, 0x20, 0x96]), Buffer.from(' really,0\n')]);
    await rejectsWith(
      prepare({ source: write('windows.csv', cp1252) }),
      'windows.csv',
      /it looks like Windows-1252 \(cp1252\) text \(byte 0x93 is "“" there; .*`iconv -f CP1252 -t UTF-8 windows\.csv > utf8\.csv` \(Latin-1 would garble those characters\)/,
      3,
    );
  });

  it('UTF-16 with a byte-order mark (either order) and without one', async () => {
    const text = 'text,label\ngood,1\n';
    const bom = (order: 'le' | 'be') => {
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      return order === 'le' ? le : Buffer.from(le).swap16();
    };
    for (const order of ['le', 'be'] as const) {
      await rejectsWith(
        prepare({ source: write(`utf16${order}.csv`, bom(order)) }),
        `utf16${order}.csv`,
        new RegExp(`the file is UTF-16 text \\(it starts with a UTF-16 byte-order mark\\), but data files must be UTF-8\\. Convert it: \`iconv -f UTF-16 -t UTF-8 utf16${order}\\.csv > utf8\\.csv\``),
      );
    }
    await rejectsWith(prepare({ source: write('utf16.csv', Buffer.from(text, 'utf16le')) }), 'utf16.csv', /UTF-16 text \(every other byte is 0, without a byte-order mark\).*iconv -f UTF-16LE/);
  });

  it('binary data (NUL bytes in otherwise valid UTF-8) names the line', async () => {
    await rejectsWith(prepare({ source: write('binary.csv', Buffer.from('text,label\ngood,1\nx\u0000y,0\n')) }), 'binary.csv', /contains NUL bytes, so it is binary, not text/, 3);
  });

  it('a .gz file that is not gzip, one that is truncated, one that is corrupt', async () => {
    await rejectsWith(prepare({ source: write('plain.csv.gz', 'text,label\n') }), 'plain.csv.gz', /not gzip-compressed/);
    const whole = gzipSync(REVIEWS_CSV.repeat(50));
    await rejectsWith(
      prepare({ source: write('cut.csv.gz', whole.subarray(0, Math.floor(whole.length / 2))) }),
      'cut.csv.gz',
      /the gzip data ends early: the file is truncated \([\d,]+ bytes; an interrupted download or copy\)\. Download or copy it again/,
    );
    const corrupt = Buffer.concat([whole.subarray(0, 20), Buffer.alloc(40, 7), whole.subarray(60)]);
    await rejectsWith(prepare({ source: write('corrupt.csv.gz', corrupt) }), 'corrupt.csv.gz', /the gzip data is corrupt \(/);
  });

  it('non-numeric series values name the line and the value', async () => {
    await rejectsWith(
      prepare({ source: write('bad-series.txt', '1\n2\nabc\n4\n'), task: 'forecast' }),
      'bad-series.txt',
      /"abc" \(line 3\) is not a number\. A series needs a number on every row/,
      3,
    );
  });

  it('a single class for binary', async () => {
    await rejectsWith(
      prepare({ source: write('one-class.csv', 'text,label\ngood,1\nfine,1\n') }),
      'one-class.csv',
      /every training example has the label "1"\. Binary classification needs examples of both classes/,
    );
  });

  it('more than two labels for binary', async () => {
    await rejectsWith(
      prepare({ source: write('three.csv', 'text,label\na,x\nb,y\nc,z\n') }),
      'three.csv',
      /binary task needs labels 0\/1 or exactly two distinct values, but the training data has 3 \("x", "y", "z"\)\. Use `task: multiclass`/,
    );
  });

  it('a validation label unseen in training', async () => {
    write('odd-valid.csv', 'text,label\nhmm,meh\n');
    await rejectsWith(
      prepare({ source: 'reviews.csv', validation: { source: 'odd-valid.csv' } }),
      'odd-valid.csv',
      /the label "meh" does not occur in the training data \(labels there: "neg", "pos"\)/,
      2,
    );
  });

  it('a non-numeric regression label', async () => {
    await rejectsWith(prepare({ source: write('reg.csv', 'text,label\na,1.5\nb,high\n'), task: 'regression' }), 'reg.csv', /the label "high" is not a number/, 3);
  });

  it('a .txt without label<TAB>text lines for classification', async () => {
    await rejectsWith(prepare({ source: write('untabbed.txt', 'pos\tgood\njust text\n') }), 'untabbed.txt', /expected `label<TAB>text`/, 2);
  });

  it('an unsupported file type', async () => {
    await rejectsWith(prepare({ source: write('data.xml', '<a/>') }), 'data.xml', /unsupported file type\. Use one of \.csv, \.csv\.gz/);
  });
});

/**
 * Numeric sequences in every format, each on data the test makes: UEA `.ts` (variable lengths,
 * missing values, every wrong header refused at its line), long CSV/TSV (file order and a time
 * column), JSONL, NumPy `.npy`/`.npz`, folders of files (per class and by a name pattern, split by
 * a field or by group), one recording cut into windows; then padding, per-channel normalisation
 * fitted on training data only, missing values and augmentation.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { seededRandom } from '../../src/data/random';
import { readTable } from '../../src/data/records';
import { addNoise, timeShift } from '../../src/data/sequences/augment';
import { compilePattern, listExampleFiles } from '../../src/data/sequences/fileCollection';
import { readJsonlSequences } from '../../src/data/sequences/jsonlSequences';
import { cutRecording, readLongTable, readWideSequence, windowLabel } from '../../src/data/sequences/longTable';
import { readNpy, readNpz, sequencesFromArrays } from '../../src/data/sequences/numpyArrays';
import type { NumericSequence } from '../../src/data/sequences/sequence';
import { fitChannelStats, sequenceArrays, type SequenceArrayOptions } from '../../src/data/sequences/sequenceArrays';
import { splitSequences } from '../../src/data/sequences/sequenceSplit';
import { readTsFile } from '../../src/data/sequences/tsFormat';
import { DataError } from '../../src/data/types';
import { npyBytes } from '../fixtures/sequences/npyBytes';
import { runReferencePython, skipWithoutReferencePython } from '../python/referencePython';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-sequences-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fails(run: () => unknown, pattern: RegExp, line?: number): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DataError, String(error));
    assert.match(error.message, pattern);
    assert.equal(error.line, line, `line of: ${error.message}`);
    return true;
  });
}

const rows = (sequence: NumericSequence, channels: number) =>
  Array.from({ length: sequence.steps }, (_, t) => Array.from(sequence.values.subarray(t * channels, (t + 1) * channels)));

const TS_HEADER = '# a comment\n@problemName Toy\n@timeStamps false\n@missing true\n@univariate false\n@dimensions 2\n@equalLength false\n@classLabel true walk run\n@data\n';

describe('UEA .ts files', () => {
  it('reads channels, labels, variable lengths and ? as missing', () => {
    const set = readTsFile(`${TS_HEADER}1,2,3:4,5,6:walk\n\n7,?:8,9:run\n`, 'toy.ts');
    assert.equal(set.channels, 2);
    assert.deepEqual(set.declaredClasses, ['walk', 'run']);
    assert.equal(set.sequences.length, 2);
    assert.deepEqual(rows(set.sequences[0]!, 2), [[1, 4], [2, 5], [3, 6]]);
    assert.equal(set.sequences[1]!.steps, 2);
    assert.ok(Number.isNaN(set.sequences[1]!.values[2]!));
    assert.deepEqual(set.sequences.map((s) => [s.label, s.origin.line]), [['walk', 10], ['run', 12]]);
  });

  it('reads a regression file (@targetLabel true) and an unlabelled one', () => {
    const set = readTsFile('@problemName R\n@univariate true\n@targetLabel true\n@data\n1,2:0.5\n3,4:-2\n', 'r.ts');
    assert.deepEqual(set.sequences.map((s) => s.label), ['0.5', '-2']);
    assert.equal(readTsFile('@problemName U\n@classLabel false\n@data\n1,2,3\n', 'u.ts').sequences[0]!.label, undefined);
  });

  const wrong: [string, string, RegExp, number | undefined][] = [
    ['data before the header', '1,2:walk\n', /data before the `@data` line/, 1],
    ['no @data', '@problemName X\n@classLabel true a b\n', /no `@data` line/, undefined],
    ['an unknown tag', '@problemName X\n@classlabels true a\n@data\n', /"@classlabels" is not a \.ts header tag/, 2],
    ['a flag that is not true/false', '@problemName X\n@missing maybe\n@data\n', /takes true or false, not "maybe"/, 2],
    ['a repeated tag', '@problemName X\n@problemName Y\n@data\n', /given twice \(first at line 1\)/, 2],
    ['@classLabel true with no labels', '@classLabel true\n@data\n', /must list the class labels/, 1],
    ['a label not declared', '@classLabel true a b\n@data\n1,2:c\n', /"c" is not among those `@classLabel` declares/, 3],
    ['more dimensions than declared', '@dimensions 1\n@classLabel true a\n@data\n1:2:a\n', /2 dimensions, but the header says `@dimensions 1`/, 4],
    ['a ragged channel count', '@classLabel true a\n@data\n1,2:3,4:a\n1,2:a\n', /this series has 1 channel, but the first one has 2/, 4],
    ['dimensions of different lengths', '@classLabel true a\n@data\n1,2,3:4,5:a\n', /dimension 2 of this series has 2 values, but dimension 1 has 3/, 3],
    ['a length against @seriesLength', '@equalLength true\n@seriesLength 3\n@classLabel true a\n@data\n1,2:a\n', /@seriesLength 3/, 5],
    ['? under @missing false', '@missing false\n@classLabel true a\n@data\n1,?:a\n', /says `@missing false`/, 4],
    ['a value that is not a number', '@classLabel true a\n@data\n1,x:a\n', /"x" is not a number/, 3],
    ['timestamps', '@timeStamps true\n@classLabel true a\n@data\n(0,1),(1,2):a\n', /timestamped series .* not supported/, 1],
    ['@univariate true over two dimensions', '@univariate true\n@classLabel true a\n@data\n1:2:a\n', /`@univariate true`, but the series have 2 dimensions/, 1],
    ['a header line after @data', '@classLabel true a\n@data\n1:a\n@missing true\n', /header line after `@data`/, 4],
  ];
  for (const [what, text, pattern, line] of wrong) it(`refuses ${what}, at its line`, () => fails(() => readTsFile(text, 'bad.ts'), pattern, line));
});

describe('long tables', () => {
  const csv = (text: string) => readTable(text, 'long.csv', 'csv');
  const columns = { sequence: 'id', value: ['ax', 'ay'], label: 'activity' };

  it('groups rows by sequence id in file order', () => {
    const set = readLongTable(csv('id,ax,ay,activity\na,1,2,walk\na,3,4,walk\nb,5,6,run\n'), columns);
    assert.deepEqual(set.channelNames, ['ax', 'ay']);
    assert.deepEqual(set.sequences.map((s) => [s.label, rows(s, 2), s.origin.line]), [['walk', [[1, 2], [3, 4]], 2], ['run', [[5, 6]], 4]]);
  });

  it('orders steps by a time column (numbers or ISO dates), even when sequences interleave', () => {
    const set = readLongTable(csv('id,t,ax,ay,activity\na,2,3,4,walk\nb,1,5,6,run\na,1,1,2,walk\n'), { ...columns, time: 't' });
    assert.deepEqual(rows(set.sequences[0]!, 2), [[1, 2], [3, 4]]);
    const dated = readLongTable(csv('id,t,ax,ay,activity\na,2024-01-02,3,4,w\na,2024-01-01,1,2,w\n'), { ...columns, time: 't' });
    assert.deepEqual(rows(dated.sequences[0]!, 2), [[1, 2], [3, 4]]);
  });

  it('refuses interleaved rows without a time column, a label that changes within a sequence, a repeated time and a bad cell, each at its line', () => {
    fails(() => readLongTable(csv('id,ax,ay,activity\na,1,2,w\nb,1,2,w\na,1,2,w\n'), columns), /rows of sequence "a" are not together/, 4);
    fails(() => readLongTable(csv('id,ax,ay,activity\na,1,2,walk\na,1,2,run\n'), columns), /sequence "a" has the label "walk" at line 2 and "run" here/, 3);
    fails(() => readLongTable(csv('id,t,ax,ay,activity\na,1,1,2,w\na,1,1,2,w\n'), { ...columns, time: 't' }), /two rows at the same time \(lines 2 and 3\)/, 3);
    fails(() => readLongTable(csv('id,ax,ay,activity\na,1,oops,w\n'), columns), /"oops" is not a number/, 2);
    fails(() => readLongTable(csv('id,ax,activity\na,1,w\n'), columns), /no column "ay"/, 1);
  });

  it('reads TSV the same way', () => {
    const set = readLongTable(readTable('id\tax\tay\tactivity\na\t1\t2\tw\n', 'long.tsv', 'tsv'), columns);
    assert.deepEqual(rows(set.sequences[0]!, 2), [[1, 2]]);
  });

  it('reads one sequence per file (every column a channel)', () => {
    const set = readWideSequence(csv('x,y,z\n1,2,3\n4,5,6\n'));
    assert.equal(set.channels, 3);
    assert.deepEqual(rows(set.sequences[0]!, 3), [[1, 2, 3], [4, 5, 6]]);
  });
});

describe('one long recording cut into windows', () => {
  const table = readTable('ax,state\n1,rest\n2,rest\n3,walk\n4,walk\n5,walk\n6,rest\n', 'rec.csv', 'csv');

  it('cuts lookback-step windows every stride steps, labelled by their last step', () => {
    const set = cutRecording(table, { value: ['ax'], label: 'state' }, { lookback: 3, stride: 2, label: 'last' });
    assert.deepEqual(set.sequences.map((s) => [Array.from(s.values), s.label, s.origin.line]), [[[1, 2, 3], 'walk', 2], [[3, 4, 5], 'walk', 4]]);
  });

  it('labels by majority, a tie going to the latest step among the tied labels', () => {
    const set = cutRecording(table, { value: ['ax'], label: 'state' }, { lookback: 4, stride: 1, label: 'majority' });
    assert.deepEqual(set.sequences.map((s) => s.label), ['walk', 'walk', 'walk']);
    assert.equal(windowLabel([{ label: 'a' }, { label: 'b' }, { label: 'b' }, { label: 'a' }], 'majority'), 'a');
    assert.equal(windowLabel([{ label: 'a' }, { label: 'a' }, { label: 'b' }], 'majority'), 'a');
  });

  it('refuses a recording shorter than one window', () => {
    fails(() => cutRecording(table, { value: ['ax'], label: 'state' }, { lookback: 10, stride: 1, label: 'last' }), /6 steps, fewer than one window of 10/);
  });
});

describe('JSONL', () => {
  it('reads lists of steps and flat one-channel lists, null as missing, string and number labels', () => {
    const set = readJsonlSequences('{"x": [[1, 2], [3, null]], "label": "walk", "who": "ann"}\n\n{"x": [[5, 6]], "label": 2, "who": "bob"}\n', 'a.jsonl', { value: 'x', label: 'label', group: 'who' });
    assert.deepEqual(set.sequences.map((s) => [s.label, s.group, s.steps, s.origin.line]), [['walk', 'ann', 2, 1], ['2', 'bob', 1, 3]]);
    assert.ok(Number.isNaN(set.sequences[0]!.values[3]!));
    assert.equal(readJsonlSequences('{"x": [1, 2, 3], "label": 0}\n', 'b.jsonl', { value: 'x', label: 'label' }).channels, 1);
  });

  it('refuses a ragged channel count, a non-number, a missing x and broken JSON at their lines', () => {
    fails(() => readJsonlSequences('{"x": [[1, 2]], "label": 0}\n{"x": [[1]], "label": 0}\n', 'a.jsonl', { value: 'x', label: 'label' }), /1 channel, but the first one has 2/, 2);
    fails(() => readJsonlSequences('{"x": [[1, 2], [3]], "label": 0}\n', 'a.jsonl', { value: 'x' }), /step \(2\) has 1 channel/, 1);
    fails(() => readJsonlSequences('{"x": [["a"]], "label": 0}\n', 'a.jsonl', { value: 'x' }), /channel 1 of "x" is "a", not a number/, 1);
    fails(() => readJsonlSequences('{"label": 0}\n', 'a.jsonl', { value: 'x' }), /no list "x" \(missing\)/, 1);
    fails(() => readJsonlSequences('{"x": [[1]]\n', 'a.jsonl', { value: 'x' }), /not valid JSON/, 1);
  });
});

describe('NumPy arrays', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]; // [2, 3, 2]

  it('reads X [n, t, c] and y from .npy, float32/float64/int64, little- and big-endian, Fortran order, format 2', () => {
    for (const descr of ['<f4', '<f8', '>f8', '<i8']) {
      const set = sequencesFromArrays(readNpy(npyBytes(descr, [2, 3, 2], x), 'X.npy'), readNpy(npyBytes('<i8', [2], [0, 1]), 'y.npy'), 'X.npy');
      assert.deepEqual(set.sequences.map((s) => [s.label, rows(s, 2)]), [['0', [[1, 2], [3, 4], [5, 6]]], ['1', [[7, 8], [9, 10], [11, 12]]]], descr);
    }
    // Fortran order: the first index varies fastest. X[i, j] = 10 i + j for shape (2, 3).
    const fortran = readNpy(npyBytes('<f8', [2, 3], [0, 10, 1, 11, 2, 12], { fortran: true, version: 2 }), 'F.npy');
    assert.deepEqual(Array.from(fortran.data as Float64Array), [0, 1, 2, 10, 11, 12]);
    assert.equal(sequencesFromArrays(fortran, undefined, 'F.npy').channels, 1);
  });

  it('reads string labels (<U) from an .npz archive, stored or deflated', () => {
    for (const level of [0, 6] as const) {
      const zip = zipSync({ 'X.npy': npyBytes('<f4', [2, 3, 2], x), 'y.npy': npyBytes('<U4', [2], ['walk', 'run']) }, { level });
      const arrays = readNpz(zip, 'd.npz');
      const set = sequencesFromArrays(arrays.get('X')!, arrays.get('y'), 'd.npz');
      assert.deepEqual(set.sequences.map((s) => s.label), ['walk', 'run']);
    }
  });

  it('refuses object arrays, a wrong rank, labels of another length and a file that is not .npy', () => {
    fails(() => readNpy(npyBytes('<f8', [1], [0]).fill(0x20, 10, 20), 'bad.npy'), /header is not one Sequence Lab can read/);
    const objects = Buffer.from(npyBytes('<f8', [1], [0]).toString('latin1').replace("'<f8'", "'|O8'"), 'latin1');
    fails(() => readNpy(objects, 'o.npy'), /Python objects .* does not run pickles/);
    fails(() => sequencesFromArrays(readNpy(npyBytes('<f4', [12], x), 'X.npy'), undefined, 'X.npy'), /X has shape \(12\)/);
    fails(() => sequencesFromArrays(readNpy(npyBytes('<f4', [2, 3, 2], x), 'X.npy'), readNpy(npyBytes('<i8', [3], [0, 1, 0]), 'y.npy'), 'X.npy'), /y has shape \(3\), but X has 2 examples/);
    fails(() => readNpy(Buffer.from('not numpy at all'), 'n.npy'), /not a NumPy \.npy file/);
  });

  it("reads what NumPy itself writes (np.save, np.savez, np.savez_compressed)", { skip: skipWithoutReferencePython() }, () => {
    const script = join(dir, 'save.py');
    writeFileSync(script, `import numpy as np, sys\nX = np.arange(24, dtype=np.float32).reshape(4, 3, 2); X[1, 2, 0] = np.nan\ny = np.array(['a', 'bb', 'a', 'ccc'])\nnp.save(sys.argv[1] + '/X.npy', np.asfortranarray(X.astype(np.float64)))\nnp.savez(sys.argv[1] + '/d.npz', X=X, y=y)\nnp.savez_compressed(sys.argv[1] + '/c.npz', X=X, y=np.array([3, 1, 2, 0]))\n`);
    runReferencePython(script, [dir]);
    const npy = readNpy(readFileSync(join(dir, 'X.npy')), 'X.npy');
    assert.deepEqual(npy.shape, [4, 3, 2]);
    assert.equal((npy.data as Float64Array)[7], 7);
    for (const [name, labels] of [['d.npz', ['a', 'bb', 'a', 'ccc']], ['c.npz', ['3', '1', '2', '0']]] as const) {
      const arrays = readNpz(readFileSync(join(dir, name)), name);
      const set = sequencesFromArrays(arrays.get('X')!, arrays.get('y'), name);
      assert.deepEqual(set.sequences.map((s) => s.label), labels);
      assert.ok(Number.isNaN(set.sequences[1]!.values[4]!));
      assert.equal(set.sequences[3]!.values[5], 23);
    }
  });
});

describe('folders of example files', () => {
  const touch = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
  };

  it('labels files by their class folder', () => {
    const root = join(dir, 'folders');
    for (const name of ['yes/a.wav', 'yes/b.wav', 'no/c.WAV', 'no/d.wav', 'no/notes.txt']) touch(join(root, name));
    const files = listExampleFiles(root, '.wav');
    assert.deepEqual(files.map((f) => [f.name, f.label]), [['no/c.WAV', 'no'], ['no/d.wav', 'no'], ['yes/a.wav', 'yes'], ['yes/b.wav', 'yes']]);
  });

  it('refuses a class folder with one file, naming the file', () => {
    const root = join(dir, 'lonely');
    for (const name of ['yes/a.wav', 'yes/b.wav', 'no/c.wav']) touch(join(root, name));
    fails(() => listExampleFiles(root, '.wav'), /no\/c\.wav: the class "no" has only this one file in its folder/);
  });

  it('reads fields from a file-name pattern, and refuses a file that does not match', () => {
    const root = join(dir, 'pattern');
    for (const digit of ['0', '1']) for (const speaker of ['ann', 'bob']) for (const index of ['0', '1', '7']) touch(join(root, `${digit}_${speaker}_${index}.wav`));
    const files = listExampleFiles(root, '.wav', '{label}_{speaker}_{index}.wav');
    assert.equal(files.length, 12);
    assert.deepEqual(files[0]!.fields, { label: '0', speaker: 'ann', index: '0' });
    touch(join(root, 'stray.wav'));
    fails(() => listExampleFiles(root, '.wav', '{label}_{speaker}_{index}.wav'), /stray\.wav: this file's name does not match the pattern/);
    assert.throws(() => compilePattern('{speaker}_{index}.wav'), /has no \{label\}/);
  });
});

describe('splits', () => {
  const sequence = (label: string, fields: Record<string, string>): NumericSequence => ({ values: new Float32Array(1), steps: 1, label, fields, origin: { file: `${label}_${fields.speaker}_${fields.index}.wav` } });
  const all = ['ann', 'bob', 'cyd', 'dee'].flatMap((speaker) => Array.from({ length: 10 }, (_, index) => sequence(String(index % 2), { speaker, index: String(index) })));

  it("splits by a pattern's field: FSDD's index 0-4 validates", () => {
    const { train, validation } = splitSequences(all, { field: 'index', values: '0-4' }, 1, 'root');
    assert.equal(validation.length, 20);
    assert.ok(validation.every((s) => Number(s.fields!.index) <= 4));
    assert.ok(train.every((s) => Number(s.fields!.index) >= 5));
  });

  it('splits by group: no speaker on both sides, at least the fraction validating, the same for the same seed', () => {
    const first = splitSequences(all, { group: 'speaker', fraction: 0.25 }, 7, 'root');
    const speakers = (list: NumericSequence[]) => new Set(list.map((s) => s.fields!.speaker));
    assert.equal([...speakers(first.train)].filter((s) => speakers(first.validation).has(s)).length, 0);
    assert.ok(first.validation.length >= 10);
    assert.deepEqual(splitSequences(all, { group: 'speaker', fraction: 0.25 }, 7, 'root').validationGroups, first.validationGroups);
  });

  it('refuses a field the pattern lacks and a split that leaves one side empty', () => {
    fails(() => splitSequences(all, { field: 'session', values: '0' }, 1, 'root'), /only \{speaker\}, \{index\}/);
    fails(() => splitSequences(all, { field: 'index', values: '0-99' }, 1, 'root'), /nothing would train/);
  });
});

describe('padding, normalisation and missing values', () => {
  const seq = (values: number[][], line: number): NumericSequence => ({ values: Float32Array.from(values.flat()), steps: values.length, origin: { file: 'd.csv', line } });
  const options: SequenceArrayOptions = { channels: 2, channelNames: ['a', 'b'], timesteps: 3, padding: 'post', truncating: 'pre', maskValue: 0, normalize: 'none', missing: 'error' };

  it('pads short sequences with the mask value (pre or post) and truncates long ones, keeping the lengths', () => {
    const train = [seq([[1, 2]], 2), seq([[1, 1], [2, 2], [3, 3], [4, 4]], 3)];
    const post = sequenceArrays(train, [], options);
    assert.ok(post.masked);
    assert.deepEqual(Array.from(post.train.x), [1, 2, 0, 0, 0, 0, 2, 2, 3, 3, 4, 4]);
    assert.deepEqual(Array.from(post.train.lengths), [1, 3]);
    const pre = sequenceArrays(train, [], { ...options, padding: 'pre', truncating: 'post', maskValue: -9 });
    assert.deepEqual(Array.from(pre.train.x), [-9, -9, -9, -9, 1, 2, 1, 1, 2, 2, 3, 3]);
  });

  it('fits the per-channel statistics on the training split alone: validation data never moves them', () => {
    const train = [seq([[1, 10], [3, 30], [5, 50]], 2)];
    const normalised = { ...options, normalize: 'zscore' as const };
    const a = sequenceArrays(train, [seq([[100, 100], [100, 100], [100, 100]], 9)], normalised);
    const b = sequenceArrays(train, [seq([[-7, 1e6], [0, 0], [2, 2]], 9)], normalised);
    const sd = Math.sqrt(8 / 3);
    assert.deepEqual(a.stats!.map((s) => [s.offset, s.scale, s.column]), [[3, sd, 'a'], [30, sd * 10, 'b']]);
    assert.deepEqual(b.stats, a.stats);
    assert.deepEqual(fitChannelStats(train, normalised), a.stats);
    assert.ok(Math.abs(a.validation.x[0]! - (100 - 3) / sd) < 1e-4);
  });

  it('refuses NaN in a channel under missing: error, naming the file, line, step and channel; fills it otherwise', () => {
    const gappy = [seq([[1, 2], [NaN, 4], [5, 6]], 7)];
    fails(() => sequenceArrays(gappy, [], options), /a missing value \(NaN\), the first at step 2 of channel "a"/, 7);
    assert.deepEqual(Array.from(sequenceArrays(gappy, [], { ...options, missing: 'interpolate' }).train.x), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(sequenceArrays(gappy, [], { ...options, missing: 'ffill' }).train.x), [1, 2, 1, 4, 5, 6]);
    fails(() => sequenceArrays([seq([[NaN, 1], [NaN, 2]], 4)], [], { ...options, missing: 'ffill' }), /no values at all/, 4);
  });

  it('refuses a real step that equals the padding value in every channel (the mask would hide it)', () => {
    fails(() => sequenceArrays([seq([[0, 0], [1, 1]], 5), seq([[1, 1]], 6)], [], options), /step 1 of this sequence equals the padding value 0 in every channel/, 5);
  });
});

describe('augmentation', () => {
  it('shifts in time by at most the bound, filling with silence, the same for the same seed', () => {
    const values = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const shifted = timeShift(values, 1, 3, seededRandom(4));
    assert.deepEqual(shifted, timeShift(values, 1, 3, seededRandom(4)));
    const offset = shifted.indexOf(1) === -1 ? -(values.length - shifted.lastIndexOf(8) - 1) : shifted.indexOf(1);
    assert.ok(Math.abs(offset) <= 3);
    assert.equal(shifted.filter((v) => v === 0).length, Math.abs(offset));
  });

  it('adds noise at the stated SNR per channel', () => {
    const steps = 20000;
    const values = new Float32Array(steps * 2);
    for (let t = 0; t < steps; t++) {
      values[t * 2] = Math.sin(t / 5);
      values[t * 2 + 1] = 0;
    }
    const noisy = addNoise(values, 2, 10, seededRandom(1));
    let signal = 0;
    let noise = 0;
    for (let t = 0; t < steps; t++) {
      signal += values[t * 2]! ** 2;
      noise += (noisy[t * 2]! - values[t * 2]!) ** 2;
    }
    const snr = 10 * Math.log10(signal / noise);
    assert.ok(Math.abs(snr - 10) < 0.2, `SNR ${snr}`);
    assert.ok(noisy.filter((_, i) => i % 2 === 1).every((v) => v === 0), 'a silent channel stays silent');
  });
});

/**
 * The numeric-sequence pipeline end to end on data the test makes: a folder of WAV files named like
 * FSDD, split by the index field and by speaker, augmented with a seed; a .ts file with its own
 * validation file; statistics that only the training split moves.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareSequences, type SequencePipelineOptions } from '../../src/data/sequences/sequencePipeline';
import { DataError } from '../../src/data/types';
import { sine, wavBytes } from '../fixtures/sequences/wavBytes';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-seqpipe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base: Omit<SequencePipelineOptions, 'source' | 'split'> = {
  columns: { value: [] },
  generator: { samples: 40, length: 50 },
  seed: 1,
  task: 'multiclass',
  padding: 'post',
  truncating: 'post',
  maskValue: 0,
  normalize: 'zscore',
  missing: 'error',
  limits: { train: Infinity, validation: Infinity },
};
const mfcc = { kind: 'mfcc' as const, sample_rate: 8000, n_mfcc: 8, n_mels: 20, frame_ms: 25, hop_ms: 10, fmin: 0, duration: 0.25 };

const recordings = join(dir, 'recordings');
mkdirSync(recordings);
for (const digit of [0, 1, 2]) {
  for (const speaker of ['ann', 'bob', 'cyd']) {
    for (let index = 0; index < 4; index++) {
      const clip = sine(300 + 400 * digit + 20 * index, 8000, 0.15 + 0.02 * index);
      writeFileSync(join(recordings, `${digit}_${speaker}_${index}.wav`), wavBytes({ sampleRate: 8000, channels: [clip], encoding: 'pcm', bits: 16 }));
    }
  }
}

describe('the numeric-sequence pipeline', () => {
  it('reads a folder of WAVs by pattern into MFCC frames, FSDD-split by index, the clips kept for listening', async () => {
    const result = await prepareSequences({ ...base, source: recordings, pattern: '{label}_{speaker}_{index}.wav', audio: mfcc, split: { field: 'index', values: '0-1' } });
    assert.deepEqual(result.train.xShape, [18, 26, 8]);
    assert.deepEqual(result.validation.xShape, [18, 26, 8]);
    assert.equal(result.classes, 3);
    assert.ok(result.validationSequences.every((s) => Number(s.fields!.index) <= 1));
    assert.equal(result.validationClips!.length, 18);
    assert.equal(result.validationClips![0]!.length, Math.round(8000 * 0.15));
    assert.equal(result.input.audio?.kind, 'mfcc');
    assert.equal(result.bandHz!.length, 20);
  });

  it('keeps every speaker on one side of a group split', async () => {
    const result = await prepareSequences({ ...base, source: recordings, pattern: '{label}_{speaker}_{index}.wav', columns: { value: [], group: 'speaker' }, audio: mfcc, split: { group: 'speaker', fraction: 0.3 } });
    assert.equal(result.validationGroups!.length, 1);
    const speaker = result.validationGroups![0]!;
    assert.ok(result.validationSequences.every((s) => s.fields!.speaker === speaker));
    assert.equal(result.train.count, 24);
  });

  it('augments training clips only, seeded: the same spec gives the same arrays, another seed others', async () => {
    const options: SequencePipelineOptions = { ...base, source: recordings, pattern: '{label}_{speaker}_{index}.wav', audio: mfcc, split: { field: 'index', values: '0' }, augment: { copies: 2, time_shift: 20, noise_snr_db: 15 } };
    const first = await prepareSequences(options);
    assert.equal(first.augmented, 2 * 27);
    assert.equal(first.train.count, 27 * 3);
    assert.equal(first.validation.count, 9);
    assert.deepEqual((await prepareSequences(options)).train.x, first.train.x);
    assert.notDeepEqual((await prepareSequences({ ...options, seed: 2 })).train.x, first.train.x);
    const plain = await prepareSequences({ ...options, augment: undefined });
    assert.deepEqual(plain.validation.x.length, first.validation.x.length);
  });

  it('trains on one .ts file and validates on another; the validation file never moves the statistics', async () => {
    const header = '@problemName T\n@univariate false\n@equalLength false\n@classLabel true a b\n@data\n';
    writeFileSync(join(dir, 'train.ts'), `${header}1,2,3:4,5,6:a\n2,3:5,6:b\n`);
    writeFileSync(join(dir, 'valid1.ts'), `${header}100,200:300,400:a\n`);
    writeFileSync(join(dir, 'valid2.ts'), `${header}-5,0,7:1,1,1:b\n`);
    const run = (validation: string) => prepareSequences({ ...base, source: join(dir, 'train.ts'), validationSource: join(dir, validation), split: { fraction: 0 } });
    const [one, two] = await Promise.all([run('valid1.ts'), run('valid2.ts')]);
    assert.deepEqual(one.inputStats, two.inputStats);
    assert.deepEqual(one.inputStats!.map((s) => s.offset), [2.2, 5.2]);
    assert.equal(one.timesteps, 3);
    assert.ok(one.input.masked);
    assert.deepEqual(one.classNames, ['a', 'b']);
  });

  it('refuses a validation file with other channels, and unlabelled sequences', async () => {
    writeFileSync(join(dir, 'one-channel.ts'), '@problemName T\n@classLabel true a b\n@data\n1,2:a\n');
    await assert.rejects(prepareSequences({ ...base, source: join(dir, 'train.ts'), validationSource: join(dir, 'one-channel.ts'), split: { fraction: 0 } }), /validation data has 1 channels per step, the training data 2/);
    writeFileSync(join(dir, 'unlabelled.ts'), '@problemName T\n@classLabel false\n@data\n1,2:3,4\n5,6:7,8\n');
    await assert.rejects(prepareSequences({ ...base, source: join(dir, 'unlabelled.ts'), split: { fraction: 0.5 } }), (error: unknown) => error instanceof DataError && /has no label/.test(error.message));
  });
});

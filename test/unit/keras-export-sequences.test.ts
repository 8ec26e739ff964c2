/**
 * The Python an exported Keras script uses for numeric sequences (src/interop/keras/
 * pythonSequenceHelpers.ts) prepares the same arrays as Sequence Lab, run in the reference Python on
 * data the test makes, for every reader: .ts (a separate validation file, missing values filled),
 * a long CSV ordered by time, one recording cut into windows, JSONL split by group, .npz, and a
 * folder of WAVs by file-name pattern with seeded augmentation (librosa for the features).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { prepareSequences, type SequencePipelineOptions } from '../../src/data/sequences/sequencePipeline';
import { helpersFor } from '../../src/interop/keras/pythonHelpers';
import { npyBytes } from '../fixtures/sequences/npyBytes';
import { sine, wavBytes } from '../fixtures/sequences/wavBytes';
import { runReferencePython, skipWithoutReferencePython } from '../python/referencePython';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-export-seq-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const common = {
  generator: { samples: 0, length: 0 },
  seed: 7,
  task: 'multiclass' as const,
  padding: 'pre' as const,
  truncating: 'pre' as const,
  maskValue: 0,
  normalize: 'zscore' as const,
  missing: 'error' as const,
  limits: { train: Infinity, validation: Infinity },
};

interface Case {
  ours: SequencePipelineOptions;
  python: Record<string, unknown>;
  tolerance: number;
}

function write(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function cases(): Case[] {
  const header = '@problemName T\n@missing true\n@equalLength false\n@classLabel true up down\n@data\n';
  const tsTrain = write('train.ts', `${header}1,2,?,4:0.5,0.1,0.2,0.3:up\n3,1:2,2:down\n0.5,0.25,9:1,?,1:up\n7,6,5,4,3:1,1,1,1,1:down\n`);
  const tsValid = write('valid.ts', `${header}2,2:1,1:up\n9,8,7,6,5,4:0,1,0,1,0,1:down\n`);
  const py = (extra: Record<string, unknown>) => ({ seed: common.seed, task: common.task, padding: 'pre', truncating: 'pre', mask_value: 0, normalize: 'zscore', missing: 'error', ...extra });
  const long = write('long.csv', 'id,t,ax,ay,label\n' + Array.from({ length: 30 }, (_, r) => `s${r % 10},${(r * 7) % 30},${Math.sin(r)},${r % 4},${r % 10 < 5 ? 'walk' : 'run'}`).join('\n') + '\n');
  const recording = write('recording.csv', 'ax,ay,state\n' + Array.from({ length: 60 }, (_, r) => `${Math.cos(r / 3)},${r % 5},${['rest', 'walk', 'run'][Math.floor(r / 7) % 3]}`).join('\n') + '\n');
  const jsonl = write('seq.jsonl', Array.from({ length: 16 }, (_, i) => JSON.stringify({ x: Array.from({ length: 3 + (i % 4) }, (_, t) => [Math.sin(i + t), t === 1 && i === 3 ? null : i / 10]), label: i % 3, who: `p${i % 4}` })).join('\n') + '\n');
  const npz = write('data.npz', zipSync({ 'X.npy': npyBytes('<f8', [6, 4, 2], Array.from({ length: 48 }, (_, i) => Math.sin(i * 1.3))), 'y.npy': npyBytes('<U4', [6], ['a', 'bb', 'a', 'bb', 'a', 'bb']) }));
  const wavs = join(dir, 'wavs');
  mkdirSync(wavs);
  for (const digit of [0, 1]) for (const speaker of ['ann', 'bob']) for (let index = 0; index < 3; index++) {
    const clip = sine(250 + 500 * digit + 30 * index, 16000, 0.2 + 0.03 * index).map((v, n) => v + 0.05 * Math.sin(n * 0.7 * (speaker === 'ann' ? 1 : 1.3)));
    writeFileSync(join(wavs, `${digit}_${speaker}_${index}.wav`), wavBytes({ sampleRate: 16000, channels: [clip], encoding: 'pcm', bits: 16 }));
  }
  const audio = { kind: 'mfcc' as const, sample_rate: 8000, n_mfcc: 10, n_mels: 24, frame_ms: 25, hop_ms: 10, fmin: 0, pre_emphasis: 0.97, duration: 0.25 };
  return [
    {
      ours: { ...common, source: tsTrain, validationSource: tsValid, columns: { value: [] }, split: { fraction: 0 }, missing: 'interpolate' },
      python: py({ reader: 'ts', source: tsTrain, validation_source: tsValid, missing: 'interpolate' }),
      tolerance: 1e-6,
    },
    {
      ours: { ...common, source: long, columns: { sequence: 'id', value: ['ax', 'ay'], label: 'label', time: 't' }, split: { fraction: 0.3 }, normalize: 'minmax', padding: 'post' },
      python: py({ reader: 'long', source: long, columns: { sequence: 'id', value: ['ax', 'ay'], label: 'label', time: 't' }, split: { fraction: 0.3 }, normalize: 'minmax', padding: 'post' }),
      tolerance: 1e-6,
    },
    {
      ours: { ...common, source: recording, columns: { value: ['ax', 'ay'], label: 'state' }, window: { lookback: 8, stride: 3, label: 'majority' }, split: { fraction: 0.25 } },
      python: py({ reader: 'recording', source: recording, columns: { value: ['ax', 'ay'], label: 'state' }, window: { lookback: 8, stride: 3, rule: 'majority' }, split: { fraction: 0.25 } }),
      tolerance: 1e-6,
    },
    {
      ours: { ...common, source: jsonl, columns: { value: ['x'], label: 'label', group: 'who' }, split: { group: 'who', fraction: 0.25 }, missing: 'ffill', augment: { copies: 1, time_shift: 1, noise_snr_db: 20 } },
      python: py({ reader: 'jsonl', source: jsonl, columns: { value: 'x', label: 'label', group: 'who' }, split: { group: 'who', fraction: 0.25 }, missing: 'ffill', augment: { copies: 1, time_shift: 1, noise_snr_db: 20 } }),
      tolerance: 1e-5,
    },
    {
      ours: { ...common, source: npz, columns: { value: [] }, split: { fraction: 0.34 } },
      python: py({ reader: 'numpy', source: npz, columns: {}, split: { fraction: 0.34 } }),
      tolerance: 1e-6,
    },
    {
      ours: { ...common, source: wavs, pattern: '{label}_{speaker}_{index}.wav', columns: { value: [] }, audio, split: { field: 'index', values: '0' }, augment: { copies: 1, time_shift: 20, noise_snr_db: 25 } },
      python: py({ reader: 'wav', source: wavs, pattern: '{label}_{speaker}_{index}.wav', audio, split: { field: 'index', values: '0' }, augment: { copies: 1, time_shift: 20, noise_snr_db: 25 } }),
      // Normalised MFCCs of librosa (float32) against ours (float64); measured 2.4e-5.
      tolerance: 1e-3,
    },
  ];
}

describe('numeric sequences in an exported Keras script', { skip: skipWithoutReferencePython() }, () => {
  it('prepare exactly the arrays Sequence Lab prepares, for every reader, split and augmentation', async () => {
    const all = cases();
    const { imports, sources } = helpersFor(['read_ts', 'read_long_table', 'cut_recording', 'read_jsonl_sequences', 'read_numpy_sequences', 'list_example_files', 'audio_features', 'split_sequences', 'augment_sequences', 'sequence_arrays', 'encode_labels']);
    const driver = write('driver.py', [...imports, '', ...sources, '', readFileSync(join(__dirname, '..', 'python', 'sequence_data_driver.py'), 'utf8')].join('\n'));
    const casesFile = write('cases.json', JSON.stringify(all.map((c) => c.python)));
    const lines = runReferencePython(driver, [casesFile]).trim().split('\n');
    assert.equal(lines.length, all.length);
    for (const [i, testCase] of all.entries()) {
      const theirs = JSON.parse(lines[i]!) as { x_train: number[][][]; y_train: number[]; x_val: number[][][]; y_val: number[] };
      const ours = await prepareSequences(testCase.ours);
      assert.deepEqual(Array.from(ours.train.y), theirs.y_train, `case ${i}: y_train`);
      assert.deepEqual(Array.from(ours.validation.y), theirs.y_val, `case ${i}: y_val`);
      for (const [name, split, array] of [['x_train', ours.train, theirs.x_train], ['x_val', ours.validation, theirs.x_val]] as const) {
        assert.deepEqual(split.xShape, [array.length, array[0]?.length ?? split.xShape[1], array[0]?.[0]?.length ?? split.xShape[2]], `case ${i}: ${name} shape`);
        const flat = array.flat(2);
        let worst = 0;
        flat.forEach((value, k) => (worst = Math.max(worst, Math.abs(value - split.x[k]!))));
        assert.ok(worst <= testCase.tolerance, `case ${i}: ${name} differs by ${worst}`);
      }
    }
  });
});

/**
 * Reads a numeric-sequence source, whatever its format, into a SequenceSet: a UEA `.ts` file, a
 * long CSV/TSV (a sequence-id column, or one recording cut into windows), JSONL, `.npy`/`.npz`, a
 * folder of CSV or WAV files, or a built-in generator. Audio becomes features here (WAV ->
 * log-mel or MFCC frames), so that everything after this sees `[steps, channels]` values alone.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { readDataBytes, readDataText } from '../readSource';
import { readTable } from '../records';
import { DataError } from '../types';
import { FeatureExtractor, melBandCenters, type FeatureOptions } from '../audio/features';
import { spokenDigits, SPOKEN_DIGITS_RATE } from '../audio/spokenDigits';
import { readWav } from '../audio/wav';
import { listExampleFiles } from './fileCollection';
import { readJsonlSequences } from './jsonlSequences';
import { cutRecording, readLongTable, readWideSequence, type LongColumns, type RecordingWindows } from './longTable';
import { motionRecordings } from './motionGenerator';
import { readNpy, readNpz, sequencesFromArrays } from './numpyArrays';
import type { NumericSequence, SequenceSet } from './sequence';
import { readTsFile } from './tsFormat';

/** How audio becomes features: the options of features.ts, `sample_rate` the rate every clip is resampled to. */
export type AudioOptions = Omit<FeatureOptions, 'sampleRate'> & { sample_rate: number };

/** Seeded augmentation of training clips or sequences: `copies` extra versions of each. */
export interface AugmentOptions {
  copies: number;
  /** Largest shift, in milliseconds for audio (steps for other sequences). */
  time_shift?: number;
  /** Added Gaussian noise, in dB below the signal. */
  noise_snr_db?: number;
}

export interface SequenceSourceOptions {
  /** `builtin:motion`, `builtin:spoken-digits`, or an absolute path. */
  source: string;
  columns: LongColumns;
  /** A folder's file-name pattern (`{label}_{speaker}_{index}.wav`); absent: a folder per class. */
  pattern?: string;
  /** Cut one labelled recording into windows instead of grouping rows by `columns.sequence`. */
  window?: RecordingWindows;
  audio?: AudioOptions;
  /** Built-in generators: how much to make. */
  generator: { samples: number; length: number };
  seed: number;
  signal?: AbortSignal;
}

/** What a source gives besides its sequences: audio clips, for listening to examples. */
export interface ReadSequences extends SequenceSet {
  /** `features`: the audio settings the values came from; the mel bands' centre frequencies in Hz. */
  audio?: { options: AudioOptions; bandHz: number[] };
  /** Audio sources: each sequence's clip (mono, at `audio.options.sample_rate`), to augment and to listen to. */
  clips?: Map<NumericSequence, Float32Array>;
}

/** The file kinds a numeric source can be, by name. */
export type SequenceFormat = 'ts' | 'csv' | 'tsv' | 'jsonl' | 'npy' | 'npz' | 'folder' | 'builtin';

/** `undefined` for a name that is none of them (a `.txt` file, say). */
export function sequenceFormatOf(source: string): SequenceFormat | undefined {
  if (source.startsWith('builtin:')) return 'builtin';
  const name = source.toLowerCase().replace(/\.gz$/, '');
  const extension = extname(name).slice(1);
  if (['ts', 'csv', 'tsv', 'jsonl', 'npy', 'npz'].includes(extension)) return extension as SequenceFormat;
  const info = statSync(source, { throwIfNoEntry: false });
  return info?.isDirectory() ? 'folder' : undefined;
}

export async function readSequenceSource(options: SequenceSourceOptions): Promise<ReadSequences> {
  const format = sequenceFormatOf(options.source);
  const { source, columns } = options;
  switch (format) {
    case 'builtin':
      return readBuiltin(options);
    case 'ts':
      return readTsFile(await readDataText(source), source);
    case 'jsonl':
      return readJsonlSequences(await readDataText(source), source, { value: columns.value[0] ?? 'x', ...(columns.label ? { label: columns.label } : {}), ...(columns.group ? { group: columns.group } : {}) });
    case 'csv':
    case 'tsv': {
      const table = readTable(await readDataText(source), source, format);
      if (options.window) return cutRecording(table, columns, options.window);
      if (columns.sequence === undefined) {
        throw new DataError(
          'a table of numeric sequences needs `data.columns.sequence` (the column that says which sequence each row belongs to), or `data.window` to cut one long recording into windows.',
          source,
        );
      }
      return readLongTable(table, columns);
    }
    case 'npy': {
      const x = readNpy(await readDataBytes(source), source);
      const labels = columns.label !== undefined ? resolve(dirname(source), columns.label) : undefined;
      if (labels !== undefined && !labels.toLowerCase().endsWith('.npy')) {
        throw new DataError(`for a .npy source, \`data.columns.label\` names the .npy file of the labels beside it (e.g. y_train.npy), not "${columns.label}".`, source);
      }
      return sequencesFromArrays(x, labels !== undefined ? readNpy(await readDataBytes(labels), labels) : undefined, source);
    }
    case 'npz': {
      const arrays = readNpz(await readDataBytes(source), source);
      const xName = columns.value[0] ?? 'X';
      const x = arrays.get(xName) ?? (xName === 'X' ? arrays.get('x') : undefined);
      const names = [...arrays.keys()].join(', ');
      if (!x) throw new DataError(`the archive has no array "${xName}" (it has ${names}). Set \`data.columns.value\` to the name of the [examples, timesteps, channels] array.`, source);
      const yName = columns.label ?? 'y';
      const y = arrays.get(yName);
      if (columns.label !== undefined && !y) throw new DataError(`the archive has no array "${yName}" (it has ${names}). Set \`data.columns.label\` to the name of the labels.`, source);
      return sequencesFromArrays(x, y, source);
    }
    case 'folder':
      return readFolder(options);
    default:
      throw new DataError(
        'Sequence Lab cannot tell what numeric sequences this file holds. Use a UEA .ts file, a long .csv/.tsv, .jsonl, .npy/.npz, or a folder of .wav or .csv files.',
        source,
      );
  }
}

async function readFolder(options: SequenceSourceOptions): Promise<ReadSequences> {
  const files = listExampleFiles(options.source, options.audio ? '.wav' : '.csv', options.pattern);
  if (options.audio) {
    const extractor = audioExtractor(options.audio);
    const clips = new Map<NumericSequence, Float32Array>();
    const sequences = files.map((file): NumericSequence => {
      const { samples } = readWav(readFileSync(file.path), file.path, options.audio!.sample_rate);
      const sequence = { ...featureSequence(extractor, samples), label: file.label, fields: file.fields, ...groupOf(file.fields, options.columns.group), origin: { file: file.path } };
      clips.set(sequence, samples);
      return sequence;
    });
    return { ...audioChannels(options.audio), sequences, audio: { options: options.audio, bandHz: bandsOf(options.audio) }, clips };
  }
  let channelNames: string[] | undefined;
  const sequences = files.map((file): NumericSequence => {
    const set = readWideSequence(readTable(readFileSync(file.path, 'utf8'), file.path, 'csv'), options.columns.value.length > 0 ? options.columns.value : undefined);
    channelNames ??= set.channelNames;
    if (set.channels !== channelNames.length) {
      throw new DataError(`this file has ${set.channels} channel columns, but ${basename(files[0]!.path)} has ${channelNames.length}. Every file needs the same columns.`, file.path, 1);
    }
    return { ...set.sequences[0]!, label: file.label, fields: file.fields, ...groupOf(file.fields, options.columns.group) };
  });
  return { channels: channelNames!.length, channelNames: channelNames!, sequences };
}

async function readBuiltin(options: SequenceSourceOptions): Promise<ReadSequences> {
  const name = options.source.slice('builtin:'.length);
  if (name === 'motion') return motionRecordings({ samples: options.generator.samples, length: options.generator.length }, options.seed);
  if (name !== 'spoken-digits') throw new DataError(`there is no built-in numeric generator "${options.source}". Use builtin:motion or builtin:spoken-digits.`);
  const audio = options.audio ?? defaultAudio();
  // generator.samples examples in all: 10 digits x speakers x repetitions, with 4 speakers.
  const repetitions = Math.max(1, Math.round(options.generator.samples / 40));
  const { digits, voice } = await spokenDigits({ speakers: 4, repetitions }, options.seed, options.signal);
  const extractor = audioExtractor({ ...audio, sample_rate: SPOKEN_DIGITS_RATE });
  const clips = new Map<NumericSequence, Float32Array>();
  const sequences = digits.map((digit, i) => {
    const sequence: NumericSequence = { ...featureSequence(extractor, digit.samples), label: digit.label, fields: { ...digit.fields, voice }, group: digit.fields.speaker!, origin: { file: options.source, line: i + 1 } };
    clips.set(sequence, digit.samples);
    return sequence;
  });
  const used = { ...audio, sample_rate: SPOKEN_DIGITS_RATE };
  return { ...audioChannels(used), sequences, audio: { options: used, bandHz: bandsOf(used) }, clips };
}

/** MFCC as the lesson uses it: 13 coefficients of 40 mel bands, 25 ms frames every 10 ms, 8 kHz, 1 s. */
export function defaultAudio(): AudioOptions {
  return { kind: 'mfcc', sample_rate: SPOKEN_DIGITS_RATE, n_mfcc: 13, n_mels: 40, frame_ms: 25, hop_ms: 10, fmin: 0, duration: 1 };
}

export function audioExtractor(audio: AudioOptions): FeatureExtractor {
  return new FeatureExtractor({ ...audio, sampleRate: audio.sample_rate });
}

/** One clip's features as a sequence of frames. */
export function featureSequence(extractor: FeatureExtractor, samples: Float32Array): Pick<NumericSequence, 'values' | 'steps'> {
  const { values, frames } = extractor.compute(samples);
  return { values, steps: frames };
}

function audioChannels(audio: AudioOptions): Pick<SequenceSet, 'channels' | 'channelNames'> {
  if (audio.kind === 'mfcc') return { channels: audio.n_mfcc, channelNames: Array.from({ length: audio.n_mfcc }, (_, k) => `mfcc_${k}`) };
  return { channels: audio.n_mels, channelNames: bandsOf(audio).map((hz) => `mel_${Math.round(hz)}Hz`) };
}

function bandsOf(audio: AudioOptions): number[] {
  return melBandCenters({ n_mels: audio.n_mels, fmin: audio.fmin, ...(audio.fmax !== undefined ? { fmax: audio.fmax } : {}), sampleRate: audio.sample_rate });
}

function groupOf(fields: Record<string, string>, group: string | undefined): { group?: string } {
  return group !== undefined && fields[group] !== undefined ? { group: fields[group] } : {};
}

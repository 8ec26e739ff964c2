/**
 * Numeric sequences from source to the trainer's arrays: read (sequenceSource.ts), split (a
 * separate validation source, a fraction, a field of the file names or whole groups), capped for a
 * quick preview, the training side augmented, labels encoded on the training split, then padded,
 * filled and normalised (sequenceArrays.ts, statistics from the training split only). The result
 * is `[count, timesteps, channels]` values with a preprocessing state that says how to encode a new
 * sequence (or WAV) exactly the same way.
 */
import type { MissingPolicy, NormalizeMethod, PadSide } from '../../language/types';
import { encodeLabels, type LabelTask } from '../labels';
import type { AffineStats } from '../preprocessing';
import { deriveSeed, seededRandom } from '../random';
import type { ExampleLimits } from '../selection';
import { DataError, type Split } from '../types';
import { addNoise, timeShift } from './augment';
import type { NumericSequence } from './sequence';
import { sequenceArrays } from './sequenceArrays';
import { audioExtractor, featureSequence, readSequenceSource, type AudioOptions, type AugmentOptions, type ReadSequences, type SequenceSourceOptions } from './sequenceSource';
import { splitSequences, type SequenceSplitRule } from './sequenceSplit';

export interface SequencePipelineOptions extends SequenceSourceOptions {
  task: LabelTask;
  /** A separate validation source (absolute path), read like `source`. */
  validationSource?: string;
  /** How validation is taken from `source` when there is no `validationSource`. */
  split: SequenceSplitRule;
  /** Model input steps; undefined: the longest sequence. */
  maxLen?: number;
  padding: PadSide;
  truncating: PadSide;
  maskValue: number;
  normalize: NormalizeMethod;
  missing: MissingPolicy;
  numClasses?: number;
  augment?: AugmentOptions;
  limits: ExampleLimits;
}

/** How a new sequence is encoded like the training data; saved in `preprocessing.json` as `sequence`. */
export interface SequenceInputState {
  channels: string[];
  mask_value: number;
  padding: PadSide;
  truncating: PadSide;
  /** Sequences shorter than `timesteps` were padded and masked. */
  masked: boolean;
  missing: MissingPolicy;
  /** Audio input: the WAV is resampled to `sample_rate` and turned into these features. */
  audio?: AudioOptions;
}

export interface SequencePipelineResult {
  train: Split;
  validation: Split;
  timesteps: number;
  channels: number;
  classes?: number;
  classNames?: string[];
  /** Per-channel statistics fitted on the training split (absent: `normalize: none`). */
  inputStats?: AffineStats[];
  input: SequenceInputState;
  /** The validation sequences in array order (their origin, fields, clips). */
  validationSequences: NumericSequence[];
  /** Audio clips of the validation sequences, where the source is audio. */
  validationClips?: (Float32Array | undefined)[];
  /** Mel band centres in Hz, for a spectrogram axis (audio only). */
  bandHz?: number[];
  /** Groups that validate, for a group split. */
  validationGroups?: string[];
  /** The examples the augmentation added to the training split. */
  augmented: number;
}

export async function prepareSequences(options: SequencePipelineOptions): Promise<SequencePipelineResult> {
  const read = await readSequenceSource(options);
  const separate = options.validationSource ? await readSequenceSource({ ...options, source: options.validationSource }) : undefined;
  if (separate && separate.channels !== read.channels) {
    throw new DataError(`the validation data has ${separate.channels} channels per step, the training data ${read.channels}. Both need the same channels.`, options.validationSource);
  }
  const splits = separate ? { train: read.sequences, validation: separate.sequences } : splitSequences(read.sequences, options.split, deriveSeed(options.seed, 'split'), options.source);
  const train = splits.train.slice(0, options.limits.train);
  const validation = splits.validation.slice(0, options.limits.validation);
  if (train.length === 0) throw new DataError('no training sequences are left after the validation split. Lower the validation fraction, or add data.', options.source);
  const clips = new Map([...(read.clips ?? []), ...(separate?.clips ?? [])]);
  const extra = augmentSequences(train, read, clips, options);
  const trainAll = [...train, ...extra];
  const toExamples = (file: string, list: NumericSequence[]) => ({ file, examples: list.map((s) => ({ text: '', label: s.label ?? '', line: s.origin.line ?? 0 })) });
  assertLabelled(trainAll, options.source);
  assertLabelled(validation, options.validationSource ?? options.source);
  const labels = encodeLabels(options.task, toExamples(options.source, trainAll), toExamples(options.validationSource ?? options.source, validation), options.numClasses);
  const timesteps = options.maxLen ?? Math.max(...[...trainAll, ...validation].map((s) => s.steps));
  const arrays = sequenceArrays(trainAll, validation, {
    channels: read.channels,
    channelNames: read.channelNames,
    timesteps,
    padding: options.padding,
    truncating: options.truncating,
    maskValue: options.maskValue,
    normalize: options.normalize,
    missing: options.missing,
  });
  const split = (x: Float32Array, count: number, y: Float32Array | Int32Array): Split => ({ x, xShape: [count, timesteps, read.channels], y, yShape: [count, ...labels.shape], count });
  return {
    train: split(arrays.train.x, trainAll.length, labels.train),
    validation: split(arrays.validation.x, validation.length, labels.validation),
    timesteps,
    channels: read.channels,
    ...(labels.classes !== undefined ? { classes: labels.classes } : {}),
    ...(labels.classNames ? { classNames: labels.classNames } : {}),
    ...(arrays.stats ? { inputStats: arrays.stats } : {}),
    input: {
      channels: read.channelNames,
      mask_value: options.maskValue,
      padding: options.padding,
      truncating: options.truncating,
      masked: arrays.masked,
      missing: options.missing,
      ...(read.audio ? { audio: read.audio.options } : {}),
    },
    validationSequences: validation,
    ...(read.audio ? { validationClips: validation.map((s) => clips.get(s)), bandHz: read.audio.bandHz } : {}),
    ...('validationGroups' in splits && splits.validationGroups ? { validationGroups: splits.validationGroups } : {}),
    augmented: extra.length,
  };
}

function assertLabelled(sequences: readonly NumericSequence[], file: string): void {
  const unlabelled = sequences.find((s) => s.label === undefined);
  if (unlabelled) {
    throw new DataError('this sequence has no label, so it cannot be trained on. Name the label column (`data.columns.label`), or use a file with labels.', unlabelled.origin.file ?? file, unlabelled.origin.line);
  }
}

/**
 * `copies` augmented versions of every training sequence, each draw seeded by (seed, copy, index).
 * Audio is shifted (milliseconds) and noised as samples, then turned into features again; other
 * sequences are shifted by steps and noised as values.
 */
function augmentSequences(train: readonly NumericSequence[], read: ReadSequences, clips: Map<NumericSequence, Float32Array>, options: SequencePipelineOptions): NumericSequence[] {
  const augment = options.augment;
  if (!augment || augment.copies < 1 || (augment.time_shift === undefined && augment.noise_snr_db === undefined)) return [];
  const audio = read.audio?.options;
  const extractor = audio ? audioExtractor(audio) : undefined;
  const out: NumericSequence[] = [];
  for (let copy = 0; copy < augment.copies; copy++) {
    train.forEach((sequence, index) => {
      const random = seededRandom(deriveSeed(options.seed, 'augment', copy, index));
      const clip = clips.get(sequence);
      let values = extractor ? clip : sequence.values;
      if (!values) throw new DataError('this audio example has no clip to augment; please report this.', sequence.origin.file);
      const channels = extractor ? 1 : read.channels;
      const shift = augment.time_shift === undefined ? 0 : audio ? Math.round((augment.time_shift * audio.sample_rate) / 1000) : augment.time_shift;
      if (shift > 0) values = timeShift(values, channels, shift, random);
      if (augment.noise_snr_db !== undefined) values = addNoise(values, channels, augment.noise_snr_db, random);
      const made = extractor ? featureSequence(extractor, values) : { values, steps: sequence.steps };
      out.push({ ...sequence, ...made });
    });
  }
  return out;
}

/**
 * Sequences to the model's input array `[count, timesteps, channels]`: missing values filled (or
 * refused), every channel normalised with statistics fitted on the training split only, and
 * sequences of other lengths padded (or truncated) to `timesteps` with `mask_value`, which a
 * `Masking` layer in front of the recurrent layers turns into a mask: a masked step leaves the
 * state as it was, so a padded sequence ends in the state its unpadded self ends in.
 */
import { printableValue } from '../../language/printable';
import type { MissingPolicy, NormalizeMethod, PadSide } from '../../language/types';
import type { AffineStats } from '../preprocessing';
import { fillMissing } from '../series';
import { DataError } from '../types';
import { describeOrigin, type NumericSequence } from './sequence';

export interface SequenceArrayOptions {
  channels: number;
  channelNames: readonly string[];
  /** Steps of the model input; sequences are padded or truncated to it. */
  timesteps: number;
  padding: PadSide;
  truncating: PadSide;
  /** The value of padded steps (Keras `Masking(mask_value=...)`); default 0. */
  maskValue: number;
  normalize: NormalizeMethod;
  missing: MissingPolicy;
}

export interface SequenceArray {
  /** `[count, timesteps, channels]` row-major, normalised; padded steps hold `maskValue` in every channel. */
  x: Float32Array;
  count: number;
  /** Real steps of each sequence after truncation (the rest is padding). */
  lengths: Int32Array;
}

/**
 * `train` and `validation` to arrays; the normalisation is fitted on `train` alone (NaN-aware,
 * after filling) and applied to both. Throws a DataError for a missing value under
 * `missing: error`, an all-missing channel, or — when some sequence is padded (`masked`) — a real
 * step equal to the padding value in every channel (the mask would hide it).
 */
export function sequenceArrays(
  train: readonly NumericSequence[],
  validation: readonly NumericSequence[],
  options: SequenceArrayOptions,
): { train: SequenceArray; validation: SequenceArray; masked: boolean; stats?: AffineStats[] } {
  const filledTrain = train.map((sequence) => fillSequence(sequence, options));
  const filledValidation = validation.map((sequence) => fillSequence(sequence, options));
  const stats = fitChannelStats(filledTrain, options);
  const masked = [...train, ...validation].some((sequence) => sequence.steps < options.timesteps);
  const build = (sequences: readonly NumericSequence[]) => toArray(sequences, stats, options, masked);
  return { train: build(filledTrain), validation: build(filledValidation), masked, ...(stats ? { stats } : {}) };
}

/** Per-channel statistics of the training sequences (`normalized = (value - offset) / scale`); undefined for `none`. */
export function fitChannelStats(train: readonly NumericSequence[], options: Pick<SequenceArrayOptions, 'channels' | 'channelNames' | 'normalize'>): AffineStats[] | undefined {
  if (options.normalize === 'none') return undefined;
  const { channels } = options;
  const min = new Float64Array(channels).fill(Infinity);
  const max = new Float64Array(channels).fill(-Infinity);
  const sum = new Float64Array(channels);
  const counts = new Float64Array(channels);
  for (const { values } of train) {
    for (let i = 0; i < values.length; i++) {
      const c = i % channels;
      const value = values[i]!;
      if (Number.isNaN(value)) continue;
      sum[c] += value;
      counts[c]++;
      if (value < min[c]!) min[c] = value;
      if (value > max[c]!) max[c] = value;
    }
  }
  const squares = new Float64Array(channels);
  for (const { values } of train) {
    for (let i = 0; i < values.length; i++) {
      const c = i % channels;
      if (!Number.isNaN(values[i]!)) squares[c] += (values[i]! - sum[c]! / counts[c]!) ** 2;
    }
  }
  return Array.from({ length: channels }, (_, c) => {
    const column = options.channelNames[c];
    const named = column !== undefined ? { column } : {};
    if (options.normalize === 'minmax') return { method: 'minmax' as const, offset: min[c]!, scale: max[c]! - min[c]! || 1, ...named };
    const mean = sum[c]! / counts[c]!;
    return { method: 'zscore' as const, offset: mean, scale: Math.sqrt(squares[c]! / counts[c]!) || 1, ...named };
  });
}

function fillSequence(sequence: NumericSequence, options: SequenceArrayOptions): NumericSequence {
  const { channels } = options;
  const firstGap = sequence.values.findIndex((value) => Number.isNaN(value));
  if (firstGap === -1) return sequence;
  const step = Math.floor(firstGap / channels);
  const channel = options.channelNames[firstGap % channels] ?? String(firstGap % channels);
  if (options.missing === 'error') {
    const gaps = sequence.values.reduce((count, value) => count + (Number.isNaN(value) ? 1 : 0), 0);
    throw new DataError(
      `this sequence has ${gaps === 1 ? 'a missing value (NaN)' : `${gaps} missing values (NaN)`}, the first at step ${step + 1} of channel "${printableValue(channel)}". ` +
        'Set `data.missing: interpolate` (a straight line between the neighbours) or `data.missing: ffill` (repeat the last value) to fill them, or fix the data.',
      sequence.origin.file,
      sequence.origin.line,
    );
  }
  const lines = new Array<number>(sequence.steps).fill(sequence.origin.line ?? 0);
  try {
    const { series } = fillMissing({ file: describeOrigin(sequence.origin), values: Float64Array.from(sequence.values), features: channels, lines, columns: [...options.channelNames] }, options.missing);
    return { ...sequence, values: Float32Array.from(series.values) };
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new DataError(`a channel of this sequence has no values at all, only missing ones, so there is nothing to fill it from. Fix or drop the sequence.`, sequence.origin.file, sequence.origin.line);
  }
}

function toArray(sequences: readonly NumericSequence[], stats: AffineStats[] | undefined, options: SequenceArrayOptions, checkCollisions: boolean): SequenceArray {
  const { channels, timesteps, padding, truncating, maskValue } = options;
  const x = new Float32Array(sequences.length * timesteps * channels).fill(maskValue);
  const lengths = new Int32Array(sequences.length);
  sequences.forEach((sequence, i) => {
    const kept = Math.min(sequence.steps, timesteps);
    const from = truncating === 'pre' ? sequence.steps - kept : 0;
    const to = padding === 'pre' ? timesteps - kept : 0;
    lengths[i] = kept;
    for (let t = 0; t < kept; t++) {
      const base = (i * timesteps + to + t) * channels;
      let masked = true;
      for (let c = 0; c < channels; c++) {
        const raw = sequence.values[(from + t) * channels + c]!;
        const value = stats ? (raw - stats[c]!.offset) / stats[c]!.scale : raw;
        x[base + c] = value;
        if (Math.fround(value) !== Math.fround(maskValue)) masked = false;
      }
      if (masked && checkCollisions) {
        throw new DataError(
          `step ${from + t + 1} of this sequence equals the padding value ${maskValue} in every channel${stats ? ' after normalisation' : ''}, so the mask would hide it. Set \`data.mask_value\` to a value the data never takes (e.g. -999).`,
          sequence.origin.file,
          sequence.origin.line,
        );
      }
    }
  });
  return { x, count: sequences.length, lengths };
}

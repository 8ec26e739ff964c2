/**
 * What the data pipeline hands to the model builder and the trainer: dense, typed arrays in the
 * layout TensorFlow.js wants, plus what is needed to show tokens on a heatmap axis. No tensors
 * here: `src/data` never imports TensorFlow.js, so it stays cheap to test and to use in the checker.
 */
import { printable } from '../language/printable';
import type { DataStats } from '../protocol';
import type { PreprocessingState } from './preprocessing';

/** One split, row-major. */
export interface Split {
  /** `[count, timesteps]` token ids (Int32Array), or `[count, timesteps, features]` values. */
  x: Int32Array | Float32Array;
  xShape: number[];
  /**
   * binary / regression / forecast: `[count, 1]` (forecast: `[count, horizon]`)
   * multiclass: `[count]` integer class ids (sparse labels)
   * next-token: `[count, timesteps]` integer token ids
   */
  y: Int32Array | Float32Array;
  yShape: number[];
  count: number;
}

export interface Vocabulary {
  /** `tokens[id]`; id 0 is padding (""), id 1 is the OOV token. */
  tokens: string[];
  level: 'word' | 'char';
}

/**
 * The target steps of a split's forecasting windows: window i's j-th target is step `first + i + j`
 * of its series (the validation file's own, when validation has a file).
 */
export interface TargetSteps {
  first: number;
  /** `[count + horizon - 1]`: the date of each target step, when the series has a date column. */
  dates?: string[];
}

/** A sequence ready for a probe: ids padded like the training data, and the token under each step. */
export interface EncodedProbe {
  label: string;
  x: Int32Array | Float32Array;
  xShape: number[];
  tokens: string[];
}

export interface PreparedData {
  train: Split;
  validation: Split;
  inputKind: 'tokens' | 'values';
  timesteps: number;
  /** Values per step for `values` input. */
  features: number;
  vocabulary?: Vocabulary;
  /** multiclass: number of classes; next-token: vocabulary size. */
  classes?: number;
  /** Class names in id order, when the labels were strings. */
  classNames?: string[];
  /** forecast: where each split's window targets sit in the series, and their dates. */
  forecastSteps?: { train: TargetSteps; validation: TargetSteps };
  /** What is needed to encode new input exactly like this data (saved with the model). */
  preprocessing: PreprocessingState;
  stats: DataStats;
  /** Stable hash of the prepared arrays, recorded in run.json. */
  hash: string;
  /** Encodes literal probe text with the training tokenizer (token input only). */
  encodeText(text: string): EncodedProbe;
  /** The i-th validation example as a probe. */
  validationExample(index: number): EncodedProbe;
}

/** Progress of a slow preparation step (downloading or reading a large dataset). */
export interface DataProgress {
  stage: 'download' | 'read';
  message: string;
  /** 0..1 when the total is known. */
  fraction?: number;
}

/**
 * A failure the user can fix (bad file, missing column...). Its message is shown as is: a sentence
 * continuing `file:line: ` when there is a file, a capitalised sentence on its own otherwise.
 * Control characters quoted from a file are escaped, so the message is safe to print.
 */
export class DataError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    const text = printable(message);
    super(file ? `${printable(file)}${line !== undefined ? `:${line}` : ''}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1));
    this.name = 'DataError';
  }
}

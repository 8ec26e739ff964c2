/**
 * Audio features: log-mel spectrograms and MFCCs, computed as librosa 0.11 computes them, so that a
 * model trained here and a Keras script using librosa see the same numbers (a test holds them to
 * librosa's on the same WAV). The convention, step by step (librosa's defaults where it has one):
 *
 * 1. The signal is trimmed or zero-padded at its end to `duration` seconds (`librosa.util.fix_length`).
 * 2. Pre-emphasis `y[n] - coef * y[n-1]` when `pre_emphasis` is set (`librosa.effects.preemphasis`,
 *    whose first sample is `3 y[0] - y[1]`: its filter starts from the state `2 y[0] - y[1]`).
 * 3. STFT (`librosa.stft`, `center=True`, `pad_mode='constant'`): frames of `frame_ms`
 *    (`win_length` samples, rounded) every `hop_ms` (`hop_length`), a periodic Hann window centred
 *    in an FFT of `n_fft` = the next power of two at or above `win_length`; the signal padded with
 *    `n_fft / 2` zeros on each side, so frame t is centred on sample `t * hop_length`.
 * 4. Power spectrum `|X|^2`, then `n_mels` triangular mel filters between `fmin` and `fmax`
 *    (`librosa.filters.mel`: Slaney's mel scale and area normalisation, `htk=False, norm='slaney'`).
 * 5. Decibels: `librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80)` — 10 log10 of the power,
 *    floored at 80 dB below the spectrogram's maximum. That is the `log_mel` feature.
 * 6. MFCC: the type-II orthonormal DCT of each frame's decibels, the first `n_mfcc` coefficients
 *    (`librosa.feature.mfcc`, `dct_type=2, norm='ortho'`, no liftering).
 *
 * The FFT is `fft.js` (radix-4, power-of-two sizes); the rest follows librosa's source.
 */
import FFT from 'fft.js';

export type FeatureKind = 'mfcc' | 'log_mel';

export interface FeatureOptions {
  kind: FeatureKind;
  /** Hz of the samples (after any resampling). */
  sampleRate: number;
  /** MFCC coefficients per frame (`mfcc` only). */
  n_mfcc: number;
  /** Mel bands. */
  n_mels: number;
  /** Window length in milliseconds. */
  frame_ms: number;
  /** Step between frames in milliseconds. */
  hop_ms: number;
  /** Lowest and highest filter frequency in Hz; `fmax` undefined: half the sample rate. */
  fmin: number;
  fmax?: number;
  /** Pre-emphasis coefficient (0.97 is usual); 0 or undefined: none. */
  pre_emphasis?: number;
  /** Seconds every clip is trimmed or padded to; undefined: each clip keeps its length. */
  duration?: number;
}

/** The sizes in samples that `frame_ms` and `hop_ms` give at a sample rate. */
export interface FrameSizes {
  winLength: number;
  hopLength: number;
  nFft: number;
}

export function frameSizes(options: Pick<FeatureOptions, 'sampleRate' | 'frame_ms' | 'hop_ms'>): FrameSizes {
  const winLength = Math.max(2, Math.round((options.sampleRate * options.frame_ms) / 1000));
  const hopLength = Math.max(1, Math.round((options.sampleRate * options.hop_ms) / 1000));
  return { winLength, hopLength, nFft: 2 ** Math.ceil(Math.log2(Math.max(winLength, 4))) };
}

/** Frames a clip of `samples` samples gives (`1 + floor(samples / hop_length)`, as librosa's centred STFT). */
export function frameCount(samples: number, sizes: FrameSizes): number {
  return 1 + Math.floor(samples / sizes.hopLength);
}

/** Values per frame of a feature: `n_mfcc` or `n_mels`. */
export function featureChannels(options: Pick<FeatureOptions, 'kind' | 'n_mfcc' | 'n_mels'>): number {
  return options.kind === 'mfcc' ? options.n_mfcc : options.n_mels;
}

/** The centre frequency in Hz of each mel band (for a spectrogram's axis): librosa's `mel_frequencies(n_mels + 2)[1:-1]`. */
export function melBandCenters(options: Pick<FeatureOptions, 'n_mels' | 'fmin' | 'fmax' | 'sampleRate'>): number[] {
  return melEdges(options.n_mels, options.fmin, options.fmax ?? options.sampleRate / 2).slice(1, -1);
}

/**
 * Computes features of one clip. Reuse one extractor for many clips: it keeps the FFT tables,
 * window and filters.
 */
export class FeatureExtractor {
  readonly sizes: FrameSizes;
  readonly channels: number;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly filters: MelFilter[];
  private readonly dct?: Float64Array;
  private readonly frame: number[];
  private readonly spectrum: number[];

  constructor(readonly options: FeatureOptions) {
    const fmax = options.fmax ?? options.sampleRate / 2;
    if (!(options.fmin >= 0 && fmax > options.fmin && fmax <= options.sampleRate / 2)) {
      throw new RangeError(`fmin ${options.fmin} and fmax ${fmax} must satisfy 0 <= fmin < fmax <= sampleRate / 2 (${options.sampleRate / 2})`);
    }
    this.sizes = frameSizes(options);
    this.channels = featureChannels(options);
    this.fft = new FFT(this.sizes.nFft);
    this.window = centredHann(this.sizes.winLength, this.sizes.nFft);
    this.filters = melFilters(options.sampleRate, this.sizes.nFft, options.n_mels, options.fmin, fmax);
    if (options.kind === 'mfcc') this.dct = dctMatrix(options.n_mfcc, options.n_mels);
    this.frame = new Array<number>(this.sizes.nFft).fill(0);
    this.spectrum = this.fft.createComplexArray() as number[];
  }

  /** Samples of a clip after `duration` (the clip's own length without one). */
  clipLength(samples: number): number {
    return this.options.duration === undefined ? samples : Math.round(this.options.duration * this.options.sampleRate);
  }

  /** `[frames, channels]` row-major: one row per frame, time first, as a model reads it. */
  compute(samples: Float32Array): { values: Float32Array; frames: number } {
    const signal = this.prepare(samples);
    const { nFft, hopLength } = this.sizes;
    const frames = frameCount(signal.length, this.sizes);
    const half = nFft / 2;
    const bins = half + 1;
    const mel = new Float64Array(frames * this.options.n_mels);
    const power = new Float64Array(bins);
    for (let t = 0; t < frames; t++) {
      const start = t * hopLength - half;
      for (let n = 0; n < nFft; n++) {
        const index = start + n;
        this.frame[n] = index >= 0 && index < signal.length ? signal[index]! * this.window[n]! : 0;
      }
      this.fft.realTransform(this.spectrum, this.frame);
      for (let k = 0; k < bins; k++) {
        const re = this.spectrum[2 * k]!;
        const im = this.spectrum[2 * k + 1]!;
        power[k] = re * re + im * im;
      }
      this.filters.forEach((filter, m) => {
        let sum = 0;
        for (let k = 0; k < filter.weights.length; k++) sum += filter.weights[k]! * power[filter.start + k]!;
        mel[t * this.options.n_mels + m] = sum;
      });
    }
    powerToDb(mel);
    return { values: this.dct ? applyDct(mel, frames, this.options.n_mels, this.dct, this.options.n_mfcc) : Float32Array.from(mel), frames };
  }

  private prepare(samples: Float32Array): Float64Array {
    const length = this.clipLength(samples.length);
    const signal = new Float64Array(length);
    signal.set(samples.length > length ? samples.subarray(0, length) : samples);
    const coef = this.options.pre_emphasis ?? 0;
    if (coef !== 0 && length > 1) {
      // librosa.effects.preemphasis: lfilter([1, -coef], [1]) from the state 2 y[0] - y[1].
      const first = signal[0]! + (2 * signal[0]! - signal[1]!);
      for (let n = length - 1; n > 0; n--) signal[n] = signal[n]! - coef * signal[n - 1]!;
      signal[0] = first;
    }
    return signal;
  }
}

/** A periodic Hann window of `length` (scipy's `get_window('hann', length, fftbins=True)`), centred in `size` (`librosa.util.pad_center`). */
function centredHann(length: number, size: number): Float64Array {
  const window = new Float64Array(size);
  const offset = Math.floor((size - length) / 2);
  for (let n = 0; n < length; n++) window[offset + n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return window;
}

/** Slaney's mel scale (librosa `hz_to_mel`, `htk=False`): linear below 1 kHz, logarithmic above. */
function hzToMel(hz: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logStep : hz / fSp;
}

function melToHz(mel: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return mel >= minLogMel ? minLogHz * Math.exp(logStep * (mel - minLogMel)) : fSp * mel;
}

/** `n + 2` frequencies evenly spaced on the mel scale from fmin to fmax (librosa `mel_frequencies`). */
function melEdges(nMels: number, fmin: number, fmax: number): number[] {
  const low = hzToMel(fmin);
  const high = hzToMel(fmax);
  return Array.from({ length: nMels + 2 }, (_, i) => melToHz(low + ((high - low) * i) / (nMels + 1)));
}

interface MelFilter {
  /** First FFT bin with a non-zero weight. */
  start: number;
  weights: Float64Array;
}

/** librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney'), rows kept sparse. */
function melFilters(sampleRate: number, nFft: number, nMels: number, fmin: number, fmax: number): MelFilter[] {
  const bins = nFft / 2 + 1;
  const fftFreqs = Array.from({ length: bins }, (_, k) => (k * sampleRate) / nFft);
  const edges = melEdges(nMels, fmin, fmax);
  return Array.from({ length: nMels }, (_, m) => {
    const lowerWidth = edges[m + 1]! - edges[m]!;
    const upperWidth = edges[m + 2]! - edges[m + 1]!;
    const norm = 2 / (edges[m + 2]! - edges[m]!);
    const row = fftFreqs.map((f) => {
      const lower = (f - edges[m]!) / lowerWidth;
      const upper = (edges[m + 2]! - f) / upperWidth;
      // librosa weights in float32: round like it so a parity test compares like with like.
      return Math.fround(Math.max(0, Math.min(lower, upper)) * norm);
    });
    let start = row.findIndex((w) => w > 0);
    if (start === -1) start = 0;
    let end = row.length;
    while (end > start && row[end - 1] === 0) end--;
    return { start, weights: Float64Array.from(row.slice(start, end)) };
  });
}

/** In place: `librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0)` over the whole spectrogram. */
function powerToDb(values: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    values[i] = 10 * Math.log10(Math.max(1e-10, values[i]!));
    if (values[i]! > max) max = values[i]!;
  }
  const floor = max - 80;
  for (let i = 0; i < values.length; i++) if (values[i]! < floor) values[i] = floor;
}

/** `[nMfcc, nMels]`: rows of the orthonormal DCT-II (scipy `dct(type=2, norm='ortho')`). */
function dctMatrix(nMfcc: number, nMels: number): Float64Array {
  const matrix = new Float64Array(nMfcc * nMels);
  for (let k = 0; k < nMfcc; k++) {
    const scale = Math.sqrt((k === 0 ? 1 : 2) / nMels);
    for (let n = 0; n < nMels; n++) matrix[k * nMels + n] = scale * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nMels));
  }
  return matrix;
}

function applyDct(mel: Float64Array, frames: number, nMels: number, dct: Float64Array, nMfcc: number): Float32Array {
  const out = new Float32Array(frames * nMfcc);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < nMfcc; k++) {
      let sum = 0;
      for (let n = 0; n < nMels; n++) sum += dct[k * nMels + n]! * mel[t * nMels + n]!;
      out[t * nMfcc + k] = sum;
    }
  }
  return out;
}

/**
 * Seeded augmentation of training sequences (never of validation ones): a time shift and added
 * Gaussian noise at a signal-to-noise ratio. Both work on `[steps, channels]` values (an audio
 * clip is `[samples, 1]`), so the same draws serve sensor signals and audio before its features.
 * Every draw comes from the `Random` passed in: derive it from the run's seed and the example
 * (`deriveSeed(seed, 'augment', copy, index)`), and the same spec augments the same way.
 */
import { gaussian, type Random } from '../random';

/**
 * Moves the sequence by a whole number of steps drawn uniformly from `[-maxShift, maxShift]`:
 * later (positive) or earlier, the steps moved in filled with zeros (silence), the length kept.
 */
export function timeShift(values: Float32Array, channels: number, maxShift: number, random: Random): Float32Array {
  const steps = values.length / channels;
  const shift = Math.round((random() * 2 - 1) * maxShift);
  const out = new Float32Array(values.length);
  for (let t = 0; t < steps; t++) {
    const from = t - shift;
    if (from >= 0 && from < steps) out.set(values.subarray(from * channels, (from + 1) * channels), t * channels);
  }
  return out;
}

/**
 * Adds white Gaussian noise at `snrDb` decibels below the signal, per channel:
 * noise variance = (mean square of the channel) / 10^(snrDb / 10). A silent channel stays silent.
 */
export function addNoise(values: Float32Array, channels: number, snrDb: number, random: Random): Float32Array {
  const steps = values.length / channels;
  const out = Float32Array.from(values);
  for (let c = 0; c < channels; c++) {
    let power = 0;
    for (let t = 0; t < steps; t++) power += values[t * channels + c]! ** 2;
    power /= steps;
    const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
    for (let t = 0; t < steps; t++) out[t * channels + c] = values[t * channels + c]! + sigma * gaussian(random);
  }
  return out;
}

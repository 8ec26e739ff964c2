/**
 * Polyphase resampling between whole sample rates, as `librosa.resample(y, orig_sr=..., target_sr=...,
 * res_type='polyphase')` does it (scipy's `resample_poly` with its defaults, then librosa's
 * `fix_length` to `ceil(n * target / orig)`): the rates reduced by their gcd to `up / down`, a
 * linear-phase low-pass FIR of `20 * max(up, down) + 1` taps (`firwin`, cutoff `1 / max(up, down)`
 * of Nyquist, Kaiser window with beta 5, unit DC gain, times `up`), applied by `upfirdn` with zero
 * padding and the output centred on the input. The Keras export resamples the same way, so both
 * sides see the same samples.
 */

/** `samples` at `from` Hz to `to` Hz (whole numbers). */
export function resamplePolyphase(samples: Float32Array, from: number, to: number): Float32Array {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < 1) throw new RangeError(`sample rates must be whole numbers of Hz, not ${from} and ${to}`);
  const divisor = gcd(from, to);
  const up = to / divisor;
  const down = from / divisor;
  const fixedLength = Math.ceil((samples.length * to) / from);
  if (up === 1 && down === 1) return Float32Array.from(samples);
  const maxRate = Math.max(up, down);
  const halfLength = 10 * maxRate;
  const taps = lowPass(2 * halfLength + 1, 1 / maxRate).map((h) => h * up);
  // scipy: zero-pad the filter in front so that output samples sit at the centre of the input's.
  const prePad = down - (halfLength % down);
  const filter = new Float64Array(prePad + taps.length);
  filter.set(taps, prePad);
  const preRemove = Math.floor((halfLength + prePad) / down);
  const inputs = samples.length;
  const outputs = Math.ceil((inputs * up) / down);
  const out = new Float32Array(fixedLength);
  const count = Math.min(outputs, fixedLength);
  for (let k = 0; k < count; k++) {
    // Output k of upfirdn is the convolution at j = (k + preRemove) * down of the zero-stuffed input.
    const j = (k + preRemove) * down;
    const first = Math.max(0, Math.ceil((j - filter.length + 1) / up));
    const last = Math.min(inputs - 1, Math.floor(j / up));
    let sum = 0;
    for (let i = first; i <= last; i++) sum += filter[j - i * up]! * samples[i]!;
    out[k] = sum;
  }
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** scipy.signal.firwin(numtaps, cutoff, window=('kaiser', 5.0)): windowed sinc, scaled to a DC gain of 1. */
function lowPass(numtaps: number, cutoff: number): Float64Array {
  const alpha = (numtaps - 1) / 2;
  const h = new Float64Array(numtaps);
  const beta = 5;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < numtaps; n++) {
    const m = n - alpha;
    const x = cutoff * m;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const ratio = (2 * n) / (numtaps - 1) - 1;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / i0Beta;
    h[n] = cutoff * sinc * window;
    sum += h[n]!;
  }
  for (let n = 0; n < numtaps; n++) h[n] = h[n]! / sum;
  return h;
}

/** The modified Bessel function of the first kind, order 0 (its power series, to double precision). */
function besselI0(x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200 && term > sum * 1e-17; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

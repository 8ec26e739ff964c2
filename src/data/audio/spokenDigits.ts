/**
 * `builtin:spoken-digits`: spoken-like audio so the `spoken-digits` lesson runs without FSDD.
 * Each example is one digit 0-9 said by one "speaker", 8 kHz mono like FSDD, named like FSDD
 * (`{label}_{speaker}_{index}`), so the same split by `index` applies.
 *
 * - Where Debian's `espeak-ng` is installed (`apt-get install espeak-ng`), it speaks the digit
 *   words: each speaker is an espeak-ng voice variant (`en+m3`, `en+f2`, ...) and each repetition
 *   draws its own speed (words per minute) and pitch from the seed. espeak-ng's 22,050 Hz output is
 *   resampled to 8 kHz as any WAV is (polyphase).
 * - Without it, tones stand in for words: a digit is two "syllables", each a pair of tones at the
 *   digit's own frequencies (a formant-like pattern) gliding by the digit's own slope, scaled by
 *   the speaker's pitch, with jittered durations and noise. Learnable the same way, but not speech;
 *   the lesson's text says which one ran (`voice` in the examples' fields).
 */
import { spawn, spawnSync } from 'node:child_process';
import { gaussian, seededRandom, type Random } from '../random';
import { DataError } from '../types';
import { readWav } from './wav';

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
export const SPOKEN_DIGITS_RATE = 8000;
const VOICES = ['en+m1', 'en+f2', 'en+m3', 'en+f4', 'en+m5', 'en+f1', 'en+m7', 'en+f3'];

export interface SpokenDigit {
  label: string;
  /** `{ label, speaker, index }`, as FSDD's file names give them. */
  fields: Record<string, string>;
  /** Mono samples at SPOKEN_DIGITS_RATE. */
  samples: Float32Array;
}

export interface SpokenDigitOptions {
  /** Speakers (at most 8 with espeak-ng's voices). */
  speakers: number;
  /** Repetitions of every digit by every speaker (FSDD has 50). */
  repetitions: number;
  /** Force the tone stand-in even where espeak-ng is installed. */
  tones?: boolean;
}

/** The espeak-ng version line, or undefined when it is not installed. */
export function espeakVersion(): string | undefined {
  const result = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Every digit by every speaker `repetitions` times, speaker-major then digit then index. */
export async function spokenDigits(options: SpokenDigitOptions, seed: number, signal?: AbortSignal): Promise<{ digits: SpokenDigit[]; voice: 'espeak-ng' | 'tones' }> {
  const speakers = Math.max(1, Math.min(options.speakers, VOICES.length));
  const random = seededRandom(seed);
  const jobs: { digit: number; speaker: number; index: number; speed: number; pitch: number }[] = [];
  for (let speaker = 0; speaker < speakers; speaker++) {
    for (let digit = 0; digit < 10; digit++) {
      for (let index = 0; index < options.repetitions; index++) jobs.push({ digit, speaker, index, speed: 130 + Math.round(60 * random()), pitch: 30 + Math.round(40 * random()) });
    }
  }
  const voice = !options.tones && espeakVersion() !== undefined ? 'espeak-ng' : 'tones';
  const speakerPitch = Array.from({ length: speakers }, () => 0.75 + 0.5 * random());
  const speak = (job: (typeof jobs)[number]) =>
    voice === 'espeak-ng' ? espeak(DIGIT_WORDS[job.digit]!, VOICES[job.speaker]!, job.speed, job.pitch, signal) : Promise.resolve(tones(job.digit, speakerPitch[job.speaker]!, seededRandom(seed + 7919 * jobs.indexOf(job))));
  const samples = await mapLimited(jobs, 4, speak);
  const digits = jobs.map((job, i) => {
    const label = String(job.digit);
    return { label, fields: { label, speaker: `${voice === 'espeak-ng' ? VOICES[job.speaker]!.replace('+', '-') : `tone${job.speaker + 1}`}`, index: String(job.index) }, samples: samples[i]! };
  });
  return { digits, voice };
}

function espeak(word: string, voice: string, speed: number, pitch: number, signal?: AbortSignal): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const child = spawn('espeak-ng', ['--stdout', '-v', voice, '-s', String(speed), '-p', String(pitch), word], { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new DataError(`espeak-ng failed (exit ${code}) speaking "${word}" with voice ${voice}: ${stderr.trim().slice(0, 200)}`));
      try {
        resolve(readWav(Buffer.concat(chunks), `espeak-ng ${voice} "${word}"`, SPOKEN_DIGITS_RATE).samples);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

/** Two syllables of two gliding tones each, at the digit's frequencies times the speaker's pitch. */
function tones(digit: number, pitch: number, random: Random): Float32Array {
  const rate = SPOKEN_DIGITS_RATE;
  const syllables = [
    { low: 300 + 60 * digit, high: 1200 + 140 * ((digit * 3) % 10) },
    { low: 500 + 45 * ((digit * 7) % 10), high: 1800 + 110 * ((digit * 9) % 10) },
  ];
  const glide = (digit - 4.5) * 0.06;
  const parts: number[] = Array.from({ length: Math.round(rate * (0.05 + 0.05 * random())) }, () => 0);
  for (const { low, high } of syllables) {
    const length = Math.round(rate * (0.16 + 0.08 * random()));
    let phaseLow = 0;
    let phaseHigh = 0;
    for (let n = 0; n < length; n++) {
      const progress = n / length;
      const bend = 1 + glide * progress;
      phaseLow += (2 * Math.PI * low * pitch * bend) / rate;
      phaseHigh += (2 * Math.PI * high * pitch * bend) / rate;
      const envelope = Math.sin(Math.PI * progress);
      parts.push(envelope * (0.5 * Math.sin(phaseLow) + 0.25 * Math.sin(phaseHigh)) + 0.01 * gaussian(random));
    }
    for (let n = 0; n < Math.round(rate * 0.04); n++) parts.push(0.01 * gaussian(random));
  }
  return Float32Array.from(parts);
}

/** `items.map(run)` with at most `limit` running at once, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

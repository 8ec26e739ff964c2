/**
 * `builtin:motion`: synthetic smart-watch recordings shaped like the UEA BasicMotions set, so the
 * `basic-motions` lesson runs on a machine without the data. Each example is `length` steps
 * (default 100, "10 s at 10 Hz") of 6 channels: accelerometer x, y, z (in g) and gyroscope x, y, z
 * (rad/s). Four activities, with subjects that differ in strength and cadence:
 *
 * - Standing: gravity on z, a slow sway and sensor noise;
 * - Walking: a step rhythm of 1.6-2.1 Hz, accelerations of about 0.4 g, a gentle arm swing;
 * - Running: 2.5-3.2 Hz, about 1.2 g, a strong swing;
 * - Badminton: standing between 2-4 bursts of a fast swing (large gyroscope peaks).
 *
 * Every draw comes from `seed`: the same spec makes the same recordings.
 */
import { gaussian, randomInt, seededRandom, type Random } from '../random';
import type { NumericSequence, SequenceSet } from './sequence';

export const MOTION_CLASSES = ['Standing', 'Walking', 'Running', 'Badminton'] as const;
export const MOTION_CHANNELS = ['acc_x', 'acc_y', 'acc_z', 'gyro_x', 'gyro_y', 'gyro_z'];
/** Samples per second of the recordings. */
export const MOTION_RATE = 10;

export interface MotionOptions {
  /** Examples in all, spread evenly over the classes (class i gets examples i, i + 4, ...). */
  samples: number;
  /** Steps per example. */
  length: number;
  /** Distinct subjects; example n is subject n mod subjects' (for group splits). */
  subjects?: number;
}

export function motionRecordings({ samples, length, subjects = 4 }: MotionOptions, seed: number): SequenceSet {
  const random = seededRandom(seed);
  const strength = Array.from({ length: subjects }, () => 0.8 + 0.4 * random());
  const cadence = Array.from({ length: subjects }, () => 0.9 + 0.2 * random());
  const sequences: NumericSequence[] = [];
  for (let n = 0; n < samples; n++) {
    const label = MOTION_CLASSES[n % MOTION_CLASSES.length]!;
    const subject = Math.floor(n / MOTION_CLASSES.length) % subjects;
    const values = recording(label, length, strength[subject]!, cadence[subject]!, random);
    sequences.push({ values, steps: length, label, group: `subject${subject + 1}`, origin: { file: 'builtin:motion', line: n + 1 } });
  }
  return { channels: 6, channelNames: MOTION_CHANNELS, sequences, declaredClasses: [...MOTION_CLASSES] };
}

function recording(label: (typeof MOTION_CLASSES)[number], length: number, strength: number, cadence: number, random: Random): Float32Array {
  const out = new Float32Array(length * 6);
  const phase = random() * 2 * Math.PI;
  const tilt = 0.1 * gaussian(random);
  const rhythm = { Standing: 0.2, Walking: 1.6 + 0.5 * random(), Running: 2.5 + 0.7 * random(), Badminton: 0.2 }[label] * cadence;
  const amplitude = { Standing: 0.02, Walking: 0.4, Running: 1.2, Badminton: 0.05 }[label] * strength;
  const swings = label === 'Badminton' ? Array.from({ length: 2 + randomInt(random, 3) }, () => randomInt(random, Math.max(1, length - 6))) : [];
  for (let t = 0; t < length; t++) {
    const seconds = t / MOTION_RATE;
    const angle = 2 * Math.PI * rhythm * seconds + phase;
    let swing = 0;
    for (const start of swings) {
      const dt = t - start;
      if (dt >= 0 && dt < 6) swing += Math.sin((Math.PI * dt) / 6) * 3 * strength;
    }
    const noise = () => 0.03 * gaussian(random);
    const row = [
      amplitude * Math.sin(angle) + 0.5 * swing + tilt + noise(),
      0.5 * amplitude * Math.sin(2 * angle) + 0.3 * swing + noise(),
      1 + amplitude * Math.cos(2 * angle) + noise(),
      1.5 * amplitude * Math.cos(angle) + 2 * swing + noise(),
      amplitude * Math.sin(angle + 1) + 1.5 * swing + noise(),
      0.5 * amplitude * Math.cos(angle + 2) + noise(),
    ];
    out.set(row, t * 6);
  }
  return out;
}

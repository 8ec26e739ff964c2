/**
 * The built-in generators of the numeric lessons: synthetic motion recordings (BasicMotions'
 * shape) and spoken-like digits (espeak-ng where installed, tones otherwise). Seeded: the same
 * seed makes the same data. The classes must be told apart by their signal, not by chance.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIGIT_WORDS, espeakVersion, SPOKEN_DIGITS_RATE, spokenDigits } from '../../src/data/audio/spokenDigits';
import { MOTION_CHANNELS, MOTION_CLASSES, motionRecordings } from '../../src/data/sequences/motionGenerator';

/** Mean absolute step-to-step change of channel `c`: how much a recording moves. */
function activity(values: Float32Array, channels: number, c: number): number {
  let sum = 0;
  const steps = values.length / channels;
  for (let t = 1; t < steps; t++) sum += Math.abs(values[t * channels + c]! - values[(t - 1) * channels + c]!);
  return sum / (steps - 1);
}

describe('builtin:motion', () => {
  it('makes 6-channel recordings of four activities, evenly, with subjects as groups, the same for the same seed', () => {
    const set = motionRecordings({ samples: 40, length: 100 }, 5);
    assert.equal(set.channels, 6);
    assert.deepEqual(set.channelNames, MOTION_CHANNELS);
    assert.deepEqual(set.declaredClasses, [...MOTION_CLASSES]);
    for (const name of MOTION_CLASSES) assert.equal(set.sequences.filter((s) => s.label === name).length, 10);
    assert.ok(set.sequences.every((s) => s.steps === 100 && s.values.length === 600 && s.group?.startsWith('subject')));
    assert.deepEqual(motionRecordings({ samples: 40, length: 100 }, 5).sequences[7]!.values, set.sequences[7]!.values);
    assert.notDeepEqual(motionRecordings({ samples: 40, length: 100 }, 6).sequences[7]!.values, set.sequences[7]!.values);
  });

  it('moves least when standing and most when running, on average over the accelerometer', () => {
    const set = motionRecordings({ samples: 80, length: 100 }, 1);
    const mean = (label: string) => {
      const members = set.sequences.filter((s) => s.label === label);
      return members.reduce((sum, s) => sum + activity(s.values, 6, 0) + activity(s.values, 6, 2), 0) / members.length;
    };
    assert.ok(mean('Standing') < mean('Walking') && mean('Walking') < mean('Running'), `${mean('Standing')} ${mean('Walking')} ${mean('Running')}`);
  });
});

describe('builtin:spoken-digits', () => {
  it('without espeak-ng: tone "words", FSDD-named fields, 8 kHz, distinct per digit, the same for the same seed', async () => {
    const { digits, voice } = await spokenDigits({ speakers: 2, repetitions: 3, tones: true }, 11);
    assert.equal(voice, 'tones');
    assert.equal(digits.length, 2 * 10 * 3);
    assert.deepEqual(digits[4]!.fields, { label: '1', speaker: 'tone1', index: '1' });
    assert.ok(digits.every((d) => d.samples.length > 0.3 * SPOKEN_DIGITS_RATE && d.samples.length < SPOKEN_DIGITS_RATE));
    const again = await spokenDigits({ speakers: 2, repetitions: 3, tones: true }, 11);
    assert.deepEqual(again.digits[17]!.samples, digits[17]!.samples);
    // The zero-crossing rate differs between digits far more than between repetitions of one.
    const rate = (samples: Float32Array) => samples.reduce((n, v, i) => n + (i > 0 && samples[i - 1]! < 0 && v >= 0 ? 1 : 0), 0) / samples.length;
    const ofDigit = (digit: number) => digits.filter((d) => d.label === String(digit) && d.fields.speaker === 'tone1').map((d) => rate(d.samples));
    const spread = Math.max(...ofDigit(0)) - Math.min(...ofDigit(0));
    assert.ok(Math.abs(ofDigit(9)[0]! - ofDigit(0)[0]!) > 2 * spread, `digit 0 vs 9: ${ofDigit(0)} / ${ofDigit(9)}`);
  });

  it('with espeak-ng: the digit words spoken by voice variants, resampled to 8 kHz', { skip: espeakVersion() ? false : 'espeak-ng is not installed (apt-get install espeak-ng)' }, async () => {
    const { digits, voice } = await spokenDigits({ speakers: 2, repetitions: 1 }, 3);
    assert.equal(voice, 'espeak-ng');
    assert.equal(digits.length, 20);
    assert.deepEqual(digits[0]!.fields, { label: '0', speaker: 'en-m1', index: '0' });
    assert.equal(DIGIT_WORDS[7], 'seven');
    for (const digit of digits) {
      const peak = digit.samples.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
      assert.ok(digit.samples.length > 0.2 * SPOKEN_DIGITS_RATE && digit.samples.length < 2 * SPOKEN_DIGITS_RATE, String(digit.samples.length));
      assert.ok(peak > 0.05, `digit ${digit.label} is silent`);
    }
  });
});

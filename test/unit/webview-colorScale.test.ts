import assert from 'node:assert/strict';
import { test } from 'node:test';
import { divergingColor, paletteFor, symmetricLimit, type Rgb } from '../../webview/src/colorScale';

const light = paletteFor('light');

test('the ends and the centre of the scale are the palette stops', () => {
  assert.deepEqual(divergingColor(-1, 1, light), light[0]);
  assert.deepEqual(divergingColor(0, 1, light), light[2]);
  assert.deepEqual(divergingColor(1, 1, light), light[4]);
  assert.deepEqual(divergingColor(-0.5, 1, light), light[1]);
});

test('values beyond the limit clamp, NaN gets the neutral centre', () => {
  assert.deepEqual(divergingColor(7, 1, light), light[4]);
  assert.deepEqual(divergingColor(-7, 1, light), light[0]);
  assert.deepEqual(divergingColor(Number.NaN, 1, light), light[2]);
});

test('negative values are blue and positive values red, symmetrically around 0', () => {
  const blueness = ([r, , b]: Rgb) => b - r;
  for (const kind of ['light', 'dark', 'high-contrast'] as const) {
    const palette = paletteFor(kind);
    assert.ok(blueness(divergingColor(-0.8, 1, palette)) > 0, kind);
    assert.ok(blueness(divergingColor(0.8, 1, palette)) < 0, kind);
    // Stronger values sit further from the neutral centre.
    const distance = (v: number) => Math.hypot(...divergingColor(v, 1, palette).map((c, i) => c - palette[2][i]));
    assert.ok(distance(0.9) > distance(0.3), kind);
    assert.ok(distance(-0.9) > distance(-0.3), kind);
  }
});

test('interpolation between stops is linear', () => {
  const mid = divergingColor(0.25, 1, light);
  light[2].forEach((c, i) => assert.equal(mid[i], Math.round((c + light[3][i]) / 2)));
});

test('the range is [-1, 1] for tanh states and a round number beyond', () => {
  assert.equal(symmetricLimit(0.97), 1);
  assert.equal(symmetricLimit(0), 1);
  assert.equal(symmetricLimit(1.7), 2);
  assert.equal(symmetricLimit(2.2), 2.5);
  assert.equal(symmetricLimit(37), 50);
  assert.equal(symmetricLimit(Number.POSITIVE_INFINITY), 1);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textWindow } from '../../webview/src/tokenWindow';

describe('the timesteps a heatmap shows', () => {
  it('drops pre-padding and post-padding around the text', () => {
    assert.deepEqual(textWindow(['', '', 'not', 'good']), { start: 2, end: 4 });
    assert.deepEqual(textWindow(['not', 'good', '', '']), { start: 0, end: 2 });
    assert.deepEqual(textWindow(['', 'a', '', 'b', '']), { start: 1, end: 4 });
  });

  it('keeps everything when nothing is padding, or when everything is', () => {
    assert.deepEqual(textWindow(['0.5', '0.7']), { start: 0, end: 2 });
    assert.deepEqual(textWindow(['', '']), { start: 0, end: 2 });
    assert.deepEqual(textWindow([]), { start: 0, end: 0 });
  });
});

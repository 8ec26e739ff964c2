/**
 * `seqlab probe`'s text: the attribution (method named, bars pointing the score's way) and the
 * character heatmaps (shade from a matrix's min to max, padding left out, long texts elided, both
 * directions of a bidirectional layer).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatInspection, SHOWN_STEPS } from '../../src/cli/probeText';
import { quantize } from '../../src/inspect/quantize';
import type { InspectionEvent, LayerGates } from '../../src/protocol';

function gru(direction: 'forward' | 'backward', start: number, rows: number, value: (t: number, u: number) => number): LayerGates {
  const matrix = quantize(rows, 2, value, [0, 1]);
  return { layer: 'gru', cell: 'gru', direction, start, gates: [{ gate: 'update', values: matrix }, { gate: 'reset', values: matrix }, { gate: 'candidate', values: quantize(rows, 2, () => 0, [-1, 1]) }], keep: Array.from({ length: rows }, (_, t) => t / 10) };
}

function inspection(tokens: string[], gates: LayerGates[], scores: number[]): InspectionEvent {
  return {
    type: 'inspection',
    id: 'q',
    input: tokens.join(' '),
    weights: { kind: 'final' },
    probe: { id: 'q', label: 'q', tokens, layers: [{ layer: 'gru', units: 2, states: tokens.map((_, t) => [t === 0 ? -1 : 1, 0]) }] },
    gates,
    attribution: { method: 'integrated-gradients', description: 'integrated gradients over the embedding (32 steps from a zero embedding)', target: 'probability of “positive”', scores, total: scores.reduce((a, b) => a + b, 0) },
  };
}

describe('seqlab probe text', () => {
  it('names the attribution method and draws each score towards or against the target', () => {
    const lines = formatInspection(inspection(['', 'not', 'good'], [gru('forward', 1, 2, (t) => t)], [0, -0.2, 0.4]));
    assert.ok(lines.some((line) => line.startsWith('Attribution (integrated-gradients: integrated gradients over the embedding (32 steps from a zero embedding)) of the probability of “positive”')));
    const not = lines.find((line) => /^2 +"not"/.test(line));
    const good = lines.find((line) => /^3 +"good"/.test(line));
    assert.match(not ?? '', /-0\.2000 +█{6}\|$/);
    assert.match(good ?? '', /\+0\.4000 +\|█{12}$/);
    assert.ok(!lines.some((line) => /^ *1 +""/.test(line)), 'padding is not listed');
  });

  it('shades the hidden state and each gate from its min (blank) to max (█), steps down, with memory kept', () => {
    const lines = formatInspection(inspection(['', 'not', 'good'], [gru('forward', 1, 2, (t) => t)], [0, 0.1, 0.1]));
    const header = lines.findIndex((line) => /^step +token +h +z +r +h~ +kept$/.test(line));
    assert.ok(header > 0, lines.join('\n'));
    // h over the shown steps (padding left out) spans 0..1; the gates keep their bounds.
    assert.match(lines[header + 1], /^ +0\.00\.\.1\.00 +0\.00\.\.1\.00 +0\.00\.\.1\.00 +-1\.00\.\.1\.00$/);
    // Step 2 ("not"): h = (1, 0) -> full, blank; z and r at 0 -> blank; the candidate at 0 -> middle of -1..1.
    assert.match(lines[header + 2], /^ +2 +"not" +█ {11} {12} {12}▒▒ {11}0\.00$/);
    assert.match(lines[header + 3], /^ +3 +"good" +█ {11}██ {10}██ {10}▒▒ {11}0\.10$/);
  });

  it('draws both directions of a bidirectional layer and elides the middle of a long text', () => {
    const tokens = Array.from({ length: SHOWN_STEPS + 10 }, (_, t) => `w${t}`);
    const scores = tokens.map((_, t) => (t === 30 ? -1 : 0.01));
    const lines = formatInspection(inspection(tokens, [gru('forward', 0, tokens.length, () => 1), gru('backward', 0, tokens.length, () => 0)], scores));
    assert.ok(lines.some((line) => /^step +token +h +z → +r → +h~ → +z ← +r ← +h~ ← +kept →\/←$/.test(line)), lines.join('\n'));
    assert.equal(lines.filter((line) => /^ +\d+ +"w\d+" /.test(line)).length, SHOWN_STEPS);
    assert.ok(lines.some((line) => line.startsWith('…')));
    assert.ok(lines.some((line) => line.startsWith('(the 20 tokens with the largest scores of 50')));
    assert.ok(lines.some((line) => /^31 +"w30" +-1\.0000 +█{12}\|$/.test(line)));
  });
});

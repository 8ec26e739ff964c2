/**
 * The pure parts of the inside-the-model views: how their events fold into the run state, which
 * snapshot the epoch slider shows, the gradient-flow lines (overlays included), decoding of gate
 * matrices, and the protocol's checks on the views' events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantize } from '../../src/inspect/quantize';
import { isRunEvent, isWebviewToHost, type GradientFlowEvent, type RunEvent } from '../../src/protocol';
import { shownEpoch, unionEpochs } from '../../webview/src/epochs';
import { decadeSplits, flowCharts, flowLines, survivingFraction } from '../../webview/src/flowSeries';
import { decodeMatrix, gateScale } from '../../webview/src/gateData';
import { CLIPPED_GRAD_NORM, columnOf, GRAD_NORM, stateFromView } from '../../webview/src/state';

function gradients(epoch: number, norms: number[]): GradientFlowEvent {
  return { type: 'gradients', epoch, sequences: 4, loss: 0.5, layers: [{ layer: 'lstm', cell: 'lstm', direction: 'forward', norms }] };
}

test('the epoch slider shows the latest snapshot not after the selected epoch', () => {
  assert.equal(shownEpoch([-1, 0, 4, 9], null), 9);
  assert.equal(shownEpoch([-1, 0, 4, 9], 6), 4);
  assert.equal(shownEpoch([-1, 0, 4, 9], -5), -1);
  assert.equal(shownEpoch([], 3), undefined);
  assert.deepEqual(unionEpochs([{ epoch: 2 }, { epoch: -1 }], [{ epoch: 2 }, { epoch: 0 }]), [-1, 0, 2]);
});

test('views events fold into the state; gradient norms ride in the batch columns but are not charted', () => {
  const sample = { indices: [3, 5], texts: ['a', 'b'], colour: { kind: 'class' as const, classes: ['neg', 'pos'], of: [0, 1] } };
  const events: RunEvent[] = [
    { type: 'batch', epoch: 0, batch: 0, step: 0, loss: 1, metrics: {}, samplesPerSec: 1, gradNorm: 3, clippedGradNorm: 1 },
    gradients(1, [1, 2]),
    gradients(0, [0.5, 2]),
    { type: 'representation', epoch: 0, layer: 'lstm', method: 'PCA', explained: [0.5, 0.2], points: [0, 1, 1, 0], sample },
    { type: 'representation', epoch: 1, layer: 'lstm', method: 'PCA', explained: [0.6, 0.2], points: [0, 2, 2, 0] },
    { type: 'gates', epoch: 0, probes: [] },
  ];
  const state = stateFromView({ runId: 'r', runDir: '', events });
  assert.deepEqual(state.gradients.map((g) => g.epoch), [0, 1]);
  assert.deepEqual(state.representations.map((r) => r.epoch), [0, 1]);
  assert.equal(state.representationSample, sample, 'the sample arrives once and stays');
  assert.equal(state.gates.length, 1);
  assert.deepEqual(columnOf(state.batches, GRAD_NORM), [3]);
  assert.deepEqual(columnOf(state.batches, CLIPPED_GRAD_NORM), [1]);
  assert.deepEqual(state.quantities, ['loss']);
});

test('gradient-flow lines: earlier epochs faint, the selected one strong, other runs at their last epoch', () => {
  const run = [gradients(-1, [1e-6, 1e-3, 1]), gradients(0, [1e-4, 1e-2, 1]), gradients(1, [1e-2, 0.1, 1]), gradients(2, [0.1, 0.5, 1])];
  const [chart] = flowCharts(run);
  const lines = flowLines(run, chart, 1, [{ name: 'simple', gradients: [gradients(0, [0, 1e-9, 1])] }], 4, 3);
  assert.deepEqual(
    lines.map((l) => [l.label, l.role]),
    [
      ['before training', 'earlier'],
      ['after epoch 1 of 3', 'earlier'],
      ['after epoch 2 of 3', 'selected'],
      ['simple (lstm, after epoch 1)', 'other-run'],
    ],
  );
  assert.deepEqual(lines[3].norms, [null, 1e-9, 1], 'zero cannot be drawn on a log scale');
  assert.equal(survivingFraction([1e-4, 1e-2, 1], 'forward'), 1e-4);
  assert.equal(survivingFraction([1, 1e-2, 1e-4], 'backward'), 1e-4);
});

test('gate matrices decode to their values within half a byte step; bounded gates keep their fixed scale', () => {
  const values = [0.1, 0.5, 0.97, 0];
  const matrix = quantize(2, 2, (r, c) => values[r * 2 + c], [0, 1]);
  Array.from(decodeMatrix(matrix)).forEach((v, i) => assert.ok(Math.abs(v - values[i]) <= 0.5 / 255 + 1e-7));
  assert.deepEqual(gateScale(matrix), { kind: 'sequential', min: 0, max: 1 });
  assert.deepEqual(gateScale(quantize(1, 2, (_, c) => [-1, 1][c], [-1, 1])), { kind: 'diverging', limit: 1 });
});

test('the protocol drops malformed view events and probe requests', () => {
  assert.equal(isRunEvent(gradients(0, [1, 2])), true);
  assert.equal(isRunEvent({ type: 'gradients', epoch: 0, layers: [{ layer: 'lstm', norms: 'x' }] }), false);
  assert.equal(isRunEvent({ type: 'gates', epoch: 0, probes: [{ id: 'p', layers: [{ layer: 'l', start: 0, gates: [{ gate: 'f', values: { rows: 1 } }] }] }] }), false);
  assert.equal(isRunEvent({ type: 'representation', epoch: 0, layer: 'l', points: [0, 1], sample: { texts: [] } }), false);
  assert.equal(isWebviewToHost({ type: 'probe', runId: 'r', requestId: 'q', text: 'not bad' }), true);
  assert.equal(isWebviewToHost({ type: 'probe', runId: 'r', requestId: 'q', text: '   ' }), false);
  assert.equal(isWebviewToHost({ type: 'probe', runId: 'r', requestId: 'q', text: 'x'.repeat(100_001) }), false);
});

test('the gradient-flow axis labels whole decades, few enough not to overprint over 12 of them', () => {
  assert.deepEqual(decadeSplits(1e-3, 1), [1e-3, 1e-2, 1e-1, 1]);
  const wide = decadeSplits(1e-12, 1);
  assert.ok(wide.length <= 6, String(wide));
  assert.equal(wide.at(-1), 1);
  assert.ok(wide.every((v) => Number.isInteger(Math.round(Math.log10(v))) && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9));
  assert.deepEqual(decadeSplits(0, 1), []);
});

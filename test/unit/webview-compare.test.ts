/**
 * The comparison's figures (issue 8 §5), as the compare page draws them: curves aligned by epoch,
 * step or training time, final and best metrics, baselines shared or per run, one chart set per task.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Baseline, CompareView, ComparedRunMeta, RunEvent } from '../../src/protocol';
import { baselineRows, comparedStates, compareCharts, epochPositions, metricFigures, overlaidLines, sharedBaselines } from '../../webview/src/compareData';

function run(name: string, task: string, batchesPerEpoch: number, accuracies: number[], baselines: Baseline[], finalAccuracy?: number): CompareView['runs'][number] {
  const events: RunEvent[] = [
    { type: 'run', runId: name, runDir: `/runs/${name}`, name, epochs: accuracies.length, batchesPerEpoch, batchSize: 8, quick: false, startedAt: '2026-11-30T00:00:00.000Z' },
    { type: 'baselines', baselines },
    ...accuracies.map((accuracy, epoch): RunEvent => ({ type: 'epoch', epoch, train: { loss: 1 - accuracy }, validation: { loss: 1.1 - accuracy, accuracy }, durationMs: 1500 * (epoch + 1), liveTensors: 0 })),
  ];
  if (finalAccuracy !== undefined) events.push({ type: 'done', status: 'completed', finalMetrics: { val_accuracy: finalAccuracy }, durationMs: 1 });
  const meta = { name, status: 'completed', startedAt: '', task, seed: 1, backend: 'wasm', versions: { seqlab: '0', tfjs: '0', node: '0' }, epochs: accuracies.length, quick: false } as ComparedRunMeta;
  return { runId: name, runDir: `/runs/${name}`, meta, events };
}

const majority = (value: number): Baseline => ({ name: 'majority class', metric: 'val_accuracy', value, unit: 'fraction', description: '' });

function view(runs: CompareView['runs']): CompareView {
  return { runs, specDifferences: [], runDifferences: [], notes: [], plotted: runs.length };
}

test('curves align by epoch, by training step, or by training time', () => {
  const [a, b] = comparedStates(view([run('a', 'binary', 10, [0.6, 0.7, 0.8], [majority(0.7)]), run('b', 'binary', 4, [0.65, 0.75], [majority(0.7)])]));
  assert.deepEqual(epochPositions(a.state, 'epoch'), [1, 2, 3]);
  assert.deepEqual(epochPositions(a.state, 'step'), [10, 20, 30]);
  assert.deepEqual(epochPositions(a.state, 'time'), [1.5, 4.5, 9]);
  const chart = { quantity: 'accuracy', task: 'binary', runs: [0, 1] };
  const bySteps = overlaidLines([a, b], chart, 'step');
  assert.deepEqual(bySteps.x, [4, 8, 10, 20, 30]);
  assert.deepEqual(bySteps.lines.map((l) => [l.run, l.split, l.values]), [
    [0, 'validation', [null, null, 0.6, 0.7, 0.8]],
    [1, 'validation', [0.65, 0.75, null, null, null]],
  ]);
});

test('final and best metrics: the best epoch by the metric\'s direction, the final as the run ended', () => {
  const [a] = comparedStates(view([run('a', 'binary', 1, [0.6, 0.8, 0.7], [], 0.8)]));
  assert.deepEqual(metricFigures(a.state, 'val_accuracy'), { final: 0.8, best: 0.8, bestEpoch: 1 }, 'restored best weights: the final is the best');
  const loss = metricFigures(a.state, 'val_loss');
  assert.equal(loss.bestEpoch, 1, 'the lowest loss is the best');
  assert.ok(Math.abs(loss.final! - 0.4) < 1e-12, 'no final recorded: the last epoch');
});

test('baselines: one row when the runs share data, one per run when they differ; drawn only when shared', () => {
  const same = comparedStates(view([run('a', 'binary', 1, [0.6], [majority(0.7)]), run('b', 'binary', 1, [0.65], [majority(0.7)])]));
  assert.deepEqual(baselineRows(same), [{ name: 'majority class', values: { val_accuracy: 0.7 } }]);
  assert.deepEqual(sharedBaselines(same, { quantity: 'accuracy', task: 'binary', runs: [0, 1] }), [{ name: 'majority class', value: 0.7 }]);
  const different = comparedStates(view([run('a', 'binary', 1, [0.6], [majority(0.7)]), run('b', 'binary', 1, [0.65], [majority(0.55)])]));
  assert.deepEqual(baselineRows(different), [
    { name: 'majority class', run: 0, values: { val_accuracy: 0.7 } },
    { name: 'majority class', run: 1, values: { val_accuracy: 0.55 } },
  ]);
  assert.deepEqual(sharedBaselines(different, { quantity: 'accuracy', task: 'binary', runs: [0, 1] }), []);
});

test('runs of different tasks get charts of their own task, never one axis for both', () => {
  const states = comparedStates(view([run('a', 'binary', 1, [0.6], []), run('f', 'forecast', 1, [0.2], [])]));
  const charts = compareCharts(states, 2);
  assert.ok(charts.every((chart) => chart.runs.length === 1));
  assert.deepEqual([...new Set(charts.map((c) => c.task))], ['binary', 'forecast']);
  assert.deepEqual(compareCharts(states, 1).map((c) => c.task), ['binary', 'binary'], 'only the plotted runs');
});

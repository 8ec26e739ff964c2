/** The CLI's progress display and argument parsing, without a training process. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchEvent } from '../../src/protocol';
import { parseCommand } from '../../src/cli/args';
import { formatFinalMetrics } from '../../src/cli/format';
import { EpochProgress } from '../../src/cli/progress';

function recorder(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns, write: (text: string) => writes.push(text) } };
}

const batch = (epoch: number, index: number, loss = 0.5): BatchEvent => ({
  type: 'batch',
  epoch,
  batch: index,
  step: index,
  loss,
  metrics: {},
  samplesPerSec: 10,
});

describe('EpochProgress', () => {
  it('redraws one bar in place on a terminal, with the ETA from the measured pace', () => {
    let now = 0;
    const { writes, stream } = recorder(true, 100);
    const progress = new EpochProgress(stream, 3, 10, () => now);
    progress.startEpoch();
    now = 1000;
    progress.batch(batch(1, 0, 0.5));
    now = 4000; // 3 more batches in 3 s: 6 left at 1 s each
    progress.batch(batch(1, 3, 0.25));
    assert.deepEqual(writes, [
      '\r\u001b[Kepoch 2/3 [##----------------------] 1/10  loss 0.5000  ETA …',
      '\r\u001b[Kepoch 2/3 [##########--------------] 4/10  loss 0.2500  ETA 0:06',
    ]);
    progress.clear();
    assert.equal(writes.at(-1), '\r\u001b[K');
  });

  it('measures the pace after the first batch, whose one-off costs (warm-up, the last epoch\'s views) would inflate it', () => {
    let now = 0;
    const { writes, stream } = recorder(false);
    const progress = new EpochProgress(stream, 1, 10, () => now);
    for (const epoch of [0, 1]) {
      progress.startEpoch();
      now += 60_000; // the first batch: a minute of warm-up
      progress.batch(batch(epoch, 0));
      now += 1000; // then 1 s a batch: 8 left after the second
      progress.batch(batch(epoch, 1));
      assert.match(writes.at(-1) ?? '', /batch 2\/10 {2}loss 0\.5000 {2}ETA 0:08\n$/);
    }
  });

  it('never draws wider than the terminal', () => {
    const { writes, stream } = recorder(true, 40);
    const progress = new EpochProgress(stream, 3, 10);
    progress.startEpoch();
    progress.batch(batch(0, 0));
    assert.equal(writes[0].length, '\r\u001b[K'.length + 39);
  });

  it('prints a plain line about every 10% when not on a terminal, and nothing to clear', () => {
    const { writes, stream } = recorder(false);
    const progress = new EpochProgress(stream, 1, 100);
    progress.startEpoch();
    for (let i = 0; i < 100; i++) progress.batch(batch(0, i));
    progress.clear();
    assert.equal(writes.length, 11);
    assert.match(writes[0], /^epoch 1\/1 {2}batch 1\/100 {2}loss 0\.5000 {2}ETA …\n$/);
    assert.match(writes[10], /^epoch 1\/1 {2}batch 100\/100 /);
    assert.ok(writes.every((line) => !line.includes('\r')));
  });
});

describe('formatFinalMetrics', () => {
  it('pairs each metric with its val_ counterpart', () => {
    assert.equal(
      formatFinalMetrics({ loss: 0.25, accuracy: 0.9, val_loss: 0.3, val_accuracy: 0.875 }),
      ['metric    train   validation', '--------  ------  ----------', 'loss      0.2500  0.3000', 'accuracy  0.9000  0.8750'].join('\n'),
    );
    assert.equal(formatFinalMetrics({ val_mae: 1 }).split('\n')[2], 'mae     -      1.0000');
  });

  it('shows each baseline as a column on the row of the metric it compares to, on the validation split', () => {
    const baseline = (name: string, metric: string, value: number) => ({ name, metric, value, unit: 'data units', description: '' });
    const table = formatFinalMetrics(
      { loss: 0.5, data_rmse: 40, val_loss: 0.6, val_data_rmse: 45 },
      {
        normalised: true,
        baselines: [baseline('naive last value', 'data_rmse', 47), baseline('naive last value', 'val_data_rmse', 48.5), baseline('seasonal naive (12)', 'val_data_rmse', 42), baseline('naive last value', 'val_loss', 0.7)],
      },
    );
    assert.equal(
      table,
      [
        'metric             train    validation  naive last value  seasonal naive (12)',
        '-----------------  -------  ----------  ----------------  -------------------',
        'loss (normalised)  0.5000   0.6000      0.7000            -',
        'data_rmse          40.0000  45.0000     48.5000           42.0000',
      ].join('\n'),
    );
  });
});

describe('parseCommand', () => {
  it('reads train options into typed values', () => {
    assert.deepEqual(parseCommand(['train', 'a.seqlab.yaml', '--epochs', '3', '--quick', '--out', 'runs', '--backend', 'cpu']), {
      name: 'train',
      specPath: 'a.seqlab.yaml',
      epochs: 3,
      quick: true,
      out: 'runs',
      backend: 'cpu',
    });
    assert.deepEqual(parseCommand(['train', 'a.seqlab.yaml']), { name: 'train', specPath: 'a.seqlab.yaml', quick: false, backend: 'auto' });
    assert.deepEqual(parseCommand(['train', 'a.seqlab.yaml', '--threads', '1']), { name: 'train', specPath: 'a.seqlab.yaml', quick: false, backend: 'auto', threads: 1 });
  });

  it('rejects bad values with a sentence saying what is allowed', () => {
    assert.throws(() => parseCommand(['train', 'a', '--backend', 'gpu']), /--backend must be one of auto, wasm, cpu, tensorflow \(got "gpu"\)/);
    assert.throws(() => parseCommand(['train', 'a', '--epochs', '2.5']), /--epochs must be a whole number of at least 1/);
    assert.throws(() => parseCommand(['train', 'a', '--threads', '0']), /--threads must be a whole number of at least 1/);
    assert.throws(() => parseCommand(['report']), /takes exactly one argument: a run folder/);
  });

  it('answers --help anywhere', () => {
    assert.deepEqual(parseCommand([]), { name: 'help' });
    assert.deepEqual(parseCommand(['train', '--help']), { name: 'help' });
  });
});

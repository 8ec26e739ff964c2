/**
 * Every loss x task x output layer: either the checker refuses it with a quick fix, or it trains
 * (the loss falls and the task's metric beats chance). The specs are YAML through the real checker;
 * the data is made here, shaped as each task's pipeline shapes it (class ids, never one-hot).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { PreparedData, Split } from '../../src/data/types';
import { checkSpec } from '../../src/language/check';
import type { LossName, Task } from '../../src/language/types';
import { initBackend } from '../../src/model/backend';
import { seeded, tokenData, valueData } from '../unit/model-fixtures';
import { ofType, run } from './trainer-run';

const LOSSES: readonly LossName[] = ['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'mse', 'mae'];
const TASKS: readonly Task[] = ['binary', 'multiclass', 'next-token', 'regression', 'forecast'];
const CLASSES = 3;
const GRAMMAR_VOCABULARY = 25;

/** Token sequences whose class is the marker token (2, 3 or 4) they contain. */
function multiclassData(): PreparedData {
  const data = tokenData({ count: 192, timesteps: 6, vocab: 12 });
  const random = seeded(5);
  const relabel = (split: Split): Split => {
    const y = new Int32Array(split.count);
    for (let i = 0; i < split.count; i++) {
      for (let t = 0; t < 6; t++) split.x[i * 6 + t] = 5 + Math.floor(random() * 7);
      y[i] = Math.floor(random() * CLASSES);
      split.x[i * 6 + Math.floor(random() * 6)] = 2 + y[i];
    }
    return { ...split, y, yShape: [split.count] };
  };
  return { ...data, train: relabel(data.train), validation: relabel(data.validation), classes: CLASSES };
}

/** Cycles 2 -> 3 -> 4 -> 5 -> 2 from a random start: the next token is always predictable. */
function nextTokenData(): PreparedData {
  const data = tokenData({ count: 96, timesteps: 8, vocab: 12 });
  const random = seeded(9);
  const chunks = (count: number): Split => {
    const x = new Int32Array(count * 8);
    const y = new Int32Array(count * 8);
    for (let i = 0; i < count; i++) {
      let token = 2 + Math.floor(random() * 4);
      for (let t = 0; t < 8; t++) {
        x[i * 8 + t] = token;
        token = 2 + ((token - 1) % 4);
        y[i * 8 + t] = token;
      }
    }
    return { x, xShape: [count, 8], y, yShape: [count, 8], count };
  };
  // Its preprocessing state says next-token, as a real corpus's does: the epoch's text sample reads it.
  return { ...data, train: chunks(256), validation: chunks(32), classes: GRAMMAR_VOCABULARY, preprocessing: { ...data.preprocessing, task: 'next-token' } };
}

const DATA: Record<Task, () => PreparedData> = {
  binary: () => tokenData({ count: 192, timesteps: 8, vocab: 20 }),
  multiclass: multiclassData,
  'next-token': nextTokenData,
  regression: () => valueData({ count: 192, timesteps: 4, features: 2 }),
  forecast: () => valueData({ count: 192, timesteps: 4, features: 1 }),
};

const SOURCE: Record<Task, string> = {
  binary: 'builtin:sentiment',
  multiclass: 'topics.csv\n  num_classes: 3\n  max_len: 6\n  tokenizer: {vocab_size: 12}',
  'next-token': 'builtin:grammar',
  regression: 'builtin:adding',
  forecast: 'builtin:sine',
};

/** The output layer a loss asks for on a task (what the checker's fix would write). */
function outputFor(task: Task, loss: LossName): { units: number; activation: string } {
  if (loss === 'binary_crossentropy') return { units: 1, activation: 'sigmoid' };
  if (loss === 'mse' || loss === 'mae') return { units: 1, activation: 'linear' };
  return { units: task === 'binary' ? 2 : task === 'next-token' ? GRAMMAR_VOCABULARY : CLASSES, activation: 'softmax' };
}

function specText(task: Task, loss: LossName, output: { units: number; activation: string }): string {
  const tokens = task === 'binary' || task === 'multiclass' || task === 'next-token';
  const sequence = task === 'next-token';
  const dense = `{type: dense, units: ${output.units}, activation: ${output.activation}}`;
  return [
    `name: ${task}-${loss}`,
    'data:',
    `  source: ${SOURCE[task]}`,
    `  task: ${task}`,
    'model:',
    ...(tokens ? ['  - {type: embedding, output_dim: 8}'] : []),
    `  - {type: gru, units: 16${sequence ? ', return_sequences: true' : ''}}`,
    sequence ? `  - {type: time_distributed, layer: ${dense}}` : `  - ${dense}`,
    'train:',
    `  loss: ${loss}`,
    `  metrics: [${tokens ? 'accuracy' : 'mae'}]`,
    '  learning_rate: 0.02',
    '  batch_size: 32',
    '',
  ].join('\n');
}

describe('every loss on every task', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  });

  for (const task of TASKS) {
    for (const loss of LOSSES) {
      it(`${loss} on ${task}`, async () => {
        const output = outputFor(task, loss);
        const checked = checkSpec(specText(task, loss, output), { specPath: `${task}.seqlab.yaml` });
        const errors = checked.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
        if (errors.length > 0) {
          // Refused: by the loss/task check, with a fix that changes the loss.
          assert.deepEqual(errors.map((error) => error.code), ['loss-task'], JSON.stringify(errors));
          assert.ok(errors[0].fixes?.[0]?.title.startsWith('Change loss to'), JSON.stringify(errors[0]));
          return;
        }
        assert.ok(checked.spec);
        // A mismatched output activation for the same loss is refused with a fix.
        const wrong = checkSpec(specText(task, loss, { ...output, activation: output.activation === 'softmax' ? 'sigmoid' : 'softmax' }), { specPath: 'x.seqlab.yaml' });
        const mismatch = wrong.diagnostics.find((diagnostic) => diagnostic.code === 'loss-output');
        assert.ok(mismatch?.fixes?.length, `no fixed loss-output error for a wrong activation: ${JSON.stringify(wrong.diagnostics)}`);

        const { result, events } = await run(checked.spec, DATA[task](), { epochs: 5 });
        const epochs = ofType(events, 'epoch');
        assert.ok(epochs.every((epoch) => Number.isFinite(epoch.train.loss) && Number.isFinite(epoch.validation.loss)));
        const [first, last] = [epochs[0].train.loss, epochs.at(-1)!.train.loss];
        assert.ok(last < 0.8 * first, `${loss} on ${task}: loss ${first} -> ${last}`);
        if (task === 'binary' || task === 'multiclass' || task === 'next-token') {
          const chance = task === 'binary' ? 0.5 : task === 'multiclass' ? 1 / CLASSES : 1 / 4;
          assert.ok(epochs.at(-1)!.validation.accuracy > chance + 0.2, `accuracy ${epochs.at(-1)!.validation.accuracy}`);
        }
        result.model.dispose();
      });
    }
  }

  it('the allowed combinations are the documented ones', () => {
    const trains = TASKS.flatMap((task) =>
      LOSSES.filter((loss) => !checkSpec(specText(task, loss, outputFor(task, loss)), { specPath: 'x.seqlab.yaml' }).diagnostics.some((d) => d.severity === 'error')).map((loss) => `${task}:${loss}`),
    );
    assert.deepEqual(trains, [
      'binary:binary_crossentropy',
      'binary:categorical_crossentropy',
      'binary:sparse_categorical_crossentropy',
      'multiclass:categorical_crossentropy',
      'multiclass:sparse_categorical_crossentropy',
      'next-token:categorical_crossentropy',
      'next-token:sparse_categorical_crossentropy',
      'regression:mse',
      'regression:mae',
      'forecast:mse',
      'forecast:mae',
    ]);
  });
});

/**
 * The task views and what a finished run is for (issue 8): runs of the built-in examples record
 * their forecast, classification and text-sample views every epoch; `seqlab generate` is seeded
 * (the same command, the same text); `seqlab forecast` continues the series past its end; and
 * `seqlab compare` writes one report of two runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GenerationEvent, GenerationReply, RunEvent } from '../../src/protocol';
import { generatedText } from '../../src/tasks/generation';
import { GenerationClient } from '../../src/tasks/generationClient';
import { listRuns, readRun } from '../../src/training/runStore';
import { assertBuilt, cliPath, repoRoot, tempDir } from './worker-fixtures';

const root = tempDir('cli-tasks');
const runsDir = join(root, '.seqlab', 'runs');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

function seqlab(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Trains a copy of `examples/<name>.seqlab.yaml` (quick, 2 epochs) and returns its run folder and events. */
function trainExample(name: string): { runDir: string; events: RunEvent[] } {
  copyFileSync(join(repoRoot, 'examples', `${name}.seqlab.yaml`), join(root, `${name}.seqlab.yaml`));
  const trained = seqlab(['train', `${name}.seqlab.yaml`, '--quick', '--epochs', '2', '--backend', 'wasm']);
  assert.equal(trained.code, 0, trained.stderr);
  const meta = listRuns(runsDir).find((run) => run.name === name);
  assert.ok(meta, `a run of ${name}`);
  const runDir = join(runsDir, meta.id);
  return { runDir, events: readRun(runDir).view.events };
}

const runs: Record<string, { runDir: string; events: RunEvent[] }> = {};
before(() => {
  for (const name of ['char-grammar', 'sine-forecast', 'parity']) runs[name] = trainExample(name);
});

describe('the task views of a run', () => {
  it('a next-token run records a text sample after every epoch, with the same seed and settings', () => {
    const samples = runs['char-grammar'].events.filter((e) => e.type === 'textSample');
    assert.deepEqual(samples.map((s) => s.epoch), [0, 1]);
    assert.equal(samples[0].settings.seed, 'the cat sees a dog.', 'the spec\'s text probe seeds the sample');
    assert.equal(samples[0].tokens.length, samples[0].settings.length);
    for (const token of samples[1].tokens) assert.ok(token.p > 0 && token.p <= 1 && token.top.length === 5);
  });

  it('a forecast run records its validation forecasts beside the naive ones, the range once', () => {
    const forecasts = runs['sine-forecast'].events.filter((e) => e.type === 'forecast');
    assert.deepEqual(forecasts.map((f) => f.epoch), [0, 1]);
    const range = forecasts[0].range;
    assert.ok(range && !forecasts[1].range);
    assert.equal(range.actual.length, range.windows + range.horizon - 1);
    assert.equal(forecasts[1].predicted.length, range.windows * range.horizon);
    assert.ok(range.naive.some((n) => n.name === 'naive last value' && n.values.length === range.windows * range.horizon));
  });

  it('a classifier records the validation confusion matrix, which counts every validation example', () => {
    const { events } = runs.parity;
    const classification = events.filter((e) => e.type === 'classification').at(-1);
    const data = events.find((e) => e.type === 'data');
    assert.ok(classification && data);
    assert.equal(classification.confusion.flat().reduce((a, b) => a + b, 0), data.stats.validationSamples);
    const epoch = events.filter((e) => e.type === 'epoch').at(-1)!;
    const correct = classification.confusion[0][0] + classification.confusion[1][1];
    assert.ok(Math.abs(correct / data.stats.validationSamples - epoch.validation.accuracy) < 1e-6, 'the diagonal is the validation accuracy');
    for (const wrong of classification.wrong) assert.notEqual(wrong.actual, wrong.predicted);
  });
});

describe('seqlab generate', () => {
  it('is seeded: the same command prints the same text, another --sample another', () => {
    const run = runs['char-grammar'].runDir;
    const args = ['generate', run, '--seed', 'the dog ', '--length', '80', '--temperature', '1', '--top-k', '10'];
    const first = seqlab(args);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(first.stdout.startsWith('the dog '), first.stdout);
    assert.equal(first.stdout.replace(/\n$/, '').length, 'the dog '.length + 80, 'a generated space at the end counts too');
    assert.match(first.stderr, /80 characters · temperature 1 · top-k 10 · sample 0/);
    assert.equal(seqlab(args).stdout, first.stdout);
    assert.notEqual(seqlab([...args, '--sample', '3']).stdout, first.stdout);
  });

  it('refuses a model of another task, and a seed it cannot read, in a sentence', () => {
    const forecast = seqlab(['generate', runs['sine-forecast'].runDir, '--seed', 'x']);
    assert.equal(forecast.code, 1);
    assert.match(forecast.stderr, /forecast model: only next-token models/);
  });
});

describe('the panel\'s generation box (the generation process)', () => {
  it('streams the text, gives the text `seqlab generate` gives for the same settings, and keeps it with the run', async () => {
    const { runDir } = runs['char-grammar'];
    const settings = { seed: 'the dog ', length: 40, temperature: 1, topK: 10, sample: 2 };
    const replies: GenerationReply[] = [];
    const complete = await new Promise<GenerationEvent>((resolve, reject) => {
      const client = new GenerationClient((reply) => {
        replies.push(reply);
        if (reply.type === 'generationFailed') reject(new Error(reply.message));
        else if (reply.event.complete) resolve(reply.event);
      }, join(dirname(cliPath), 'generate.js'));
      client.generate({ type: 'generate', runDir, requestId: 'g1', settings });
      after(() => client.dispose());
    });
    assert.equal(complete.tokens.length, 40);
    assert.ok(replies.length >= 2, 'a partial text before the complete one');
    const cli = seqlab(['generate', runDir, '--seed', 'the dog ', '--length', '40', '--temperature', '1', '--top-k', '10', '--sample', '2']);
    assert.equal(generatedText(settings.seed, complete.tokens, 'char') + '\n', cli.stdout);
    const stored = readRun(runDir).view.events.filter((e) => e.type === 'generation');
    assert.deepEqual(stored.map((e) => e.id), ['g1']);
  });

  it('says in a sentence why a forecast model cannot generate', async () => {
    const message = await new Promise<string>((resolve) => {
      const client = new GenerationClient((reply) => reply.type === 'generationFailed' && resolve(reply.message), join(dirname(cliPath), 'generate.js'));
      client.generate({ type: 'generate', runDir: runs['sine-forecast'].runDir, requestId: 'g2', settings: { seed: 'x', length: 3, temperature: 1, topK: 0, sample: 0 } });
      after(() => client.dispose());
    });
    assert.match(message, /forecast model: only next-token models/);
  });
});

describe('seqlab forecast', () => {
  it('continues the series past its end, recursively', () => {
    const result = seqlab(['forecast', runs['sine-forecast'].runDir, '--steps', '5']);
    assert.equal(result.code, 0, result.stderr);
    for (const step of ['t+1', 't+5']) assert.match(result.stdout, new RegExp(`^${step.replace('+', '\\+')}\\s+-?\\d`, 'm'));
    assert.match(result.stdout, /forecast \(from forecasts\)/);
    assert.doesNotMatch(result.stdout, /t\+6/);
    assert.doesNotMatch(result.stderr, /has changed/);
  });

  it('warns when the data file has changed since the run trained on it', () => {
    const values = Array.from({ length: 60 }, (_, i) => String(100 + 10 * Math.sin(i / 3)));
    writeFileSync(join(root, 'level.csv'), ['value', ...values].join('\n'));
    writeFileSync(join(root, 'level.seqlab.yaml'), 'name: level\ndata:\n  source: level.csv\n  task: forecast\n  window: {lookback: 6, horizon: 1}\nmodel:\n  - {type: lstm, units: 3}\n  - {type: dense, units: 1}\ntrain:\n  loss: mse\n  epochs: 1\n');
    assert.equal(seqlab(['train', 'level.seqlab.yaml', '--quick', '--epochs', '1', '--backend', 'wasm']).code, 0);
    const runDir = join(runsDir, listRuns(runsDir).find((run) => run.name === 'level')!.id);
    assert.doesNotMatch(seqlab(['forecast', runDir, '--steps', '2']).stderr, /has changed/);
    writeFileSync(join(root, 'level.csv'), ['value', ...values, '250'].join('\n'));
    const changed = seqlab(['forecast', runDir, '--steps', '2']);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stderr, /level\.csv has changed since this run trained on it/);
  });

  it('limits are usage errors (exit 2), like 0', () => {
    for (const steps of ['0', '100000']) assert.equal(seqlab(['forecast', runs['sine-forecast'].runDir, '--steps', steps]).code, 2);
    assert.equal(seqlab(['generate', runs['char-grammar'].runDir, '--seed', 'a', '--length', '100000']).code, 2);
    assert.equal(seqlab(['compare', runs.parity.runDir, runs.parity.runDir]).code, 2);
  });
});

describe('seqlab compare', () => {
  it('writes one report of two runs of the built-in examples, and says what is not comparable', () => {
    const out = join(root, 'compare.html');
    const result = seqlab(['compare', runs.parity.runDir, runs['sine-forecast'].runDir, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /different tasks \(binary, forecast\)/);
    assert.ok(existsSync(out));
    const html = readFileSync(out, 'utf8');
    const embedded = JSON.parse(/<script type="application\/json" id="seqlab-compare">(.*?)<\/script>/s.exec(html)![1]);
    assert.deepEqual(embedded.runs.map((run: { meta: { name: string } }) => run.meta.name), ['parity', 'sine-forecast']);
    assert.ok(embedded.specDifferences.some((field: { field: string }) => field.field === 'data.task'));
  });

  it('needs two runs', () => {
    const result = seqlab(['compare', runs.parity.runDir]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /takes two or more runs/);
  });
});

/**
 * Using a finished run: `seqlab rerun` reproduces it bit for bit (and says what differed when it
 * cannot), the run saves its preprocessing state, `seqlab predict` on the run or on its exported
 * model gives exactly the probe's prediction for the same text, and probing the finished run (`seqlab
 * probe`, and the probe process behind the panel's probe box) gives `seqlab predict`'s prediction.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { PREPROCESSING_FILE, parsePreprocessingState } from '../../src/data/preprocessing';
import { initBackend } from '../../src/model/backend';
import type { InspectionEvent, ProbesEvent } from '../../src/protocol';
import { exportRunModel } from '../../src/training/exportModel';
import { loadPredictor } from '../../src/training/predictor';
import { ProbeClient } from '../../src/training/probeClient';
import { listRuns, readMeta, readRun } from '../../src/training/runStore';
import { assertBuilt, cliPath, repoRoot, sentimentSpec, tempDir, writeSpec } from './worker-fixtures';

const root = tempDir('cli-rerun');
const runsDir = join(root, '.seqlab', 'runs');
before(assertBuilt);
after(() => rmSync(root, { recursive: true, force: true }));

function seqlab(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Dropout of every kind and shuffling: the draws a re-run must repeat. */
const spec = sentimentSpec({ name: 'rerun test', samples: 240, epochs: 2 })
  .replace('  - type: gru\n    units: 16\n', '  - type: gru\n    units: 16\n    dropout: 0.2\n    recurrent_dropout: 0.2\n  - type: dropout\n    rate: 0.3\n');
const probeText = 'the film was not good';

let original: string;
before(() => {
  writeSpec(root, spec);
  const trained = seqlab(['train', 'test.seqlab.yaml', '--backend', 'wasm']);
  assert.equal(trained.code, 0, trained.stderr);
  original = join(runsDir, listRuns(runsDir)[0].id);
});

describe('a completed run', () => {
  it('records what a re-run needs in run.json', () => {
    const meta = readMeta(original);
    assert.equal(meta.specPath, join(root, 'test.seqlab.yaml'));
    assert.equal(meta.seed, 7);
    assert.match(meta.dataHash ?? '', /^[0-9a-f]+$/);
    assert.equal(meta.backend, 'wasm');
    assert.deepEqual(Object.keys(meta.versions).sort(), ['node', 'seqlab', 'tfjs']);
    assert.equal(readFileSync(join(original, 'spec.seqlab.yaml'), 'utf8'), spec);
  });

  it('saves its preprocessing state beside model.json', () => {
    const state = parsePreprocessingState(JSON.parse(readFileSync(join(original, 'model', PREPROCESSING_FILE), 'utf8')));
    assert.equal(state.task, 'binary');
    assert.equal(state.inputKind, 'tokens');
    assert.ok(state.tokenizer && state.tokenizer.vocabulary.includes('good'));
  });
});

describe('seqlab rerun', () => {
  it('reproduces the run: same final metrics and every weight bit for bit, exit 0', () => {
    const result = seqlab(['rerun', original]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Reproduced: the same 4 final metrics and all \d+ weights \([\d,]+ values\), bit for bit\.$/m);
    const rerun = listRuns(runsDir).find((meta) => meta.rerunOf === readMeta(original).id);
    assert.ok(rerun, 'the re-run is a run of its own, pointing at the original');
    assert.deepEqual(rerun.finalMetrics, readMeta(original).finalMetrics);
    assert.deepEqual(readFileSync(join(runsDir, rerun.id, 'model', 'weights.bin')), readFileSync(join(original, 'model', 'weights.bin')));
  });

  it('says what differed when the original does not match, exit 3', () => {
    const copy = join(root, 'tampered-run');
    cpSync(original, copy, { recursive: true });
    const meta = JSON.parse(readFileSync(join(copy, 'run.json'), 'utf8'));
    writeFileSync(join(copy, 'run.json'), JSON.stringify({ ...meta, versions: { ...meta.versions, tfjs: '0.0.1' }, finalMetrics: { ...meta.finalMetrics, loss: 1.5 } }));
    const weights = readFileSync(join(copy, 'model', 'weights.bin'));
    weights.writeFloatLE(weights.readFloatLE(0) + 1, 0);
    writeFileSync(join(copy, 'model', 'weights.bin'), weights);

    const result = seqlab(['rerun', copy]);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /^Not reproduced: 3 differences:$/m);
    assert.match(result.stdout, /^ {2}- The TensorFlow\.js version differs: 0\.0\.1 in the original, \S+ in the re-run\.$/m);
    assert.match(result.stdout, /^ {2}- Final loss differs: 1\.5 in the original, \S+ in the re-run/m);
    assert.match(result.stdout, /^ {2}- Weight embedding\/embeddings differs in 1 of \d+ values \(largest difference 1\.00e\+0\)\.$/m);
  });

  it('refuses a run that did not complete, in one line', () => {
    const copy = join(root, 'stopped-run');
    cpSync(original, copy, { recursive: true });
    writeFileSync(join(copy, 'run.json'), JSON.stringify({ ...readMeta(original), status: 'stopped' }));
    const result = seqlab(['rerun', copy]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^seqlab: Run \S+ is stopped: only a completed run can be re-run and compared/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});

/** The probe's prediction for `probeText` after the last epoch, as the panel shows it. */
function probePrediction(runDir: string): number[] {
  const probes = readRun(runDir).view.events.filter((event): event is ProbesEvent => event.type === 'probes');
  const last = probes.at(-1)!;
  return last.probes.find((probe) => probe.label === probeText)!.prediction!;
}

describe('seqlab predict', () => {
  it('prints the class and its probability, the probe\'s own number', () => {
    const result = seqlab(['predict', original, probeText, '--backend', 'wasm']);
    assert.equal(result.code, 0, result.stderr);
    const [positive] = probePrediction(original);
    const best = positive >= 0.5 ? { name: '1', p: positive } : { name: '0', p: 1 - positive };
    assert.match(result.stdout, new RegExp(`^Prediction: ${best.name} \\(probability ${best.p.toFixed(4)}\\)$`, 'm'));
    assert.match(result.stdout, /^class +id +probability$/m);
  });

  it('from an exported model reproduces the probe\'s prediction bit for bit, and tf.loadLayersModel reads the export', async () => {
    const exported = join(root, 'exported');
    exportRunModel(original, exported);
    for (const file of ['model.json', 'weights.bin', 'preprocessing.json', 'spec.seqlab.yaml', 'README.md']) assert.ok(existsSync(join(exported, file)), file);
    assert.match(readFileSync(join(exported, 'README.md'), 'utf8'), /tensorflowjs_converter/);

    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const predictor = await loadPredictor(exported);
    const { output, prediction, input } = predictor.predict(probeText);
    predictor.dispose();
    assert.deepEqual(output, probePrediction(original));
    assert.equal(prediction.kind, 'class');

    const loaded = await tf.loadLayersModel(fileHandler(exported));
    const stock = (loaded.predict(tf.tensor(input.x, input.shape, 'int32')) as tf.Tensor).dataSync()[0];
    assert.ok(Math.abs(stock - output[0]) < 1e-5, `tf.loadLayersModel gives ${stock}, the run ${output[0]}`);

    const cli = seqlab(['predict', exported, probeText, '--backend', 'wasm']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(cli.stdout, seqlab(['predict', original, probeText, '--backend', 'wasm']).stdout);
  });

  it('explains a folder without a model and a missing input in one line, without a stack', () => {
    const noModel = seqlab(['predict', 'nowhere', 'x']);
    assert.equal(noModel.code, 1);
    assert.match(noModel.stderr, /^seqlab: No run "nowhere": neither .* is a run folder/);
    const usage = seqlab(['predict', original]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /takes a run \(or an exported model folder\) and one input in quotes/);
    for (const result of [noModel, usage]) assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});

describe('probing a finished run', () => {
  /** Inspections recorded in the run folder, oldest first. */
  function recorded(runDir: string): InspectionEvent[] {
    return readRun(runDir).view.events.filter((event): event is InspectionEvent => event.type === 'inspection');
  }

  it('seqlab probe prints seqlab predict\'s prediction, the attribution and heatmaps, and records the probe', () => {
    const before = recorded(original).length;
    const probe = seqlab(['probe', original, probeText, '--backend', 'wasm']);
    assert.equal(probe.code, 0, probe.stderr);
    const predict = seqlab(['predict', original, probeText, '--backend', 'wasm']);
    assert.ok(probe.stdout.startsWith(predict.stdout), `probe:\n${probe.stdout}\npredict:\n${predict.stdout}`);
    assert.match(probe.stdout, /^Attribution \(integrated-gradients: integrated gradients over the embedding.*\) of the probability of /m);
    for (const token of probeText.split(' ')) assert.match(probe.stdout, new RegExp(`^\\d+ +"${token}" +[+-]\\d\\.\\d{4}`, 'm'));
    assert.match(probe.stdout, /^gru: hidden state h and gates, first 16 of 16 recorded units across/m);
    assert.match(probe.stdout, /^step +token +h +z +r +h~ +kept$/m);
    assert.match(probe.stdout, /^Recorded in the run; every unit and step in colour: .*report\.html$/m);

    const events = recorded(original);
    assert.equal(events.length, before + 1);
    const event = events.at(-1)!;
    assert.equal(event.input, probeText);
    assert.deepEqual(event.weights, { kind: 'final' });
    assert.ok(event.gates.length > 0 && event.attribution);
    assert.match(readFileSync(join(original, 'report.html'), 'utf8'), new RegExp(`"type":"inspection","id":"${event.id}"`));
  });

  it('the probe process (the panel\'s probe box on a finished run) gives the same prediction, recorded like the CLI\'s', async () => {
    const client = new ProbeClient(join(repoRoot, 'dist', 'probe.js'));
    try {
      const event = await client.probe(original, 'panel-1', probeText);
      assert.equal(event.id, 'panel-1');
      assert.deepEqual(event.probe.prediction, probePrediction(original));
      assert.equal(recorded(original).at(-1)?.id, 'panel-1');
      await assert.rejects(client.probe(original, 'panel-2', '   '), /Type a text/);
      await assert.rejects(client.probe(join(root, 'no-such-run'), 'panel-3', probeText), /model/i);
      // One process answers in turn; it is still there after a failure.
      assert.deepEqual((await client.probe(original, 'panel-4', probeText)).probe.prediction, probePrediction(original));
    } finally {
      client.dispose();
    }
  });

  it('seqlab probe on an exported model folder prints the same and writes nothing there', () => {
    const exported = join(root, 'exported-for-probe');
    exportRunModel(original, exported);
    const probe = seqlab(['probe', exported, probeText, '--backend', 'wasm']);
    assert.equal(probe.code, 0, probe.stderr);
    assert.ok(probe.stdout.startsWith(seqlab(['predict', original, probeText, '--backend', 'wasm']).stdout));
    assert.match(probe.stdout, /^Not recorded: an exported model folder is not a run\.$/m);
    assert.ok(!existsSync(join(exported, 'views.jsonl')));
  });
});

/** tf.loadLayersModel from a folder with plain file reads (no tfjs-node here). */
function fileHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const weights = readFileSync(join(dir, 'weights.bin'));
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    },
  };
}

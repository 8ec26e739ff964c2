import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { discardChanges, extension, openSpec, TINY_SPEC } from './helpers';

/** The course's IMDB LSTM as Keras 3's `model.to_json()` writes it (trimmed to what matters). */
const KERAS3_LSTM = JSON.stringify({
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 200], dtype: 'int32', name: 'input_layer' }, registered_name: null },
      { module: 'keras.layers', class_name: 'Embedding', config: { name: 'embedding', input_dim: 10000, output_dim: 128, mask_zero: false }, registered_name: null },
      { module: 'keras.layers', class_name: 'LSTM', config: { name: 'lstm', units: 64, dropout: 0.2, recurrent_dropout: 0.2, return_sequences: false }, registered_name: null },
      { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', units: 1, activation: 'sigmoid' }, registered_name: null },
    ],
  },
  registered_name: null,
});

describe('Keras interop commands', () => {
  const folder = mkdtempSync(join(tmpdir(), 'seqlab-e2e-keras-'));

  before(async () => {
    await extension().activate();
  });

  it('Import Keras Model writes <model>.seqlab.yaml beside the model and opens it', async () => {
    const model = join(folder, 'imdb-lstm.json');
    writeFileSync(model, KERAS3_LSTM);
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('sequenceLab.importKerasModel', vscode.Uri.file(model));
    assert.ok(written, 'the command returns the spec it wrote');
    assert.equal(written.fsPath, join(folder, 'imdb-lstm.seqlab.yaml'));
    const text = readFileSync(written.fsPath, 'utf8');
    assert.match(text, /- type: lstm +# LSTM "lstm"/);
    assert.match(text, /dropout: 0\.2/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, written.fsPath);
    // A second import never overwrites the first.
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('sequenceLab.importKerasModel', vscode.Uri.file(model));
    assert.equal(again?.fsPath, join(folder, 'imdb-lstm-2.seqlab.yaml'));
  });

  it('Export as Keras Script writes <name>.py beside the spec and opens it', async () => {
    const editor = await openSpec('keras-export', TINY_SPEC);
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('sequenceLab.exportKerasScript', editor.document.uri);
    assert.ok(written, 'the command returns the script it wrote');
    assert.equal(written.fsPath, join(editor.document.uri.fsPath, '..', 'e2e-parity.py'));
    const script = readFileSync(written.fsPath, 'utf8');
    assert.match(script, /layers\.SimpleRNN\(8, name="simple_rnn"\)/);
    assert.match(script, /parity_problem\(256, 8, SEED\)/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, written.fsPath);
  });

  it('Export as Keras Script refuses a spec with errors and writes nothing', async () => {
    const editor = await openSpec('keras-broken', TINY_SPEC.replace('units: 8', 'unit: 8'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('sequenceLab.exportKerasScript', editor.document.uri);
    assert.equal(written, undefined);
    assert.equal(existsSync(join(editor.document.uri.fsPath, '..', 'e2e-parity.py')), false);
    await discardChanges(editor);
  });
});

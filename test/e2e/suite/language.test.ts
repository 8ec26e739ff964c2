import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkSpec } from '../../../src/language/check';
import { discardChanges, openSpec, waitFor } from './helpers';

const UNKNOWN_KEY_SPEC = `name: broken
data:
  source: builtin:sentiment
  task: binary
model:
  - type: embedding
    output_dim: 16
  - type: lstm
    unitz: 32
  - type: dense
    units: 1
    activation: sigmoid
train:
  loss: binary_crossentropy
`;

const STACKED_LSTM_SPEC = `name: stacked
data:
  source: builtin:sentiment
  task: binary
model:
  - type: embedding
    output_dim: 16
  - type: lstm
    units: 32
  - type: lstm
    units: 16
  - type: dense
    units: 1
    activation: sigmoid
train:
  loss: binary_crossentropy
`;

const RATINGS_SPEC = `name: ratings
data:
  source: ratings.csv
  task: multiclass
  max_len: 10
model:
  - type: embedding
    output_dim: 8
  - type: lstm
    units: 8
  - type: dense
    units: 3
    activation: softmax
`;

async function diagnosticsOf(uri: vscode.Uri, accept: (all: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return waitFor('the spec diagnostics', () => {
    const all = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'seqlab');
    return accept(all) ? all : undefined;
  });
}

function rangeText(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

describe('language features', () => {
  it('reports the checker’s diagnostics with their exact ranges', async () => {
    const editor = await openSpec('unknown-key', UNKNOWN_KEY_SPEC);
    const diagnostics = await diagnosticsOf(editor.document.uri, (all) => all.length > 0);
    const unknownKey = diagnostics.find((d) => d.code === 'unknown-key');
    assert.ok(unknownKey, `no unknown-key diagnostic among: ${diagnostics.map((d) => d.message).join(' | ')}`);
    assert.equal(rangeText(unknownKey.range), '8:4-8:9', 'the range covers `unitz` on line 9');
    assert.match(unknownKey.message, /`units`/);
    assert.equal(unknownKey.severity, vscode.DiagnosticSeverity.Error);
    // Exactly what the CLI's checker says, message for message and range for range.
    const expected = checkSpec(UNKNOWN_KEY_SPEC).diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`);
    assert.deepEqual(diagnostics.map((d) => `${rangeText(d.range)} ${d.message}`).sort(), expected.sort());
  });

  it('diagnoses what the data says once it has been read: classes vs output units, a file that does not exist', async () => {
    const ratings = 'text,label\nawful,1\nfine,2\ngreat,3\nbad,1\nokay,2\nsuperb,3\n';
    const editor = await openSpec('ratings', RATINGS_SPEC, { 'ratings.csv': ratings });
    const uri = editor.document.uri;
    const [fit] = (await diagnosticsOf(uri, (all) => all.some((d) => d.code === 'data-fit'))).filter((d) => d.code === 'data-fit');
    assert.equal(rangeText(fit!.range), '11:11-11:12', 'on the output layer\'s `units: 3`');
    assert.match(fit!.message, /need 4 output units \(id 0 unused\), but the output layer has 3 units/);
    await editor.edit((edit) => edit.replace(new vscode.Range(2, 10, 2, 21), 'no-such-file.csv'));
    const [missing] = (await diagnosticsOf(uri, (all) => all.some((d) => d.code === 'data'))).filter((d) => d.code === 'data');
    assert.equal(rangeText(missing!.range), '2:10-2:26');
    assert.match(missing!.message, /`no-such-file.csv` does not exist/);
    await discardChanges(editor);
  });

  it('re-checks as the user types', async () => {
    const editor = await openSpec('typing', UNKNOWN_KEY_SPEC);
    await diagnosticsOf(editor.document.uri, (all) => all.some((d) => d.code === 'unknown-key'));
    await editor.edit((edit) => edit.replace(new vscode.Range(8, 4, 8, 9), 'units'));
    const after = await diagnosticsOf(editor.document.uri, (all) => !all.some((d) => d.code === 'unknown-key'));
    assert.deepEqual(after.filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
    await discardChanges(editor);
  });

  it('offers adding return_sequences: true to a recurrent layer feeding another one', async () => {
    const editor = await openSpec('stacked', STACKED_LSTM_SPEC);
    const uri = editor.document.uri;
    const [problem] = await diagnosticsOf(uri, (all) => all.length > 0);
    assert.ok(problem);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problem.range);
    const fix = actions.find((action) => action.title.includes('return_sequences'));
    assert.ok(fix?.edit, `no return_sequences fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /- type: lstm\n\s+units: 32\n\s+return_sequences: true|return_sequences: true/);
    await diagnosticsOf(uri, (all) => all.every((d) => d.severity !== vscode.DiagnosticSeverity.Error));
    await discardChanges(editor);
  });

  it('completes layer fields inside a layer', async () => {
    const editor = await openSpec('complete', STACKED_LSTM_SPEC.replace('    units: 16\n', '    units: 16\n    \n'));
    const line = editor.document.getText().split('\n').findIndex((text, index, lines) => text === '    ' && lines[index - 1] === '    units: 16');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(line, 4),
    );
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const field of ['return_sequences', 'dropout', 'recurrent_dropout']) {
      assert.ok(labels.includes(field), `no completion for ${field} among: ${labels.join(', ')}`);
    }
  });

  it('documents a key on hover', async () => {
    const editor = await openSpec('hover', STACKED_LSTM_SPEC);
    const line = editor.document.getText().split('\n').indexOf('    units: 32');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(line, 6));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /units/);
    assert.ok(text.length > 40, `hover too thin: ${text}`);
  });

  it('puts Train, Quick Preview and Summary lenses above model: and train:', async () => {
    const editor = await openSpec('lens', STACKED_LSTM_SPEC);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const lines = editor.document.getText().split('\n');
    const byLine = (key: string) => lenses.filter((lens) => lens.range.start.line === lines.indexOf(`${key}:`)).map((lens) => lens.command?.command);
    for (const key of ['model', 'train']) {
      assert.deepEqual(byLine(key), ['sequenceLab.train', 'sequenceLab.quickPreview', 'sequenceLab.showModelSummary']);
    }
  });
});

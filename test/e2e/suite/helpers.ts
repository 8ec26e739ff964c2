import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestState } from '../../../src/extension/testHooks';

const fixtureRoot = mkdtempSync(join(tmpdir(), 'seqlab-e2e-'));

/** Writes a spec (and any data `files` beside it) into a fresh folder (its runs land there too) and opens it in an editor. */
export async function openSpec(name: string, text: string, files: Record<string, string> = {}): Promise<vscode.TextEditor> {
  const folder = join(fixtureRoot, `${name}-${Date.now()}`);
  mkdirSync(folder, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(folder, file), content);
  const file = join(folder, `${name}.seqlab.yaml`);
  writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document);
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function extensionState(): Promise<TestState> {
  return vscode.commands.executeCommand<TestState>('sequenceLab._test.state');
}

export function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension('sequence-lab.sequence-lab');
  if (!found) throw new Error('The Sequence Lab extension is not installed in this VS Code.');
  return found;
}

/** True while a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const TINY_SPEC = `name: e2e-parity
data:
  source: builtin:parity
  task: binary
  generator:
    samples: 256
    length: 8
model:
  - type: simple_rnn
    units: 8
  - type: dense
    units: 1
    activation: sigmoid
train:
  loss: binary_crossentropy
  metrics: [accuracy]
  epochs: 2
  batch_size: 32
inspect:
  probes:
    - index: 0
`;

/** Drops the editor's unsaved edits, so closing the workbench at the end asks nothing. */
export async function discardChanges(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import type { BackendPreference } from '../protocol';

/** The `sequenceLab.*` settings, read fresh each time (users change them while a session runs). */
export interface Settings {
  backend: BackendPreference;
  /** Raw setting; see runsFolder.ts for how it resolves. */
  runsFolder: string;
  previewEpochs: number;
  previewExamples: number;
  inlinePreviews: boolean;
  maxProbes: number;
  /** Threads of the recurrent layers' kernel while training. */
  threads: number;
}

const BACKENDS: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export function readSettings(scope?: vscode.Uri): Settings {
  const config = vscode.workspace.getConfiguration('sequenceLab', scope);
  const backend = config.get<string>('backend', 'auto');
  return {
    backend: BACKENDS.find((name) => name === backend) ?? 'auto',
    runsFolder: config.get<string>('runsFolder', '').trim(),
    previewEpochs: clampInteger(config.get<number>('preview.epochs', 1), 1, 20),
    previewExamples: clampInteger(config.get<number>('preview.examples', 2000), 100, 100_000),
    inlinePreviews: config.get<boolean>('inlinePreviews', false),
    maxProbes: clampInteger(config.get<number>('probes.maxCount', 3), 0, 16),
    threads: clampInteger(config.get<number>('threads', 0) || defaultTrainingThreads(), 1, 256),
  };
}

/** Every core but one, which stays with the editor; at least one. */
export function defaultTrainingThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

function clampInteger(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}
